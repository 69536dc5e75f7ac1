import { describedBy, Field } from '../../components/field.js';
import type { SectionProps } from './section.js';
import { ValidatorsSection } from './validators-section.js';

/** Timeout, response validators and the custom validation message. */
export function DeliverySection({ form, errors, update, readOnly }: SectionProps) {
  return (
    <section class="card" aria-labelledby="sec-delivery">
      <h2 id="sec-delivery">Delivery and validation</h2>
      <Field
        field="timeoutSeconds"
        label="Timeout (seconds)"
        error={errors.timeoutSeconds}
        hint="1 to 120; default 30."
        class="narrow"
      >
        <input
          {...describedBy('timeoutSeconds', errors.timeoutSeconds, true)}
          type="number"
          inputMode="numeric"
          min={1}
          max={120}
          step={1}
          value={form.timeout}
          onInput={(e) => update({ timeout: e.currentTarget.value }, 'timeoutSeconds')}
        />
      </Field>
      <ValidatorsSection form={form} errors={errors} update={update} readOnly={readOnly} />
      <Field
        field="customValidationErrorMessage"
        label="Custom validation message"
        error={errors.customValidationErrorMessage}
        hint="Shown when the response fails validation."
      >
        <input
          {...describedBy('customValidationErrorMessage', errors.customValidationErrorMessage, true)}
          type="text"
          value={form.customMessage}
          onInput={(e) => update({ customMessage: e.currentTarget.value }, 'customValidationErrorMessage')}
        />
      </Field>
    </section>
  );
}

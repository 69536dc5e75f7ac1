import { ChipsInput } from '../../components/chips-input.js';
import { describedBy, errorUnder, Field, FieldError, fieldId } from '../../components/field.js';
import { type FormState, rowKey } from '../../webhook-model.js';
import type { SectionProps } from './section.js';

/** Response validators: a JSON path and its expected values, per row. */
export function ValidatorsSection({ form, errors, update, readOnly }: SectionProps) {
  const setRow = (index: number, patch: Partial<FormState['validators'][number]>, key: string) =>
    update({ validators: form.validators.map((v, i) => (i === index ? { ...v, ...patch } : v)) }, key);
  const add = () => {
    update(
      { validators: [...form.validators, { key: rowKey(), jsonPath: '$.data.', expectedValues: [] }] },
      'responseValidators',
    );
    const index = form.validators.length;
    requestAnimationFrame(() =>
      document.getElementById(fieldId(`responseValidators.${index}.jsonPath`))?.focus(),
    );
  };
  return (
    <fieldset class="nested" id={fieldId('responseValidators')} tabIndex={-1}>
      <legend>Response validators</legend>
      <p class="hint">
        The response body is read as <code>{'{ "data": <body> }'}</code>: a validator passes when the value at
        its path equals any expected value; all must pass.
      </p>
      {form.validators.length === 0 && <p class="muted">No validators: any 2xx response is a success.</p>}
      {form.validators.map((v, i) => {
        const pathKey = `responseValidators.${i}.jsonPath`;
        const valuesKey = `responseValidators.${i}.expectedValues`;
        return (
          <div class="kv-row" key={v.key}>
            <Field field={pathKey} label={`Validator ${i + 1} JSON path`} error={errors[pathKey]}>
              <input
                {...describedBy(pathKey, errors[pathKey])}
                type="text"
                value={v.jsonPath}
                spellcheck={false}
                autocomplete="off"
                onInput={(e) => setRow(i, { jsonPath: e.currentTarget.value }, pathKey)}
              />
            </Field>
            <div class={`field ${errorUnder(errors, valuesKey) ? 'has-error' : ''}`}>
              <label for={fieldId(valuesKey)}>{`Validator ${i + 1} expected values`}</label>
              <ChipsInput
                field={valuesKey}
                label={`Validator ${i + 1} expected values`}
                values={v.expectedValues}
                onChange={(values) => setRow(i, { expectedValues: values }, valuesKey)}
                error={errorUnder(errors, valuesKey)}
                disabled={readOnly}
              />
              <FieldError field={valuesKey} message={errorUnder(errors, valuesKey)} />
            </div>
            {!readOnly && (
              <button
                type="button"
                class="secondary small remove"
                aria-label={`Remove validator ${i + 1}`}
                onClick={() =>
                  update({ validators: form.validators.filter((_, j) => j !== i) }, 'responseValidators')
                }
              >
                Remove
              </button>
            )}
          </div>
        );
      })}
      <FieldError field="responseValidators" message={errors.responseValidators} />
      {!readOnly && (
        <button type="button" class="secondary small" onClick={add}>
          Add validator
        </button>
      )}
    </fieldset>
  );
}

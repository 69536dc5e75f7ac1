import { describedBy, Field, FieldError, fieldId, Hint } from '../../components/field.js';
import { METHODS } from '../../enums.js';
import { reasonText } from '../../format.js';
import type { HttpMethod } from '../../gql/graphql.js';
import type { SectionProps } from './section.js';

/** Name, description, the Active / Inactive switch (with the system's deactivation reason), method and URL. */
export function GeneralSection({
  form,
  errors,
  update,
  disabledReason,
}: SectionProps & { disabledReason: string | null | undefined }) {
  return (
    <section class="card" aria-labelledby="sec-general">
      <h2 id="sec-general">General</h2>
      <Field
        field="name"
        label="Name"
        error={errors.name}
        hint="Letters, digits, spaces, - and _; unique in the account."
      >
        <input
          {...describedBy('name', errors.name, true)}
          type="text"
          value={form.name}
          maxLength={100}
          autocomplete="off"
          onInput={(e) => update({ name: e.currentTarget.value }, 'name')}
        />
      </Field>
      <Field
        field="description"
        label="Description"
        error={errors.description}
        hint="Optional: what the webhook is for, up to 500 characters. Shown under the name in the list."
      >
        <textarea
          {...describedBy('description', errors.description, true)}
          rows={2}
          value={form.description}
          maxLength={500}
          onInput={(e) => update({ description: e.currentTarget.value }, 'description')}
        />
      </Field>
      <div class="field switch-field">
        <input
          {...describedBy('status', errors.status, Boolean(disabledReason))}
          type="checkbox"
          role="switch"
          aria-checked={form.active}
          checked={form.active}
          onChange={(e) => update({ active: e.currentTarget.checked }, 'status')}
        />
        {/* The label says the state (a switch's name that follows it): "Active" on, "Inactive" off. */}
        <label for={fieldId('status')}>{form.active ? 'Active' : 'Inactive'}</label>
        {disabledReason && (
          <Hint field="status">{reasonText(disabledReason)}. Turning it on clears this.</Hint>
        )}
        <FieldError field="status" message={errors.status} />
      </div>
      <div class="row">
        <Field field="method" label="Method" error={errors.method} class="narrow">
          <select
            {...describedBy('method', errors.method)}
            value={form.method}
            onChange={(e) => update({ method: e.currentTarget.value as HttpMethod }, 'method')}
          >
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </Field>
        <Field
          field="url"
          label="URL"
          error={errors.url}
          hint="https only, no port other than 443."
          class="grow"
        >
          <input
            {...describedBy('url', errors.url, true)}
            type="url"
            inputMode="url"
            value={form.url}
            placeholder="https://hooks.example.com/access"
            autocomplete="off"
            onInput={(e) => update({ url: e.currentTarget.value }, 'url')}
          />
        </Field>
      </div>
    </section>
  );
}

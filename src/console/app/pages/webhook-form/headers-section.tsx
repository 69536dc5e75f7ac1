import { describedBy, Field, FieldError, fieldId } from '../../components/field.js';
import { type FormState, rowKey } from '../../webhook-model.js';
import type { SectionProps } from './section.js';

/** Header rows; a stored value shows masked (as the placeholder) and is kept unless retyped. */
export function HeadersSection({ form, errors, update, readOnly }: SectionProps) {
  const setRow = (index: number, patch: Partial<FormState['headers'][number]>, key: string) =>
    update({ headers: form.headers.map((h, i) => (i === index ? { ...h, ...patch } : h)) }, key);
  const add = () => {
    update({ headers: [...form.headers, { key: rowKey(), name: '', value: '', stored: null }] }, 'headers');
    const index = form.headers.length;
    requestAnimationFrame(() => document.getElementById(fieldId(`headers.${index}.name`))?.focus());
  };
  return (
    <fieldset class="card" id={fieldId('headers')} tabIndex={-1}>
      <legend>Headers</legend>
      <p class="hint">
        Sent with every request, e.g. <code>Authorization: Bearer …</code>. Values are secrets: stored values
        are shown masked and kept unless you type a new one.
      </p>
      {form.headers.length === 0 && <p class="muted">No headers.</p>}
      {form.headers.map((h, i) => {
        const nameKey = `headers.${i}.name`;
        const valueKey = `headers.${i}.value`;
        return (
          <div class="kv-row" key={h.key}>
            <Field field={nameKey} label={`Header ${i + 1} name`} error={errors[nameKey]}>
              <input
                {...describedBy(nameKey, errors[nameKey])}
                type="text"
                value={h.name}
                autocomplete="off"
                spellcheck={false}
                onInput={(e) => setRow(i, { name: e.currentTarget.value }, nameKey)}
              />
            </Field>
            <Field
              field={valueKey}
              label={`Header ${i + 1} value`}
              error={errors[valueKey]}
              hint={
                h.stored ? 'Stored; leave empty to keep it.' : h.hint ? `Type it as ${h.hint}.` : undefined
              }
            >
              <input
                {...describedBy(valueKey, errors[valueKey], Boolean(h.stored ?? h.hint))}
                type="password"
                value={h.value}
                placeholder={h.stored ?? h.hint ?? ''}
                autocomplete="new-password"
                spellcheck={false}
                onInput={(e) => setRow(i, { value: e.currentTarget.value }, valueKey)}
              />
            </Field>
            {!readOnly && (
              <button
                type="button"
                class="secondary small remove"
                aria-label={`Remove header ${i + 1}${h.name ? ` (${h.name})` : ''}`}
                onClick={() => update({ headers: form.headers.filter((_, j) => j !== i) }, 'headers')}
              >
                Remove
              </button>
            )}
          </div>
        );
      })}
      <FieldError field="headers" message={errors.headers} />
      {!readOnly && (
        <button type="button" class="secondary small" onClick={add}>
          Add header
        </button>
      )}
    </fieldset>
  );
}

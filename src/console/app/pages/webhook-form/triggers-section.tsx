import { errorUnder, FieldError, fieldId } from '../../components/field.js';
import { TRIGGERS, triggerLabel } from '../../enums.js';
import type { SectionProps } from './section.js';

/** One checkbox per trigger; the chosen ones are kept in the API's order. */
export function TriggersSection({ form, errors, update }: SectionProps) {
  return (
    <fieldset class="card" aria-describedby={errors.triggers ? `${fieldId('triggers')}-error` : undefined}>
      <legend>Triggers</legend>
      <div class="checkbox-grid" id={fieldId('triggers')} tabIndex={-1}>
        {TRIGGERS.map((t) => (
          <label key={t} class="checkbox">
            <input
              type="checkbox"
              checked={form.triggers.includes(t)}
              onChange={(e) =>
                update(
                  {
                    triggers: e.currentTarget.checked
                      ? TRIGGERS.filter((x) => x === t || form.triggers.includes(x))
                      : form.triggers.filter((x) => x !== t),
                  },
                  'triggers',
                )
              }
            />
            {triggerLabel(t)}
          </label>
        ))}
      </div>
      <FieldError field="triggers" message={errorUnder(errors, 'triggers')} />
    </fieldset>
  );
}

import { ChipsInput } from '../../components/chips-input.js';
import { errorUnder, FieldError, fieldId } from '../../components/field.js';
import { FILTER_DIMENSIONS, type FilterDimension } from '../../enums.js';
import type { SectionProps } from './section.js';

/** One multi-value input per filter dimension; open when any has values or an error. */
export function FiltersSection({ form, errors, update, readOnly }: SectionProps) {
  const active = FILTER_DIMENSIONS.filter(([d]) => form.filters[d].length > 0).length;
  const hasError = Object.keys(errors).some((k) => k.startsWith('filters'));
  const setDimension = (d: FilterDimension, values: string[]) =>
    update({ filters: { ...form.filters, [d]: values } }, `filters.${d}`);
  return (
    <details class="card" open={active > 0 || hasError}>
      <summary>
        <h2>Filters</h2>{' '}
        <span class="muted">
          {active === 0
            ? 'none: every event of the triggers'
            : `${active} ${active === 1 ? 'dimension' : 'dimensions'}`}
        </span>
      </summary>
      <p class="hint">Any value of a dimension matches; every dimension with values must match.</p>
      <div class="grid-2">
        {FILTER_DIMENSIONS.map(([d, label]) => {
          const key = `filters.${d}`;
          const error = errorUnder(errors, key);
          return (
            <div class={`field ${error ? 'has-error' : ''}`} key={d}>
              <label for={fieldId(key)}>{label}</label>
              <ChipsInput
                field={key}
                label={label}
                values={form.filters[d]}
                onChange={(values) => setDimension(d, values)}
                error={error}
                disabled={readOnly}
              />
              <FieldError field={key} message={error} />
            </div>
          );
        })}
      </div>
    </details>
  );
}

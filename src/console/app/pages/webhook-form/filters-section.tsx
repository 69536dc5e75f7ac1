import { useEffect } from 'preact/hooks';
import { type Errors, errorUnder, FieldError, fieldId } from '../../components/field.js';
import { FilterPicker } from '../../components/filter-picker.js';
import { FILTER_DIMENSIONS, type FilterDimension, foldFilterValue } from '../../enums.js';
import { useFilterCatalog } from '../../hooks/use-filter-catalog.js';
import type { SectionProps } from './section.js';

/** Messages of the warnings on a field and its items, one after the other. */
function warningUnder(warnings: Errors, key: string): string | undefined {
  const messages = Object.entries(warnings)
    .filter(([k]) => k === key || k.startsWith(`${key}.`))
    .map(([, message]) => message);
  return messages.length ? messages.join('; ') : undefined;
}

/**
 * One searchable multi-select per filter dimension, fed by the account's filter catalog; open when any
 * has values, an error or a warning. The catalog's entries of the saved values give their chips labels.
 */
export function FiltersSection({
  form,
  errors,
  warnings,
  update,
  readOnly,
}: SectionProps & { warnings: Errors }) {
  const catalog = useFilterCatalog();
  const active = FILTER_DIMENSIONS.filter(([d]) => form.filters[d].length > 0).length;
  const flagged = [...Object.keys(errors), ...Object.keys(warnings)].some((k) => k.startsWith('filters'));
  const setDimension = (d: FilterDimension, values: string[]) =>
    update({ filters: { ...form.filters, [d]: values } }, `filters.${d}`);

  useEffect(() => {
    for (const [d] of FILTER_DIMENSIONS) catalog.lookUp(d, form.filters[d]);
  }, [form.filters]);

  return (
    <details class="card" open={active > 0 || flagged}>
      <summary>
        <h2>Filters</h2>{' '}
        <span class="muted">
          {active === 0
            ? 'none: every event of the triggers'
            : `${active} ${active === 1 ? 'dimension' : 'dimensions'}`}
        </span>
      </summary>
      <p class="hint">
        Any value of a filter matches; every filter with values must match. Search the values this account's
        events carried, or type one.
      </p>
      <div class="grid-2">
        {FILTER_DIMENSIONS.map(([d, label]) => {
          const key = `filters.${d}`;
          const error = errorUnder(errors, key);
          return (
            <div class={`field ${error ? 'has-error' : ''}`} key={d}>
              <label for={fieldId(key)}>{label}</label>
              <FilterPicker
                field={key}
                label={label}
                values={form.filters[d]}
                onChange={(values) => setDimension(d, values)}
                search={(text) => catalog.search(d, text)}
                sighting={(value) => catalog.sighting(d, value)}
                normalize={(text) => foldFilterValue(d, text)}
                error={error}
                warning={warningUnder(warnings, key)}
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

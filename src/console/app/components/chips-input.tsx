import { useState } from 'preact/hooks';
import { describedBy } from './field.js';

/**
 * A multi-value input: type a value and press Enter (or a comma) to add it as a chip; Backspace in the
 * empty input removes the last one; what is still typed when the input loses focus is added too, so no
 * value is lost by tabbing away. Each chip has its own labelled remove button.
 */
export function ChipsInput(props: {
  field: string;
  label: string;
  values: string[];
  onChange: (values: string[]) => void;
  error: string | undefined;
  hint?: boolean;
  placeholder?: string;
  disabled?: boolean;
}) {
  const [draft, setDraft] = useState('');
  const { values, onChange } = props;

  const add = (text: string) => {
    const parts = text
      .split(/[,\n]/)
      .map((p) => p.trim())
      .filter(Boolean);
    const next = [...values];
    for (const part of parts) if (!next.includes(part)) next.push(part);
    if (next.length !== values.length) onChange(next);
    setDraft('');
  };

  const aria = describedBy(props.field, props.error, props.hint);
  return (
    <div class={`chips ${props.error ? 'has-error' : ''}`}>
      {values.length > 0 && (
        <ul class="chip-list" aria-label={`${props.label}: ${values.length} values`}>
          {values.map((value) => (
            <li key={value} class="chip">
              <span>{value}</span>
              {!props.disabled && (
                <button
                  type="button"
                  class="chip-remove"
                  aria-label={`Remove ${value} from ${props.label}`}
                  onClick={() => onChange(values.filter((v) => v !== value))}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <input
        {...aria}
        type="text"
        value={draft}
        placeholder={props.placeholder ?? 'Type a value, press Enter'}
        disabled={props.disabled}
        autocomplete="off"
        onInput={(e) => {
          const text = e.currentTarget.value;
          if (/[,\n]/.test(text)) add(text);
          else setDraft(text);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add(draft);
          } else if (e.key === 'Backspace' && draft === '' && values.length > 0) {
            onChange(values.slice(0, -1));
          }
        }}
        onBlur={() => draft.trim() && add(draft)}
      />
    </div>
  );
}

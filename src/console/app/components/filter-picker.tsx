import { useEffect, useRef, useState } from 'preact/hooks';
import type { FilterOption, Sighting } from '../hooks/use-filter-catalog.js';
import { fieldId } from './field.js';

/** How long typing pauses before the picker asks the server. */
const SEARCH_DELAY_MS = 200;

export const UNSEEN_NOTE = 'not seen in any event yet';

type Choice = { kind: 'option'; option: FilterOption } | { kind: 'typed'; value: string };

/**
 * A searchable multi-select of one filter dimension's values: an ARIA combobox whose listbox offers
 * the values the account's events carried (searched as the admin types, after a short pause), shown
 * by label with the stored value beside it. A value typed by hand is allowed too (the listbox's last
 * option, or Enter with no option highlighted) and is marked as not seen in any event yet.
 *
 * Keys: Down/Up move through the options (Down opens the list), Enter picks the highlighted option (a
 * chosen one is removed again), Escape closes the list and then clears the search, Backspace in the
 * empty search removes the last chip. Chosen values are chips with their label and a remove button.
 * Focus stays in the input throughout; the option in focus is its aria-activedescendant.
 */
export function FilterPicker(props: {
  field: string;
  label: string;
  values: string[];
  onChange: (values: string[]) => void;
  search: (text: string) => Promise<FilterOption[]>;
  sighting: (value: string) => Sighting;
  /** The value as the filter stores it (lower case where the dimension ignores case). */
  normalize: (text: string) => string;
  error?: string;
  warning?: string;
  disabled?: boolean;
}) {
  const { values, onChange, sighting, label } = props;
  const id = fieldId(props.field);
  const listId = `${id}-options`;
  const [draft, setDraft] = useState('');
  const [open, setOpen] = useState(false);
  /** The last search's answer, and the text it was for. */
  const [result, setResult] = useState<{ text: string; options: FilterOption[]; error: string | null }>();
  const [active, setActive] = useState(-1);
  const [focused, setFocused] = useState(false);
  const [said, setSaid] = useState('');
  const search = useRef(props.search);
  search.current = props.search;

  useEffect(() => {
    if (!open) return;
    let stale = false;
    const timer = setTimeout(() => {
      search.current(draft).then(
        (options) => !stale && setResult({ text: draft, options, error: null }),
        (err: Error) => !stale && setResult({ text: draft, options: [], error: err.message }),
      );
    }, SEARCH_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [draft, open]);

  const typed = props.normalize(draft.trim());
  const shown = result?.options ?? [];
  const searching = open && result?.text !== draft;
  const choices: Choice[] = shown.map((option) => ({ kind: 'option', option }));
  if (typed && !shown.some((o) => o.value === typed)) choices.push({ kind: 'typed', value: typed });
  const current = open ? choices[active] : undefined;
  const optionId = (i: number) => `${id}-option-${i}`;

  useEffect(() => {
    if (current) document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  });

  const nameOf = (value: string) => sighting(value)?.label ?? value;

  const toggle = (value: string) => {
    if (values.includes(value)) {
      onChange(values.filter((v) => v !== value));
      setSaid(`Removed ${nameOf(value)}.`);
    } else {
      onChange([...values, value]);
      setSaid(`Added ${nameOf(value)}.`);
    }
    setDraft('');
    setActive(-1);
    setOpen(false);
  };

  const pick = (choice: Choice) => toggle(choice.kind === 'option' ? choice.option.value : choice.value);

  /** Enter with nothing highlighted: the option whose value or label is what was typed, else the text. */
  const pickTyped = () => {
    const text = draft.trim().toLowerCase();
    const same = shown.find((o) => o.value.toLowerCase() === text || o.label.toLowerCase() === text);
    if (same) toggle(same.value);
    else if (!values.includes(typed)) toggle(typed);
    else setDraft('');
  };

  const onKeyDown = (e: KeyboardEvent) => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!open) {
          setOpen(true);
          setActive(0);
        } else setActive((i) => Math.min(i + 1, choices.length - 1));
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (!open) setOpen(true);
        else setActive((i) => Math.max(i - 1, -1));
        break;
      case 'Enter':
        // Never submits the form from here: Enter belongs to the picker.
        e.preventDefault();
        if (current) pick(current);
        else if (typed) pickTyped();
        break;
      case 'Escape':
        if (open) {
          e.preventDefault();
          e.stopPropagation();
          setOpen(false);
          setActive(-1);
        } else if (draft) {
          e.preventDefault();
          setDraft('');
        }
        break;
      case 'Backspace':
        if (draft === '' && values.length > 0) {
          const last = values[values.length - 1] as string;
          onChange(values.slice(0, -1));
          setSaid(`Removed ${nameOf(last)}.`);
        }
        break;
    }
  };

  const status = !open
    ? said
    : searching
      ? 'Searching…'
      : `${shown.length === 0 ? 'No seen value matches' : `${shown.length} seen ${shown.length === 1 ? 'value' : 'values'}`}${typed && choices.at(-1)?.kind === 'typed' ? `; Enter adds “${typed}” as typed` : ''}.`;

  const describedBy = [
    props.warning ? `${id}-warning` : '',
    props.error ? `${id}-error` : '',
    draft.trim() && !focused ? `${id}-pending` : '',
  ].filter(Boolean);

  return (
    <div class="picker">
      <div class={`chips ${props.error ? 'has-error' : ''}`}>
        {values.length > 0 && (
          <ul class="chip-list" aria-label={`${label}: ${values.length} chosen`}>
            {values.map((value) => {
              const seen = sighting(value);
              return (
                <li key={value} class={`chip ${seen === null ? 'unseen' : ''}`} data-value={value}>
                  <span class="chip-label">{seen ? seen.label : value}</span>{' '}
                  {seen && seen.label !== value && <span class="chip-value">{value}</span>}{' '}
                  {seen === null && <span class="chip-note">{UNSEEN_NOTE}</span>}
                  {!props.disabled && (
                    <button
                      type="button"
                      class="chip-remove"
                      aria-label={`Remove ${seen?.label ?? value} from ${label}`}
                      onClick={() => {
                        onChange(values.filter((v) => v !== value));
                        document.getElementById(id)?.focus();
                      }}
                    >
                      ×
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <input
          id={id}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={current ? optionId(active) : undefined}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={describedBy.length ? describedBy.join(' ') : undefined}
          value={draft}
          placeholder="Search, or type a value"
          disabled={props.disabled}
          autocomplete="off"
          spellcheck={false}
          onInput={(e) => {
            setSaid('');
            setDraft(e.currentTarget.value);
            setActive(-1);
            setOpen(true);
          }}
          onKeyDown={onKeyDown}
          onClick={() => setOpen(true)}
          onFocus={() => setFocused(true)}
          onBlur={() => {
            setFocused(false);
            setOpen(false);
            setActive(-1);
          }}
        />
      </div>
      <div class="picker-popup" hidden={!open}>
        <div id={listId} role="listbox" aria-label={`${label}: values`} aria-multiselectable="true">
          {choices.map((choice, i) => {
            const value = choice.kind === 'option' ? choice.option.value : choice.value;
            return (
              // Options take no focus and no keys of their own: the combobox keeps the focus and handles
              // the keys for them (aria-activedescendant), as the ARIA combobox pattern has it.
              // biome-ignore lint/a11y/useKeyWithClickEvents: the keys are the combobox's (onKeyDown above)
              <div
                key={`${choice.kind}:${value}`}
                id={optionId(i)}
                role="option"
                tabIndex={-1}
                aria-selected={values.includes(value)}
                class={`picker-option ${i === active ? 'active' : ''}`}
                // Keeps the focus in the input: a click picks without a blur closing the list first.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(choice)}
              >
                <span class="option-check" aria-hidden="true">
                  {values.includes(value) ? '✓' : ''}
                </span>
                {choice.kind === 'option' ? (
                  <>
                    <span class="option-label">{choice.option.label}</span>{' '}
                    {choice.option.label !== value && <span class="option-value">{value}</span>}{' '}
                    <span class="option-seen">
                      {`seen in ${choice.option.seenCount} ${choice.option.seenCount === 1 ? 'event' : 'events'}`}
                    </span>
                  </>
                ) : (
                  <>
                    <span class="option-label">{`Add “${value}”`}</span>{' '}
                    <span class="option-seen">{UNSEEN_NOTE}</span>
                  </>
                )}
              </div>
            );
          })}
        </div>
        {searching && <p class="picker-note">Searching…</p>}
        {open && result?.error && (
          <p class="picker-note">{`The values could not be loaded: ${result.error}`}</p>
        )}
        {open && !searching && !result?.error && choices.length === 0 && (
          <p class="picker-note">No event has carried a value for this filter yet: type one.</p>
        )}
      </div>
      <p class="sr-only" aria-live="polite">
        {status}
      </p>
      {draft.trim() && !focused && (
        <p class="hint" id={`${id}-pending`}>
          {`“${draft.trim()}” is not added yet: pick an option or press Enter.`}
        </p>
      )}
      {props.warning && (
        <p class="field-warning" id={`${id}-warning`}>
          {props.warning}
        </p>
      )}
    </div>
  );
}

import type { Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../../api.js';
import { fieldId } from '../../components/field.js';
import { WEBHOOK_PRESETS } from '../../queries.js';
import {
  type FormState,
  fieldLabel,
  formFromPreset,
  type Preset,
  placeholderFields,
  toInput,
  token,
} from '../../webhook-model.js';

// The presets are the same for every account and never change while the server runs.
let cached: Promise<Preset[]> | null = null;
const loadPresets = () => {
  cached ??= gql(WEBHOOK_PRESETS, {}).then(
    (d) => d.webhookPresets,
    (err: unknown) => {
      cached = null;
      throw err;
    },
  );
  return cached;
};

/**
 * "Start from a template" on a new webhook: the presets of webhookPresets, each with its docs link and
 * a button that fills the whole form from it (asking first when the form holds changes). Then the
 * list gives way to what the admin still has to fill in, each item ticked off once its field no longer
 * holds the placeholder, and a button to choose another template.
 */
export function PresetGallery(props: {
  form: FormState;
  dirty: boolean;
  onChoose: (preset: Preset) => void;
}) {
  const [presets, setPresets] = useState<Preset[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Preset | null>(null);
  const [browsing, setBrowsing] = useState(true);
  const fillIn = useRef<HTMLParagraphElement>(null);
  const firstChoice = useRef<HTMLButtonElement>(null);
  // The chosen template as it filled the form: choosing another asks first only once it was changed.
  const applied = useRef<string | null>(null);

  useEffect(() => {
    let stale = false;
    loadPresets().then(
      (list) => !stale && setPresets(list),
      (err: Error) => !stale && setError(err.message),
    );
    return () => {
      stale = true;
    };
  }, []);

  const choose = (preset: Preset) => {
    const changed = props.dirty && JSON.stringify(toInput(props.form)) !== applied.current;
    if (changed && !window.confirm(`Replace what you entered in the form with the ${preset.name} template?`))
      return;
    props.onChoose(preset);
    applied.current = JSON.stringify(toInput(formFromPreset(preset)));
    setChosen(preset);
    setBrowsing(false);
    // Keyboard and screen-reader users land on what to fill in next.
    requestAnimationFrame(() => fillIn.current?.focus());
  };

  const browse = () => {
    setBrowsing(true);
    requestAnimationFrame(() => firstChoice.current?.focus());
  };

  return (
    <section class="card presets" aria-labelledby="sec-presets">
      <h2 id="sec-presets">Start from a template</h2>
      {error && (
        <p class="alert error" role="alert">
          The templates did not load: {error}
        </p>
      )}
      {!error && !presets && <p class="muted">Loading templates…</p>}
      {chosen && !browsing && (
        <FillIn preset={chosen} form={props.form} containerRef={fillIn} onBrowse={browse} />
      )}
      {presets && browsing && (
        <>
          <p class="hint">
            Ready-made webhooks for the tools people connect most. Choosing one fills in the form below; you
            then fill in what only you know (your site, a token), and Test.
          </p>
          <ul class="preset-list">
            {presets.map((p, i) => (
              <li key={p.id} class={`preset ${chosen?.id === p.id ? 'chosen' : ''}`} data-preset={p.id}>
                <h3 id={`preset-${p.id}`}>{p.name}</h3>
                <p id={`preset-${p.id}-description`}>{p.description}</p>
                <div class="preset-actions">
                  <button
                    type="button"
                    class="secondary small"
                    ref={i === 0 ? firstChoice : undefined}
                    aria-describedby={`preset-${p.id}-description`}
                    onClick={() => choose(p)}
                  >
                    Use {p.name}
                  </button>
                  <a href={p.docsUrl} target="_blank" rel="noopener noreferrer">
                    {p.name} docs<span class="sr-only"> (opens in a new tab)</span>
                  </a>
                </div>
              </li>
            ))}
          </ul>
          {chosen && (
            <button type="button" class="link-button" onClick={() => setBrowsing(false)}>
              Back to what to fill in for {chosen.name}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** What the chosen preset leaves to fill in: each placeholder, where it still is, and what to put there. */
function FillIn(props: {
  preset: Preset;
  form: FormState;
  containerRef: Ref<HTMLParagraphElement>;
  onBrowse: () => void;
}) {
  const { preset, form } = props;
  const items = preset.placeholders.map((p) => ({ p, fields: placeholderFields(form, p) }));
  const left = items.filter((item) => item.fields.length > 0).length;
  return (
    <div class="fill-in">
      <p class="fill-in-title" tabIndex={-1} ref={props.containerRef}>
        <strong>Filled in from the {preset.name} template.</strong>{' '}
        {items.length === 0
          ? 'Nothing is left to fill in: review it, then Test.'
          : left === 0
            ? 'Everything is filled in: Test it, then create it.'
            : `${left} of ${items.length} ${items.length === 1 ? 'value' : 'values'} still to fill in, then Test:`}
      </p>
      {items.length > 0 && (
        <ul class="fill-in-list">
          {items.map(({ p, fields }) => (
            <li key={p.name} class={fields.length ? 'todo' : 'done'}>
              <span class="fill-in-mark" aria-hidden="true">
                {fields.length ? '•' : '✓'}
              </span>{' '}
              <code>{token(p)}</code> <strong>{p.label}</strong>
              {fields.length === 0 && <span class="sr-only"> (filled in)</span>}: {p.description}
              {!p.secret && (
                <>
                  {' '}
                  E.g. <code>{p.example}</code>.
                </>
              )}
              {fields.length > 0 && (
                <span class="fill-in-where">
                  {' '}
                  In:{' '}
                  {fields.map((field, i) => (
                    <span key={field}>
                      {i > 0 && ', '}
                      <button
                        type="button"
                        class="link-button"
                        onClick={() => document.getElementById(fieldId(field))?.focus()}
                      >
                        {fieldLabel(field)}
                      </button>
                    </span>
                  ))}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={preset.docsUrl} target="_blank" rel="noopener noreferrer">
          {preset.name} docs<span class="sr-only"> (opens in a new tab)</span>
        </a>{' '}
        ·{' '}
        <button type="button" class="link-button" onClick={props.onBrowse}>
          Choose another template
        </button>
      </p>
    </div>
  );
}

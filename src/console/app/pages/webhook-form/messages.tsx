import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import { type Errors, errorsFromPaths, fieldId } from '../../components/field.js';
import type { Flash } from '../../flash.js';
import { fieldLabel } from '../../webhook-model.js';

/**
 * A saved / created message; after createWebhook, the signing secret, shown only then; and what the
 * save warned about, each warning linked to its field.
 */
export function FlashMessage({ flash }: { flash: Flash }) {
  const warnings = Object.entries(errorsFromPaths(flash.warnings ?? []));
  return (
    <div role="status">
      <div class={`alert ${flash.kind}`}>
        <p>{flash.text}</p>
        {flash.signingSecret && <SigningSecret secret={flash.signingSecret} />}
      </div>
      {warnings.length > 0 && (
        <div class="alert warning save-warnings">
          <p>
            {warnings.length === 1
              ? 'Saved, but one thing looks wrong:'
              : `Saved, but ${warnings.length} things look wrong:`}
          </p>
          <ProblemList problems={warnings} />
        </div>
      )}
    </div>
  );
}

function SigningSecret({ secret }: { secret: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <p class="secret">
      Signing secret, shown only now: <code>{secret}</code>{' '}
      <button
        type="button"
        class="secondary small"
        onClick={() =>
          navigator.clipboard?.writeText(secret).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </p>
  );
}

/** What the server (or the local checks) refused: each problem links to its field. */
export function ErrorSummary(props: { summary: string; errors: Errors; summaryRef: Ref<HTMLDivElement> }) {
  const summaryItems = Object.entries(props.errors);
  return (
    <div class="alert error summary" role="alert" tabIndex={-1} ref={props.summaryRef}>
      <p>{props.summary}</p>
      {summaryItems.length > 0 && <ProblemList problems={summaryItems} />}
    </div>
  );
}

/** Problems by field key, each a button that moves the focus to its field (or the field above it). */
export function ProblemList({ problems }: { problems: [key: string, message: string][] }) {
  return (
    <ul>
      {problems.map(([key, message]) => (
        <li key={key}>
          <button
            type="button"
            class="link-button"
            onClick={() =>
              (
                document.getElementById(fieldId(key)) ??
                document.getElementById(fieldId(key.split('.').slice(0, 2).join('.')))
              )?.focus()
            }
          >
            {fieldLabel(key)}: {message}
          </button>
        </li>
      ))}
    </ul>
  );
}

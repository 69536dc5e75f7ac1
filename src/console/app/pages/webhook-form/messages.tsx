import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import { type Errors, fieldId } from '../../components/field.js';
import type { Flash } from '../../flash.js';
import { fieldLabel } from '../../webhook-model.js';

/** A saved / created message; after createWebhook, the signing secret, shown only then. */
export function FlashMessage({ flash }: { flash: Flash }) {
  return (
    <div class={`alert ${flash.kind}`} role="status">
      <p>{flash.text}</p>
      {flash.signingSecret && <SigningSecret secret={flash.signingSecret} />}
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
      {summaryItems.length > 0 && (
        <ul>
          {summaryItems.map(([key, message]) => (
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
      )}
    </div>
  );
}

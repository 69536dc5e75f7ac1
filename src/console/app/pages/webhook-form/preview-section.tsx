import { useState } from 'preact/hooks';
import { ApiError, gql } from '../../api.js';
import { BodyView } from '../../components/body-view.js';
import { type Errors, errorsFromPaths } from '../../components/field.js';
import { apiDimensionLabel, triggerLabel } from '../../enums.js';
import { formatDateTime } from '../../format.js';
import type { ConsolePreviewWebhookQuery, CreateWebhookInput } from '../../gql/graphql.js';
import { PREVIEW_WEBHOOK } from '../../queries.js';
import { ProblemList } from './messages.js';

type PreviewedEvent = ConsolePreviewWebhookQuery['previewWebhook'][number];
export type PreviewTarget = { id: string } | { input: CreateWebhookInput };

/** Why a previewed event would not be delivered, in words. */
function whyNot(event: PreviewedEvent): string {
  const reasons = [
    event.triggerMatched ? '' : "not one of the webhook's triggers",
    event.blockedBy.length ? `filtered out by: ${event.blockedBy.map(apiDimensionLabel).join(', ')}` : '',
  ].filter(Boolean);
  const text = reasons.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * "Preview against recent events": the form's definition as it stands (saved or not) run over the
 * account's most recent published events by previewWebhook, which sends and stores nothing. Each
 * event shows ✓ or ✗, its trigger and time, what held it back, or the body it would have been sent
 * with (or why the template failed). Invalid fields are marked in the form and listed here.
 */
export function PreviewSection(props: {
  /** The definition to preview now; null when the form cannot be sent (its fields are marked). */
  target: () => PreviewTarget | null;
  /** The form as it stands, to tell when a preview no longer shows it. */
  formKey: string;
  onFieldErrors: (errors: Errors) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [events, setEvents] = useState<PreviewedEvent[] | null>(null);
  const [ranOn, setRanOn] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ message: string; errors: Errors } | null>(null);

  const run = async () => {
    const target = props.target();
    if (!target || busy) return;
    setBusy(true);
    setProblem(null);
    try {
      const { previewWebhook } = await gql(PREVIEW_WEBHOOK, { ...target, last: 20 });
      setEvents(previewWebhook);
      setRanOn(props.formKey);
    } catch (err) {
      const fieldErrors = err instanceof ApiError ? err.fieldErrors : [];
      const errors = errorsFromPaths(fieldErrors);
      if (fieldErrors.length) props.onFieldErrors(errors);
      setEvents(null);
      setProblem({
        message: fieldErrors.length
          ? `The form cannot be previewed yet: ${fieldErrors.length} ${fieldErrors.length === 1 ? 'problem' : 'problems'} to fix.`
          : (err as Error).message,
        errors,
      });
    } finally {
      setBusy(false);
    }
  };

  const matched = events?.filter((e) => e.matched).length ?? 0;
  return (
    <section class="card preview" aria-labelledby="sec-preview">
      <div class="section-head">
        <h2 id="sec-preview">Preview against recent events</h2>
      </div>
      <p class="hint">
        Runs the form as it stands, saved or not, over this account's last 20 published events: which would be
        delivered, and with what body. Nothing is sent or stored.
      </p>
      <p>
        <button type="button" class="secondary" disabled={busy} onClick={() => void run()}>
          {busy ? 'Previewing…' : events ? 'Preview again' : 'Run preview'}
        </button>
      </p>
      <div aria-live="polite">
        {problem && (
          <div class="alert error">
            <p>{problem.message}</p>
            {Object.keys(problem.errors).length > 0 && (
              <ProblemList problems={Object.entries(problem.errors)} />
            )}
          </div>
        )}
        {events && (
          <p class="preview-summary">
            {events.length === 0
              ? 'No events have been published in this account yet.'
              : `${matched} of the last ${events.length} ${events.length === 1 ? 'event' : 'events'} would be delivered.`}
            {ranOn !== props.formKey && ' The form has changed since: preview again to see the changes.'}
          </p>
        )}
      </div>
      {events && events.length > 0 && (
        <ol class="preview-events" aria-label="Recent events">
          {events.map((e) => (
            <li
              key={e.eventId}
              class={`preview-event ${e.matched ? 'matched' : 'blocked'}`}
              data-event-id={e.eventId}
              data-matched={String(e.matched)}
            >
              <p class="preview-line">
                <span class="mark" aria-hidden="true">
                  {e.matched ? '✓' : '✗'}
                </span>
                <span class="sr-only">{e.matched ? 'Would be delivered: ' : 'Would not be delivered: '}</span>
                <strong>{triggerLabel(e.trigger)}</strong>
                <time dateTime={e.occurredAt}>{formatDateTime(e.occurredAt)}</time>
                <code>{e.eventId}</code>
              </p>
              {!e.matched && <p class="preview-why">{whyNot(e)}</p>}
              {e.renderError && <p class="field-error">{`The template failed: ${e.renderError}`}</p>}
              {e.renderedBody !== null && (
                <details class="preview-body">
                  <summary class="preview-body-toggle">Rendered body</summary>
                  <BodyView label={`Rendered body of ${e.eventId}`} text={e.renderedBody} />
                </details>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

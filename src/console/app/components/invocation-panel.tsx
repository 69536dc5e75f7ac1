import { useEffect, useRef, useState } from 'preact/hooks';
import { gql } from '../api.js';
import { triggerLabel } from '../enums.js';
import { attemptErrorSentence, formatDateTime } from '../format.js';
import type { ConsoleAttemptFragment, ConsoleInvocationQuery } from '../gql/graphql.js';
import { INVOCATION } from '../queries.js';
import { BodyView } from './body-view.js';
import { InvocationBadge } from './status.js';

/** An invocation with every attempt: what the Invocation query and a successful testWebhook return. */
export type InvocationWithAttempts = NonNullable<ConsoleInvocationQuery['invocation']>;
type HeaderEntry = ConsoleAttemptFragment['request']['headers'][number];

/**
 * "View Invocation Data": a modal dialog with one invocation's attempts: the request as sent (secret
 * header values come masked from the API), the response, duration, error and each validator's verdict.
 * Native <dialog>: focus moves in, Escape closes, focus returns to the button that opened it.
 */
export function InvocationPanel(props: {
  invocation?: InvocationWithAttempts;
  invocationId?: string;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [loaded, setLoaded] = useState<InvocationWithAttempts | null>(props.invocation ?? null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  useEffect(() => {
    if (props.invocation) {
      setLoaded(props.invocation);
      return;
    }
    if (!props.invocationId) return;
    gql(INVOCATION, { id: props.invocationId }).then(
      (d) => (d.invocation ? setLoaded(d.invocation) : setError('This invocation no longer exists.')),
      (e: Error) => setError(e.message),
    );
  }, [props.invocation, props.invocationId]);

  const inv = loaded;
  const attempts = inv?.attempts ?? [];
  const attempt = attempts.find((a) => a.number === selected) ?? attempts[attempts.length - 1];

  return (
    <dialog
      ref={dialog}
      class="panel invocation-panel"
      aria-labelledby="invocation-title"
      onClose={props.onClose}
      onCancel={props.onClose}
    >
      <div class="panel-head">
        <h2 class="panel-title" id="invocation-title">
          Invocation data
        </h2>
        <button type="button" class="secondary small" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
      {error && (
        <p class="alert error" role="alert">
          {error}
        </p>
      )}
      {!inv && !error && <p class="muted">Loading…</p>}
      {inv && (
        <>
          <dl class="facts">
            <div>
              <dt>Status</dt>
              <dd>
                <InvocationBadge status={inv.status} />
                {inv.test ? ' (test)' : ''}
                {inv.redeliveryOf ? ' (redelivery)' : ''}
              </dd>
            </div>
            <div>
              <dt>Trigger</dt>
              <dd>{triggerLabel(inv.trigger)}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatDateTime(inv.createdAt)}</dd>
            </div>
            <div>
              <dt>Attempts</dt>
              <dd>{inv.attemptCount}</dd>
            </div>
            {inv.nextAttemptAt && (
              <div>
                <dt>Next attempt</dt>
                <dd>{formatDateTime(inv.nextAttemptAt)}</dd>
              </div>
            )}
            {inv.redeliveryOf && (
              <div>
                <dt>Redelivery of</dt>
                <dd>
                  <code>{inv.redeliveryOf}</code>
                </dd>
              </div>
            )}
            <div>
              <dt>Invocation id</dt>
              <dd>
                <code>{inv.id}</code>
              </dd>
            </div>
          </dl>
          {attempts.length > 1 && (
            <div class="field inline">
              <label for="attempt-select">Attempt</label>
              <select
                id="attempt-select"
                value={attempt?.number}
                onChange={(e) => setSelected(Number(e.currentTarget.value))}
              >
                {attempts.map((a) => (
                  <option key={a.number} value={a.number}>
                    {`Attempt ${a.number}: ${a.success ? 'succeeded' : 'failed'}`}
                  </option>
                ))}
              </select>
            </div>
          )}
          {attempt ? <AttemptView attempt={attempt} /> : <p class="muted">No attempt has been made yet.</p>}
        </>
      )}
    </dialog>
  );
}

function Headers({ headers, label }: { headers: HeaderEntry[]; label: string }) {
  if (headers.length === 0) return <p class="muted">No headers.</p>;
  return (
    <table class="headers">
      <caption class="sr-only">{label}</caption>
      <thead>
        <tr>
          <th scope="col">Header</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {headers.map((h, i) => (
          <tr key={i}>
            <td>{h.name}</td>
            <td>
              <code>{h.value}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AttemptView({ attempt }: { attempt: ConsoleAttemptFragment }) {
  const { request, response, error } = attempt;
  return (
    <div class="attempt" data-attempt={attempt.number}>
      <p class={`alert ${attempt.success ? 'success' : 'error'}`}>
        Attempt {attempt.number} {attempt.success ? 'succeeded' : 'failed'} in {attempt.durationMs} ms,
        started {formatDateTime(attempt.startedAt)}.
      </p>
      {error && (
        <section class="attempt-error" aria-labelledby="attempt-error-title">
          <h3 id="attempt-error-title">Error</h3>
          <p class="error-sentence">{attemptErrorSentence(error.code)}</p>
          <p>
            <code>{error.code}</code> {error.message}
          </p>
        </section>
      )}
      <div class="request-response">
        <section aria-labelledby="request-title">
          <h3 id="request-title">Request</h3>
          <p class="request-line">
            <strong>{request.method}</strong> <code>{request.url}</code>
          </p>
          <Headers headers={request.headers} label="Request headers" />
          <h4>Body</h4>
          {request.body ? (
            <BodyView label="Request body" text={request.body} />
          ) : (
            <p class="muted">No body.</p>
          )}
        </section>
        <section aria-labelledby="response-title">
          <h3 id="response-title">Response</h3>
          {response ? (
            <>
              <p class="request-line">
                Status <strong class="status-code">{response.statusCode}</strong>
              </p>
              <Headers headers={response.headers} label="Response headers" />
              <h4>Body</h4>
              {response.body ? (
                <BodyView label="Response body" text={response.body} />
              ) : (
                <p class="muted">No body.</p>
              )}
              {response.bodyTruncated && <p class="hint">The body was cut at 64 KiB.</p>}
            </>
          ) : (
            <p class="muted">No response was received.</p>
          )}
        </section>
      </div>
      {attempt.validatorResults.length > 0 && (
        <section aria-labelledby="validators-title">
          <h3 id="validators-title">Response validators</h3>
          <table class="validators">
            <thead>
              <tr>
                <th scope="col">JSON path</th>
                <th scope="col">Expected</th>
                <th scope="col">Actual</th>
                <th scope="col">Verdict</th>
              </tr>
            </thead>
            <tbody>
              {attempt.validatorResults.map((v) => (
                <tr key={v.jsonPath}>
                  <td>
                    <code>{v.jsonPath}</code>
                  </td>
                  <td>{v.expectedValues.join(', ')}</td>
                  <td>
                    {v.actualValue === null ? (
                      <span class="muted">missing</span>
                    ) : (
                      <code>{v.actualValue}</code>
                    )}
                  </td>
                  <td class={v.passed ? 'passed' : 'failed'}>{v.passed ? '✓ passed' : '✗ failed'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}

import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api.js';
import { InvocationPanel } from '../components/invocation-panel.js';
import { InvocationBadge, StatusDot, TimeAgo } from '../components/status.js';
import { INVOCATION_STATUSES, statusLabel, triggerLabel } from '../enums.js';
import { reasonText, toLocalInput } from '../format.js';
import type {
  ConsoleInvocationFragment,
  ConsoleInvocationsQuery,
  ConsoleWebhookNameQuery,
  InvocationStatus,
} from '../gql/graphql.js';
import { useLiveConnection } from '../hooks/use-live-connection.js';
import { INVOCATIONS, RECOVER, REDELIVER, WEBHOOK_NAME } from '../queries.js';
import { href } from '../router.js';

const PAGE_SIZE = 25;

type Kind = '' | 'events' | 'tests';
type Row = ConsoleInvocationsQuery['invocations']['edges'][number]['node'];

function matches(inv: ConsoleInvocationFragment, status: InvocationStatus | '', kind: Kind) {
  return (!status || inv.status === status) && (kind === '' || inv.test === (kind === 'tests'));
}

/**
 * Invocations of one webhook (or of all): a table fed by `invocationUpdated` over graphql-ws, so rows
 * appear and change as deliveries happen; after the connection drops and comes back, it reloads to
 * catch up on what it missed.
 */
export function InvocationsPage(props: { webhookId: string | null; canEdit: boolean }) {
  const { webhookId } = props;
  const [webhook, setWebhook] = useState<ConsoleWebhookNameQuery['webhook']>(null);
  const [status, setStatus] = useState<InvocationStatus | ''>('');
  const [kind, setKind] = useState<Kind>('');
  const [details, setDetails] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The page's own failures (the webhook's name, a redelivery); the table's come from the hook.
  const [actionError, setActionError] = useState<string | null>(null);

  useEffect(() => {
    setWebhook(null);
    if (!webhookId) return;
    gql(WEBHOOK_NAME, { id: webhookId }).then(
      (d) => (d.webhook ? setWebhook(d.webhook) : setActionError('No webhook with this id.')),
      (e: Error) => setActionError(e.message),
    );
  }, [webhookId]);

  const list = useLiveConnection({
    query: INVOCATIONS,
    variables: {
      first: PAGE_SIZE,
      webhookId,
      status: status || null,
      test: kind === '' ? null : kind === 'tests',
    },
    connection: (data) => data.invocations,
    live: { webhookId },
    // Rows follow the filters: an update that no longer matches leaves the table, a new match joins it.
    merge: (current: Row[], inv) => {
      const index = current.findIndex((r) => r.id === inv.id);
      if (!matches(inv, status, kind)) return index === -1 ? current : current.filter((r) => r.id !== inv.id);
      if (index !== -1) return current.map((r) => (r.id === inv.id ? inv : r));
      return [inv, ...current].sort((a, b) =>
        a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0,
      );
    },
  });
  const { nodes: rows, loading, live } = list;
  const error = actionError ?? list.error;
  const hasMore = Boolean(list.pageInfo?.hasNextPage && list.pageInfo.endCursor);

  const redeliver = async (inv: Row) => {
    setNotice(null);
    setActionError(null);
    try {
      const { redeliverInvocation: result } = await gql(REDELIVER, { id: inv.id });
      if (result.__typename !== 'RedeliverInvocationSuccess') return setActionError(result.message);
      setNotice(`Redelivery queued as ${result.invocation.id}.`);
    } catch (e) {
      setActionError((e as Error).message);
    }
  };

  const title = webhookId ? `Invocations of ${webhook?.name ?? '…'}` : 'All invocations';

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>{title}</h1>
        <span class={`live live-${live}`} role="status">
          {live === 'live' ? 'Live' : live === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        </span>
      </div>
      {webhook && (
        <p class="webhook-line">
          <StatusDot status={webhook.status} reason={webhook.disabledReason} />{' '}
          <a href={href({ page: 'webhook', id: webhook.id })}>Edit {webhook.name}</a>
          {webhook.disabledReason && (
            <span class="disabled-reason"> {reasonText(webhook.disabledReason)}</span>
          )}
        </p>
      )}
      <form class="filters" aria-label="Filter invocations" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="inv-status">Status</label>
          <select
            id="inv-status"
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as InvocationStatus | '')}
          >
            <option value="">Any</option>
            {INVOCATION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="inv-kind">Kind</label>
          <select id="inv-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
            <option value="">Events and tests</option>
            <option value="events">Events only</option>
            <option value="tests">Tests only</option>
          </select>
        </div>
      </form>
      {webhookId && props.canEdit && <RecoverForm webhookId={webhookId} />}
      {error && (
        <p class="alert error" role="alert">
          {error}
        </p>
      )}
      {notice && (
        <p class="alert success" role="status">
          {notice}
        </p>
      )}
      <div class="table-wrap" aria-busy={loading ? 'true' : 'false'}>
        <table class="data invocations-table">
          <caption class="sr-only">{title}, newest first, updated live</caption>
          <thead>
            <tr>
              <th scope="col">Status</th>
              {!webhookId && <th scope="col">Webhook</th>}
              <th scope="col">Trigger</th>
              <th scope="col">Created</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last result</th>
              <th scope="col">Next attempt</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((inv) => {
              const last = inv.lastAttempt;
              const finished = inv.status === 'SUCCEEDED' || inv.status === 'FAILED';
              return (
                <tr key={inv.id} data-invocation-id={inv.id} data-status={inv.status}>
                  <td data-label="Status">
                    <div>
                      <InvocationBadge status={inv.status} />
                      {inv.test && <span class="tag">test</span>}
                      {inv.redeliveryOf && (
                        <span class="tag" title={`Redelivery of ${inv.redeliveryOf}`}>
                          redelivery
                        </span>
                      )}
                    </div>
                  </td>
                  {!webhookId && (
                    <td data-label="Webhook">
                      {inv.webhook ? (
                        <a href={href({ page: 'invocations', webhookId: inv.webhook.id })}>
                          {inv.webhook.name}
                        </a>
                      ) : (
                        <span class="muted">{inv.test ? 'unsaved definition' : 'deleted'}</span>
                      )}
                    </td>
                  )}
                  <td data-label="Trigger">{triggerLabel(inv.trigger, true)}</td>
                  <td data-label="Created">
                    <TimeAgo iso={inv.createdAt} />
                  </td>
                  <td data-label="Attempts">{inv.attemptCount}</td>
                  <td data-label="Last result">
                    <div>
                      {last ? (
                        <>
                          {last.response ? <code>HTTP {last.response.statusCode}</code> : null}
                          {last.error ? <code title={last.error.message}> {last.error.code}</code> : null}
                          {!last.response && !last.error ? (last.success ? 'OK' : '—') : null}{' '}
                          <span class="muted">{last.durationMs} ms</span>
                        </>
                      ) : (
                        <span class="muted">not yet sent</span>
                      )}
                    </div>
                  </td>
                  <td data-label="Next attempt">
                    {inv.nextAttemptAt && !finished ? (
                      <TimeAgo iso={inv.nextAttemptAt} />
                    ) : (
                      <span class="muted">—</span>
                    )}
                  </td>
                  <td data-label="Actions" class="row-actions">
                    <button
                      type="button"
                      class="secondary small"
                      onClick={() => setDetails(inv.id)}
                      aria-label={`Details of invocation ${inv.id}`}
                    >
                      Details
                    </button>
                    {props.canEdit && finished && !inv.test && (
                      <button
                        type="button"
                        class="secondary small"
                        onClick={() => redeliver(inv)}
                        aria-label={`Redeliver invocation ${inv.id}`}
                      >
                        Redeliver
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {!loading && rows.length === 0 && (
          <p class="empty">
            No invocations{status || kind ? ' match these filters' : ' yet'}. New ones appear here as they
            happen.
          </p>
        )}
      </div>
      {hasMore && (
        <p class="pager">
          <button type="button" class="secondary" onClick={list.loadMore}>
            Load more
          </button>
        </p>
      )}
      {details && <InvocationPanel invocationId={details} onClose={() => setDetails(null)} />}
    </>
  );
}

function RecoverForm({ webhookId }: { webhookId: string }) {
  const [since, setSince] = useState(() => toLocalInput(new Date(Date.now() - 24 * 3_600_000)));
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const date = new Date(since);
    if (Number.isNaN(date.getTime())) return setResult({ ok: false, text: 'Choose a date and time.' });
    setBusy(true);
    try {
      const { recoverFailedInvocations: r } = await gql(RECOVER, { webhookId, since: date.toISOString() });
      if (r.__typename === 'ValidationError') {
        setResult({ ok: false, text: r.fieldErrors.map((f) => f.message).join('; ') || r.message });
      } else if (r.__typename !== 'RecoverFailedInvocationsSuccess') {
        setResult({ ok: false, text: r.message });
      } else {
        setResult({
          ok: true,
          text:
            r.count === 0
              ? 'No failed invocation since then.'
              : `${r.count} failed ${r.count === 1 ? 'invocation' : 'invocations'} queued for redelivery.`,
        });
      }
    } catch (err) {
      setResult({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="recover" onSubmit={submit} aria-label="Recover failed invocations">
      <div class="field">
        <label for="recover-since">Recover failed since</label>
        <input
          id="recover-since"
          type="datetime-local"
          value={since}
          aria-describedby={result ? 'recover-result' : undefined}
          onInput={(e) => setSince(e.currentTarget.value)}
        />
      </div>
      <button type="submit" class="secondary" disabled={busy}>
        {busy ? 'Recovering…' : 'Recover'}
      </button>
      <p
        id="recover-result"
        class={result ? `alert ${result.ok ? 'success' : 'error'}` : 'sr-only'}
        role="status"
      >
        {result?.text ?? ''}
      </p>
    </form>
  );
}

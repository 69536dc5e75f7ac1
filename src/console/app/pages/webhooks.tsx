import { useEffect, useState } from 'preact/hooks';
import { gql } from '../api.js';
import { HealthSparkline, useDeliveryChanges } from '../components/health.js';
import { InvocationBadge, StatusDot, TimeAgo } from '../components/status.js';
import { TRIGGERS, triggerLabel, WEBHOOK_STATUSES } from '../enums.js';
import { takeFlash } from '../flash.js';
import { reasonText } from '../format.js';
import type {
  ConsoleWebhooksQuery,
  ConsoleWebhooksQueryVariables,
  WebhookStatus,
  WebhookTrigger,
} from '../gql/graphql.js';
import { useLiveConnection } from '../hooks/use-live-connection.js';
import { WEBHOOK_HEALTH_SUMMARY, WEBHOOKS } from '../queries.js';
import { href } from '../router.js';

const PAGE_SIZE = 20;

interface Filters {
  status: WebhookStatus | '';
  trigger: WebhookTrigger | '';
  name: string;
}

type WebhookRow = ConsoleWebhooksQuery['webhooks']['edges'][number]['node'];
type RowHealth = WebhookRow['health'];

/** The webhooks table: filters, cursor paging, and each webhook's last invocation kept live. */
export function WebhooksPage(props: { canEdit: boolean }) {
  // What the page before left for this one (a webhook just deleted), shown here, at once.
  const [flash] = useState(() => takeFlash({ page: 'webhooks' }));
  const [filters, setFilters] = useState<Filters>({ status: '', trigger: '', name: '' });
  const [nameDraft, setNameDraft] = useState('');
  // Cursors of the pages before this one: the API pages forward only.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;

  // The name filter follows typing after a short pause.
  useEffect(() => {
    const timer = setTimeout(() => {
      setFilters((f) => (f.name === nameDraft ? f : { ...f, name: nameDraft }));
      setCursors([null]);
    }, 250);
    return () => clearTimeout(timer);
  }, [nameDraft]);

  const variables: ConsoleWebhooksQueryVariables = {
    first: PAGE_SIZE,
    after,
    status: filters.status || null,
    trigger: filters.trigger || null,
    nameContains: filters.name.trim() || null,
  };
  // Last invocation per row, live: every change of the account's invocations.
  const {
    nodes: rows,
    pageInfo,
    loading,
    error,
  } = useLiveConnection({
    query: WEBHOOKS,
    variables,
    connection: (data) => data.webhooks,
    live: {},
    merge: (current: WebhookRow[], inv) => {
      if (!current.some((r) => r.id === inv.webhookId)) return current;
      return current.map((row) => {
        if (row.id !== inv.webhookId) return row;
        const last = row.invocations.edges[0]?.node;
        if (last && last.id !== inv.id && last.createdAt > inv.createdAt) return row;
        return { ...row, invocations: { edges: [{ node: inv }] } };
      });
    },
  });

  // Each row's health, newer than the page's once its deliveries changed (read again, not counted here).
  const [healthNow, setHealthNow] = useState<Map<string, RowHealth>>(new Map());
  const shown = new Set(rows.map((r) => r.id));
  useDeliveryChanges({}, (ids) => {
    for (const id of ids.filter((i) => shown.has(i))) {
      gql(WEBHOOK_HEALTH_SUMMARY, { id }).then(
        (data) => {
          const node = data.node && 'health' in data.node ? data.node : null;
          if (node) setHealthNow((m) => new Map(m).set(id, node.health));
        },
        () => {},
      );
    }
  });
  // A page loaded afresh is at least as new as what was read before it.
  useEffect(() => setHealthNow(new Map()), [rows.length === 0 ? 0 : rows[0]?.id, loading]);

  const setFilter = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setCursors([null]);
  };
  const filtered = filters.status || filters.trigger || filters.name;

  return (
    <>
      <div class="page-head">
        <h1 tabIndex={-1}>Webhooks</h1>
        {props.canEdit && (
          <a class="button primary" href={href({ page: 'new-webhook' })}>
            Add Webhook
          </a>
        )}
      </div>
      {flash && (
        <div role="status">
          <p class={`alert ${flash.kind}`}>{flash.text}</p>
        </div>
      )}
      <form class="filters" aria-label="Filter webhooks" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="filter-name">Name contains</label>
          <input
            id="filter-name"
            type="search"
            value={nameDraft}
            onInput={(e) => setNameDraft(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="filter-status">Status</label>
          <select
            id="filter-status"
            value={filters.status}
            onChange={(e) => setFilter({ status: e.currentTarget.value as WebhookStatus | '' })}
          >
            <option value="">Any</option>
            {WEBHOOK_STATUSES.map(([s, label]) => (
              <option key={s} value={s}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-trigger">Trigger</label>
          <select
            id="filter-trigger"
            value={filters.trigger}
            onChange={(e) => setFilter({ trigger: e.currentTarget.value as WebhookTrigger | '' })}
          >
            <option value="">Any</option>
            {TRIGGERS.map((t) => (
              <option key={t} value={t}>
                {triggerLabel(t)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {error && (
        <p class="alert error" role="alert">
          {error}
        </p>
      )}
      <div class="table-wrap" aria-busy={loading ? 'true' : 'false'}>
        <table class="data webhooks-table">
          <caption class="sr-only">Webhooks{filtered ? ' matching the filters' : ''}</caption>
          <thead>
            <tr>
              <th scope="col">
                <span class="sr-only">Status</span>
              </th>
              <th scope="col">Name</th>
              <th scope="col">Method</th>
              <th scope="col">URL</th>
              <th scope="col">Triggers</th>
              <th scope="col">Last invocation</th>
              <th scope="col">Last 24 hours</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((w) => {
              const last = w.invocations.edges[0]?.node;
              return (
                <tr key={w.id} data-webhook-id={w.id}>
                  <td data-label="Status">
                    <StatusDot status={w.status} reason={w.disabledReason} />
                  </td>
                  <td data-label="Name">
                    <div>
                      <a href={href({ page: 'webhook', id: w.id })} class="name">
                        {w.name}
                      </a>
                      {w.description && <p class="description">{w.description}</p>}
                      {w.disabledReason && <p class="disabled-reason">{reasonText(w.disabledReason)}</p>}
                    </div>
                  </td>
                  <td data-label="Method">
                    <code>{w.method}</code>
                  </td>
                  <td data-label="URL" class="url">
                    <span title={w.url}>{w.url}</span>
                  </td>
                  <td data-label="Triggers">{w.triggers.map((t) => triggerLabel(t, true)).join(', ')}</td>
                  <td data-label="Last invocation" class="last-invocation">
                    {last ? (
                      <div>
                        <InvocationBadge status={last.status} />
                        {last.lastAttempt?.response ? (
                          <code> {last.lastAttempt.response.statusCode}</code>
                        ) : null}
                        {!last.lastAttempt?.response && last.lastAttempt?.error ? (
                          <code> {last.lastAttempt.error.code}</code>
                        ) : null}
                        {last.test ? ' (test)' : ''}
                        <div class="when">
                          <TimeAgo iso={last.completedAt ?? last.createdAt} />
                        </div>
                      </div>
                    ) : (
                      <span class="muted">Never</span>
                    )}
                  </td>
                  <td data-label="Last 24 hours" class="health-cell">
                    <HealthSparkline health={healthNow.get(w.id) ?? w.health} />
                  </td>
                  <td data-label="Actions">
                    <a
                      href={href({ page: 'invocations', webhookId: w.id })}
                      aria-label={`Invocations of ${w.name}`}
                    >
                      Invocations
                    </a>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {!loading && rows.length === 0 && (
          <p class="empty">
            {filtered ? 'No webhook matches these filters.' : 'No webhooks yet.'}
            {!filtered && props.canEdit && (
              <>
                {' '}
                <a href={href({ page: 'new-webhook' })}>Create the first one.</a>
              </>
            )}
          </p>
        )}
      </div>
      <nav class="pager" aria-label="Pages of webhooks">
        <button
          type="button"
          class="secondary"
          disabled={cursors.length <= 1}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          Previous page
        </button>
        <span>Page {cursors.length}</span>
        <button
          type="button"
          class="secondary"
          disabled={!pageInfo?.hasNextPage}
          onClick={() => {
            const next = pageInfo?.endCursor;
            if (next) setCursors((c) => [...c, next]);
          }}
        >
          Next page
        </button>
      </nav>
    </>
  );
}

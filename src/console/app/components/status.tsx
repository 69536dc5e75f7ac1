import { statusLabel } from '../enums.js';
import { formatDateTime, formatRelative } from '../format.js';
import type { InvocationStatus, WebhookStatus } from '../gql/graphql.js';

/** Green dot for an active webhook, white for an inactive one; the words are there for screen readers. */
export function StatusDot({ status, reason }: { status: WebhookStatus; reason?: string | null }) {
  const text = status === 'ACTIVE' ? 'Active' : reason ? `Inactive (deactivated by the system)` : 'Inactive';
  return (
    <span class="status" data-status={status}>
      <span class={`dot dot-${status.toLowerCase()}`} aria-hidden="true" title={text} />
      <span class="sr-only">{text}</span>
    </span>
  );
}

export function InvocationBadge({ status }: { status: InvocationStatus }) {
  return (
    <span class={`badge badge-${status.toLowerCase().replace('_', '-')}`} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}

export function TimeAgo({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span>—</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso)}
    </time>
  );
}

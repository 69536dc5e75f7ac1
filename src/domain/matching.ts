import type { AccessEvent } from './event.js';
import type { FilterDimension, WebhookFilters } from './webhook.js';

/**
 * Filters: OR inside a dimension, AND across dimensions, an empty dimension matches anything.
 * Each dimension reads the values it compares from the event.
 */
const EXTRACT: Record<FilterDimension, (e: AccessEvent) => (string | null | undefined)[]> = {
  integrationIds: (e) => e.data.access_groups.map((g) => g.integration.id),
  integrationTypes: (e) => e.data.access_groups.map((g) => g.integration.type),
  resourceTypes: (e) => e.data.access_groups.flatMap((g) => g.resource_types.map((t) => t.id)),
  resourceIds: (e) => e.data.access_groups.flatMap((g) => g.access_units.map((u) => u.resource.id)),
  permissions: (e) => e.data.access_groups.flatMap((g) => g.access_units.map((u) => u.permission.name)),
  accessFlowIds: (e) => [e.data.access_flow.id],
  bundleIds: (e) => [e.data.access_bundle?.id],
  requesterEmails: (e) => [e.data.requester.email.toLowerCase()],
  granteeTypes: (e) => [e.data.grantee.type],
  approvalTypes: (e) => e.data.approvals.map((a) => a.type),
};

export function matchesFilters(filters: WebhookFilters, event: AccessEvent): boolean {
  for (const dimension of Object.keys(EXTRACT) as FilterDimension[]) {
    const allowed = filters[dimension];
    if (allowed.length === 0) continue;
    const values = EXTRACT[dimension](event);
    if (!values.some((v) => v !== null && v !== undefined && allowed.includes(v))) return false;
  }
  return true;
}

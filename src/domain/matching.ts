import type { AccessEvent, Trigger } from './event.js';
import {
  CASE_INSENSITIVE_DIMENSIONS,
  FILTER_DIMENSIONS,
  type FilterDimension,
  type WebhookFilters,
} from './webhook.js';

/**
 * Filters: OR inside a dimension, AND across dimensions, an empty dimension matches anything.
 * Each dimension reads the values it compares from the event (folded to lower case where the
 * dimension is case-insensitive, as saved filters are: webhook.ts).
 */
const EXTRACT: Record<FilterDimension, (e: AccessEvent) => (string | null | undefined)[]> = {
  integrationIds: (e) => e.data.access_groups.map((g) => g.integration.id),
  integrationTypes: (e) => e.data.access_groups.map((g) => g.integration.type),
  resourceTypes: (e) => e.data.access_groups.flatMap((g) => g.resource_types.map((t) => t.id)),
  resourceIds: (e) => e.data.access_groups.flatMap((g) => g.access_units.map((u) => u.resource.id)),
  permissions: (e) => e.data.access_groups.flatMap((g) => g.access_units.map((u) => u.permission.name)),
  accessFlowIds: (e) => [e.data.access_flow.id],
  bundleIds: (e) => [e.data.access_bundle?.id],
  requesterEmails: (e) => [e.data.requester.email],
  granteeTypes: (e) => [e.data.grantee.type],
  approvalTypes: (e) => e.data.approvals.map((a) => a.type),
};

/** What an event offers each filter dimension: the values its filters are compared with. */
export type EventFilterValues = Record<FilterDimension, string[]>;

export function eventFilterValues(event: AccessEvent): EventFilterValues {
  const values = {} as EventFilterValues;
  for (const dimension of FILTER_DIMENSIONS) {
    const found = EXTRACT[dimension](event).filter((v): v is string => typeof v === 'string');
    values[dimension] = CASE_INSENSITIVE_DIMENSIONS.has(dimension)
      ? found.map((v) => v.toLowerCase())
      : found;
  }
  return values;
}

export function matchesFilters(filters: WebhookFilters, event: AccessEvent): boolean {
  return matchesFilterValues(filters, eventFilterValues(event));
}

/** matchesFilters with the event's values extracted once (fan-out checks many webhooks against one event). */
export function matchesFilterValues(filters: WebhookFilters, values: EventFilterValues): boolean {
  for (const dimension of FILTER_DIMENSIONS) {
    const allowed = filters[dimension];
    if (allowed.length === 0) continue;
    if (!values[dimension].some((v) => allowed.includes(v))) return false;
  }
  return true;
}

/** The filtered dimensions that none of the event's values pass, in FILTER_DIMENSIONS order. */
export function blockingDimensions(filters: WebhookFilters, values: EventFilterValues): FilterDimension[] {
  return FILTER_DIMENSIONS.filter((dimension) => {
    const allowed = filters[dimension];
    return allowed.length > 0 && !values[dimension].some((v) => allowed.includes(v));
  });
}

/** Whether a webhook would fire for an event, and what stops it: its triggers, then its filters. */
export interface MatchVerdict {
  triggerMatched: boolean;
  blockedBy: FilterDimension[];
  matched: boolean;
}

export function matchVerdict(
  webhook: { triggers: readonly Trigger[]; filters: WebhookFilters },
  trigger: Trigger,
  values: EventFilterValues,
): MatchVerdict {
  const triggerMatched = webhook.triggers.includes(trigger);
  const blockedBy = blockingDimensions(webhook.filters, values);
  return { triggerMatched, blockedBy, matched: triggerMatched && blockedBy.length === 0 };
}

/**
 * Match keys: how stores index filters, so matching reads only webhooks that may match. A webhook's
 * keys are one per filter value (`dimension␟value`), or ANY_MATCH_KEY when it filters on nothing; an
 * event's keys are one per value it offers, plus ANY_MATCH_KEY. A webhook can match an event only if
 * they share a key (a match needs a hit in every filtered dimension, so in one at least): stores
 * return those candidates, and matchesFilters decides.
 */
export const ANY_MATCH_KEY = '*';
const SEPARATOR = '\u001f';

export function webhookMatchKeys(filters: WebhookFilters): string[] {
  const keys = FILTER_DIMENSIONS.flatMap((d) => filters[d].map((value) => `${d}${SEPARATOR}${value}`));
  return keys.length ? keys : [ANY_MATCH_KEY];
}

export function eventMatchKeys(values: EventFilterValues): string[] {
  const keys = new Set([ANY_MATCH_KEY]);
  for (const d of FILTER_DIMENSIONS) for (const value of values[d]) keys.add(`${d}${SEPARATOR}${value}`);
  return [...keys];
}

import type {
  HttpMethod,
  InvocationStatus,
  WebhookFiltersInput,
  WebhookStatus,
  WebhookTrigger,
} from './gql/graphql.js';

/**
 * The runtime lists of the API's enum values that the console shows (options, checkboxes, labels), in
 * the console's order. Their types come from the schema (./gql/graphql.ts): each list or label map is
 * checked to name every value of its enum and nothing else, so a value added to or removed from the
 * schema fails `npm run typecheck` here instead of going missing from a form.
 */

/** `true` when the list L names every member of the union U (`true satisfies Covers<U, L>`). */
type Covers<U, L extends readonly unknown[]> = [Exclude<U, L[number]>] extends [never] ? true : false;

/** Every trigger with its short label; the key order is the order the form lists and sends them in. */
const TRIGGER_WORDS = {
  REQUEST_CREATED: 'Created',
  REQUEST_APPROVED: 'Approved',
  REQUEST_EXPIRED: 'Expired',
  REQUEST_FAILED: 'Failed',
  REQUEST_GRANTED: 'Granted',
  REQUEST_REJECTED: 'Rejected',
} as const satisfies Record<WebhookTrigger, string>;

export const TRIGGERS = Object.keys(TRIGGER_WORDS) as WebhookTrigger[];

/** REQUEST_CREATED → "Created" (short, for tables) or "Request created". */
export function triggerLabel(trigger: WebhookTrigger, short = false): string {
  const word = TRIGGER_WORDS[trigger];
  return short ? word : `Request ${word.toLowerCase()}`;
}

export const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE', 'GET'] as const satisfies readonly HttpMethod[];
true satisfies Covers<HttpMethod, typeof METHODS>;

const WEBHOOK_STATUS_LABELS = { ACTIVE: 'Active', INACTIVE: 'Inactive' } as const satisfies Record<
  WebhookStatus,
  string
>;

/** [status, label] of every webhook status. */
export const WEBHOOK_STATUSES = Object.entries(WEBHOOK_STATUS_LABELS) as [WebhookStatus, string][];

const STATUS_LABELS = {
  PENDING: 'Pending',
  IN_FLIGHT: 'In flight',
  RETRYING: 'Retrying',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
} as const satisfies Record<InvocationStatus, string>;

/** Every invocation status, in the order of an invocation's life. */
export const INVOCATION_STATUSES = Object.keys(STATUS_LABELS) as InvocationStatus[];

export function statusLabel(status: InvocationStatus): string {
  return STATUS_LABELS[status];
}

/** A filter dimension of a webhook: a field of WebhookFilters / WebhookFiltersInput. */
export type FilterDimension = keyof WebhookFiltersInput;
export type Filters = Record<FilterDimension, string[]>;

const FILTER_LABELS = {
  integrationIds: 'Integration ids',
  integrationTypes: 'Integration types',
  resourceTypes: 'Resource types',
  resourceIds: 'Resource ids',
  permissions: 'Permissions',
  accessFlowIds: 'Access flow ids',
  bundleIds: 'Bundle ids',
  requesterEmails: 'Requester emails',
  granteeTypes: 'Grantee types',
  approvalTypes: 'Approval types',
} as const satisfies Record<FilterDimension, string>;

/** [dimension, label] of every filter dimension, in the form's order. */
export const FILTER_DIMENSIONS = Object.entries(FILTER_LABELS) as [FilterDimension, string][];

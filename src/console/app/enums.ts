import type {
  FilterDimension as ApiFilterDimension,
  ApiKeyRole,
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

/**
 * Every filter dimension: its label, its name in the API's FilterDimension enum (filterOptions,
 * blockedBy), and whether it ignores case (the server folds its values to lower case when it saves
 * them, and the console folds what the admin types the same way). The key order is the form's.
 */
const FILTERS = {
  integrationIds: { label: 'Integrations', api: 'INTEGRATION_IDS', folded: false },
  integrationTypes: { label: 'Integration types', api: 'INTEGRATION_TYPES', folded: true },
  resourceTypes: { label: 'Resource types', api: 'RESOURCE_TYPES', folded: true },
  resourceIds: { label: 'Resources', api: 'RESOURCE_IDS', folded: false },
  permissions: { label: 'Permissions', api: 'PERMISSIONS', folded: true },
  accessFlowIds: { label: 'Access flows', api: 'ACCESS_FLOW_IDS', folded: false },
  bundleIds: { label: 'Bundles', api: 'BUNDLE_IDS', folded: false },
  requesterEmails: { label: 'Requester emails', api: 'REQUESTER_EMAILS', folded: true },
  granteeTypes: { label: 'Grantee types', api: 'GRANTEE_TYPES', folded: true },
  approvalTypes: { label: 'Approval types', api: 'APPROVAL_TYPES', folded: true },
} as const satisfies Record<FilterDimension, { label: string; api: ApiFilterDimension; folded: boolean }>;
true satisfies Covers<ApiFilterDimension, (typeof FILTERS)[FilterDimension]['api'][]>;

/** [dimension, label] of every filter dimension, in the form's order. */
export const FILTER_DIMENSIONS = Object.entries(FILTERS).map(([d, f]) => [d, f.label]) as [
  FilterDimension,
  string,
][];

/** accessFlowIds → ACCESS_FLOW_IDS, the API's name for it. */
export function apiDimension(dimension: FilterDimension): ApiFilterDimension {
  return FILTERS[dimension].api;
}

/** ACCESS_FLOW_IDS (as blockedBy names it) → "Access flows". */
export function apiDimensionLabel(api: ApiFilterDimension): string {
  return Object.values(FILTERS).find((f) => f.api === api)?.label ?? api;
}

/** A value as the filter stores it: lower case for the dimensions that ignore case. */
export function foldFilterValue(dimension: FilterDimension, value: string): string {
  return FILTERS[dimension].folded ? value.toLowerCase() : value;
}

/** Every API key role with what it may do, in the order the keys page offers them. */
const API_KEY_ROLE_WORDS = {
  VIEWER: 'Viewer: reads everything, changes nothing',
  PUBLISHER: 'Publisher: only publishes events',
  ADMIN: 'Admin: everything, including API keys',
} as const satisfies Record<ApiKeyRole, string>;

export const API_KEY_ROLES = Object.entries(API_KEY_ROLE_WORDS) as [ApiKeyRole, string][];

/** The shapes the console selects from the public GraphQL API (see queries.ts). */

export const TRIGGERS = [
  'REQUEST_CREATED',
  'REQUEST_APPROVED',
  'REQUEST_EXPIRED',
  'REQUEST_FAILED',
  'REQUEST_GRANTED',
  'REQUEST_REJECTED',
] as const;
export type Trigger = (typeof TRIGGERS)[number];

export const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE', 'GET'] as const;
export type HttpMethod = (typeof METHODS)[number];

export type WebhookStatus = 'ACTIVE' | 'INACTIVE';

export const INVOCATION_STATUSES = ['PENDING', 'IN_FLIGHT', 'RETRYING', 'SUCCEEDED', 'FAILED'] as const;
export type InvocationStatus = (typeof INVOCATION_STATUSES)[number];

export type Role = 'ADMIN' | 'VIEWER' | 'PUBLISHER';

export const FILTER_DIMENSIONS = [
  ['integrationIds', 'Integration ids'],
  ['integrationTypes', 'Integration types'],
  ['resourceTypes', 'Resource types'],
  ['resourceIds', 'Resource ids'],
  ['permissions', 'Permissions'],
  ['accessFlowIds', 'Access flow ids'],
  ['bundleIds', 'Bundle ids'],
  ['requesterEmails', 'Requester emails'],
  ['granteeTypes', 'Grantee types'],
  ['approvalTypes', 'Approval types'],
] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number][0];
export type Filters = Record<FilterDimension, string[]>;

export interface HeaderEntry {
  name: string;
  value: string;
}

export interface FieldError {
  path: string[];
  message: string;
}

export interface Webhook {
  id: string;
  name: string;
  status: WebhookStatus;
  method: HttpMethod;
  url: string;
  bodyTemplate: string;
  headers: HeaderEntry[];
  oauth: { clientId: string; clientSecret: string; tokenEndpointUrl: string; scopes: string[] } | null;
  triggers: Trigger[];
  filters: Filters;
  timeoutSeconds: number;
  responseValidators: { jsonPath: string; expectedValues: string[] }[];
  customValidationErrorMessage: string | null;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface InvocationSummary {
  id: string;
  status: InvocationStatus;
  test: boolean;
  createdAt: string;
  completedAt: string | null;
  lastAttempt: {
    success: boolean;
    response: { statusCode: number } | null;
    error: { code: string } | null;
  } | null;
}

export interface WebhookRow {
  id: string;
  name: string;
  status: WebhookStatus;
  disabledReason: string | null;
  method: HttpMethod;
  url: string;
  triggers: Trigger[];
  invocations: { edges: { node: InvocationSummary }[] };
}

export interface Attempt {
  number: number;
  startedAt: string;
  durationMs: number;
  success: boolean;
  request: { method: HttpMethod; url: string; headers: HeaderEntry[]; body: string | null };
  response: {
    statusCode: number;
    headers: HeaderEntry[];
    body: string | null;
    bodyTruncated: boolean;
  } | null;
  error: { code: string; message: string } | null;
  validatorResults: {
    jsonPath: string;
    expectedValues: string[];
    actualValue: string | null;
    passed: boolean;
  }[];
}

export interface Invocation {
  id: string;
  webhookId: string;
  webhook: { id: string; name: string } | null;
  eventId: string;
  trigger: Trigger;
  test: boolean;
  status: InvocationStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  supersededBy: string | null;
  lastAttempt: Attempt | null;
}

export interface InvocationWithAttempts extends Invocation {
  attempts: Attempt[];
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { node: T }[];
  pageInfo: PageInfo;
}

/** A mutation result union member that failed: every error type has these. */
export interface ErrorResult {
  __typename: 'ValidationError' | 'NotFoundError' | 'ConflictError';
  message: string;
  code: string;
  fieldErrors?: FieldError[];
}

/** REQUEST_CREATED → "Created" (short, for tables) or "Request created". */
export function triggerLabel(trigger: Trigger, short = false): string {
  const word = trigger.slice('REQUEST_'.length).toLowerCase();
  return short ? word[0]?.toUpperCase() + word.slice(1) : `Request ${word}`;
}

export function statusLabel(status: InvocationStatus): string {
  return status === 'IN_FLIGHT' ? 'In flight' : status[0] + status.slice(1).toLowerCase();
}

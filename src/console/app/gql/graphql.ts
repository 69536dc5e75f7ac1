/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What an API key may do */
export type ApiKeyRole =
  /** Everything */
  | 'ADMIN'
  /** Only publishEvent, publishEvents and viewer */
  | 'PUBLISHER'
  /** Read only, including subscriptions */
  | 'VIEWER';

/** A whole webhook definition; optional fields left out take their defaults. testWebhook and previewWebhook take one to run unsaved */
export type CreateWebhookInput = {
  /** A Liquid template over the event payload (eventPayloadSchema), up to 65536 characters, that must render for every trigger's sample event; interpolated values are JSON-string-escaped. Empty: no body, GET and DELETE only */
  bodyTemplate: string;
  /** The attempt's error message when a response validator fails, up to 500 characters (null or blank: the server's message) */
  customValidationErrorMessage?: string | null | undefined;
  /** What the webhook is for, up to 500 characters; null clears it */
  description?: string | null | undefined;
  /** Which events of its triggers it fires on, given whole: a dimension left out matches anything */
  filters?: WebhookFiltersInput | null | undefined;
  /** Up to 50 headers sent with every request */
  headers?: Array<HeaderInput> | null | undefined;
  /** The HTTP method of its requests */
  method?: HttpMethod | null | undefined;
  /** Letters, digits, spaces, "-" and "_", up to 100 characters; unique in the account whatever the case */
  name: string;
  /** null: no OAuth */
  oauth?: OAuthInput | null | undefined;
  /** Whether its deliveries may overlap */
  ordering?: WebhookOrdering | null | undefined;
  /** At most `count` deliveries every `perSeconds` seconds (null: no limit) */
  rateLimit?: WebhookRateLimitInput | null | undefined;
  /** Up to 20 checks a 2xx answer must pass too; a failed one fails the invocation with RESPONSE_VALIDATION, without retries */
  responseValidators?: Array<ResponseValidatorInput> | null | undefined;
  /** Seconds before each retry, 1 to 20 entries of 0 to 86400 (null: the server's schedule) */
  retrySchedule?: Array<number> | null | undefined;
  /** Whether it fires; setting a webhook the system deactivated ACTIVE again clears its disabledReason */
  status?: WebhookStatus | null | undefined;
  /** Seconds an attempt waits for the complete response, 1 to 120 (default 30) */
  timeoutSeconds?: number | null | undefined;
  /** The request status changes it fires on: at least one (repeats are dropped) */
  triggers: Array<WebhookTrigger>;
  /** Where its requests go: an absolute https URL, no custom port, no credentials, up to 2048 characters */
  url: string;
};

/** A filter of a webhook's definition: the WebhookFilters field of the same name */
export type FilterDimension =
  /** The access flow's id (data.access_flow.id), matched exactly */
  | 'ACCESS_FLOW_IDS'
  /** Approval types, automatic or manual (data.approvals[].type), matched whatever the case */
  | 'APPROVAL_TYPES'
  /** The bundle's id (data.access_bundle.id; a request made from no bundle has none), matched exactly */
  | 'BUNDLE_IDS'
  /** The grantee's type, e.g. user or group (data.grantee.type), matched whatever the case */
  | 'GRANTEE_TYPES'
  /** Integration ids (data.access_groups[].integration.id), matched exactly */
  | 'INTEGRATION_IDS'
  /** Integration types, e.g. postgresql (data.access_groups[].integration.type), matched whatever the case */
  | 'INTEGRATION_TYPES'
  /** Permission names (data.access_groups[].access_units[].permission.name), matched whatever the case */
  | 'PERMISSIONS'
  /** The requester's email (data.requester.email), matched whatever the case */
  | 'REQUESTER_EMAILS'
  /** Resource ids (data.access_groups[].access_units[].resource.id), matched exactly */
  | 'RESOURCE_IDS'
  /** Resource type ids (data.access_groups[].resource_types[].id), matched whatever the case */
  | 'RESOURCE_TYPES';

/** A header sent with every request */
export type HeaderInput = {
  /** An HTTP header name (RFC 9110 token characters), up to 256 characters, once per list whatever the case; not one the server sets itself (Host, Content-Length, Transfer-Encoding, Connection, Keep-Alive, Upgrade, TE, Trailer, webhook-id, webhook-timestamp, webhook-signature) */
  name: string;
  /** Up to 8192 characters of Latin-1 (up to U+00FF), no CR, LF or NUL; stored encrypted. Omitted: the stored value of the header of that name is kept (a new header needs one) */
  value?: string | null | undefined;
};

/** The HTTP method of a webhook's request */
export type HttpMethod =
  /** DELETE; with an empty body template it sends no body */
  | 'DELETE'
  /** GET; with an empty body template it sends no body */
  | 'GET'
  /** PATCH */
  | 'PATCH'
  /** POST, the default */
  | 'POST'
  /** PUT */
  | 'PUT';

/** Where an invocation stands: PENDING, IN_FLIGHT, then SUCCEEDED, or RETRYING and IN_FLIGHT again until it succeeds or FAILED */
export type InvocationStatus =
  /** Given up: a failure that is never retried, the retries ran out, or the webhook was deleted or INACTIVE when its turn came */
  | 'FAILED'
  /** A worker is sending it under a lease; a worker that dies lets the lease run out, and another sends it (at least once) */
  | 'IN_FLIGHT'
  /** No attempt yet: due at nextAttemptAt, or (FIFO) waiting for its turn */
  | 'PENDING'
  /** An attempt failed and may be retried: the next one is due at nextAttemptAt */
  | 'RETRYING'
  /** Delivered: an attempt got a 2xx answer that passed every response validator */
  | 'SUCCEEDED';

/** OAuth2 client credentials: every request carries a bearer token from the token endpoint (not together with an Authorization header) */
export type OAuthInput = {
  /** The client id, up to 500 characters */
  clientId: string;
  /** Up to 4096 characters, stored encrypted; on update, an omitted secret keeps the stored one */
  clientSecret?: string | null | undefined;
  /** Up to 50 scopes to ask for, each one word (default: none) */
  scopes?: Array<string> | null | undefined;
  /** The token endpoint: an https URL, no custom port, no credentials */
  tokenEndpointUrl: string;
};

/** What an operational event reports */
export type OperationalEventType =
  /** An invocation failed its last scheduled attempt and will not be retried (a failure that is never retried, such as a 4xx answer, is not one) */
  | 'INVOCATION_EXHAUSTED'
  /** The system deactivated a webhook: its target answered 410 Gone, or failed for AUTO_DISABLE_AFTER */
  | 'WEBHOOK_DISABLED'
  /** An admin set a webhook that the system had deactivated back to ACTIVE */
  | 'WEBHOOK_ENABLED';

/** A check of a 2xx answer: the value at jsonPath in its JSON body, as text, must be one of expectedValues */
export type ResponseValidatorInput = {
  /** At least one value, each up to 1000 characters, compared as text (numbers and booleans by their JSON text) */
  expectedValues: Array<string>;
  /** A JSONPath into the response body as $.data, e.g. $.data.status or $.data.items[0].state: names, [n], [*], quoted names and up to 2 recursive descents (..), no filter expressions */
  jsonPath: string;
};

/** Every field optional; lists replace the stored list; null clears optional parts */
export type UpdateWebhookInput = {
  /** A Liquid template over the event payload (eventPayloadSchema), up to 65536 characters, that must render for every trigger's sample event; interpolated values are JSON-string-escaped. Empty: no body, GET and DELETE only */
  bodyTemplate?: string | null | undefined;
  /** The attempt's error message when a response validator fails, up to 500 characters (null or blank: the server's message) */
  customValidationErrorMessage?: string | null | undefined;
  /** What the webhook is for, up to 500 characters; null clears it */
  description?: string | null | undefined;
  /** Which events of its triggers it fires on, given whole: a dimension left out matches anything */
  filters?: WebhookFiltersInput | null | undefined;
  /** Up to 50 headers sent with every request */
  headers?: Array<HeaderInput> | null | undefined;
  /** The HTTP method of its requests */
  method?: HttpMethod | null | undefined;
  /** Letters, digits, spaces, "-" and "_", up to 100 characters; unique in the account whatever the case */
  name?: string | null | undefined;
  /** null: no OAuth */
  oauth?: OAuthInput | null | undefined;
  /** Whether its deliveries may overlap */
  ordering?: WebhookOrdering | null | undefined;
  /** At most `count` deliveries every `perSeconds` seconds (null: no limit) */
  rateLimit?: WebhookRateLimitInput | null | undefined;
  /** Up to 20 checks a 2xx answer must pass too; a failed one fails the invocation with RESPONSE_VALIDATION, without retries */
  responseValidators?: Array<ResponseValidatorInput> | null | undefined;
  /** Seconds before each retry, 1 to 20 entries of 0 to 86400 (null: the server's schedule) */
  retrySchedule?: Array<number> | null | undefined;
  /** Whether it fires; setting a webhook the system deactivated ACTIVE again clears its disabledReason */
  status?: WebhookStatus | null | undefined;
  /** Seconds an attempt waits for the complete response, 1 to 120 (default 30) */
  timeoutSeconds?: number | null | undefined;
  /** The request status changes it fires on: at least one (repeats are dropped) */
  triggers?: Array<WebhookTrigger> | null | undefined;
  /** Where its requests go: an absolute https URL, no custom port, no credentials, up to 2048 characters */
  url?: string | null | undefined;
};

/** Which events of its triggers a webhook fires on: OR inside a dimension, AND across dimensions; a dimension left out or empty matches anything */
export type WebhookFiltersInput = {
  /** The access flow's id (data.access_flow.id), matched exactly; up to 200 values of up to 500 characters */
  accessFlowIds?: Array<string> | null | undefined;
  /** Approval types, automatic or manual (data.approvals[].type), matched whatever the case; up to 200 values of up to 500 characters */
  approvalTypes?: Array<string> | null | undefined;
  /** The bundle's id (data.access_bundle.id; a request made from no bundle has none), matched exactly; up to 200 values of up to 500 characters */
  bundleIds?: Array<string> | null | undefined;
  /** The grantee's type, e.g. user or group (data.grantee.type), matched whatever the case; up to 200 values of up to 500 characters */
  granteeTypes?: Array<string> | null | undefined;
  /** Integration ids (data.access_groups[].integration.id), matched exactly; up to 200 values of up to 500 characters */
  integrationIds?: Array<string> | null | undefined;
  /** Integration types, e.g. postgresql (data.access_groups[].integration.type), matched whatever the case; up to 200 values of up to 500 characters */
  integrationTypes?: Array<string> | null | undefined;
  /** Permission names (data.access_groups[].access_units[].permission.name), matched whatever the case; up to 200 values of up to 500 characters */
  permissions?: Array<string> | null | undefined;
  /** The requester's email (data.requester.email), matched whatever the case; up to 200 values of up to 500 characters */
  requesterEmails?: Array<string> | null | undefined;
  /** Resource ids (data.access_groups[].access_units[].resource.id), matched exactly; up to 200 values of up to 500 characters */
  resourceIds?: Array<string> | null | undefined;
  /** Resource type ids (data.access_groups[].resource_types[].id), matched whatever the case; up to 200 values of up to 500 characters */
  resourceTypes?: Array<string> | null | undefined;
};

/** Whether deliveries of a webhook may overlap */
export type WebhookOrdering =
  /** One delivery in flight at a time across all processes, in publish order; a failing one holds the rest until it succeeds or runs out of retries */
  | 'FIFO'
  /** Deliveries run concurrently, each retried on its own */
  | 'UNORDERED';

/** At most `count` deliveries every `perSeconds` seconds, across all processes; the others wait for the next window */
export type WebhookRateLimitInput = {
  /** Deliveries per window, 1 to 100000 */
  count: number;
  /** The window, 1 to 86400 seconds */
  perSeconds: number;
};

/** Whether a webhook fires */
export type WebhookStatus =
  /** Fires on every published event that one of its triggers and all its filters match */
  | 'ACTIVE'
  /** Fires on nothing, whether an admin or the system (disabledReason) set it so; deliveries still queued for it fail when their turn comes */
  | 'INACTIVE';

/** A request status change that fires webhooks; the payload event_type is the PascalCase name */
export type WebhookTrigger =
  /** The request got the approvals it needs (event_type "RequestApproved") */
  | 'REQUEST_APPROVED'
  /** Someone asked for access (event_type "RequestCreated") */
  | 'REQUEST_CREATED'
  /** The request expired: its access period ran out (event_type "RequestExpired") */
  | 'REQUEST_EXPIRED'
  /** Granting the access failed (event_type "RequestFailed") */
  | 'REQUEST_FAILED'
  /** The access was granted in the integration (event_type "RequestGranted") */
  | 'REQUEST_GRANTED'
  /** An approver rejected the request (event_type "RequestRejected") */
  | 'REQUEST_REJECTED';

export type ConsoleOperationalEventsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ConsoleOperationalEventsSubscription = { operationalEvents: { id: string, type: OperationalEventType, webhookId: string, invocationId: string | null, reason: string, occurredAt: string, webhook: { id: string, name: string } | null } };

export type ConsoleWebhookFragment = { id: string, name: string, description: string | null, status: WebhookStatus, method: HttpMethod, url: string, bodyTemplate: string, triggers: Array<WebhookTrigger>, timeoutSeconds: number, customValidationErrorMessage: string | null, disabledReason: string | null, createdAt: string, updatedAt: string, headers: Array<{ name: string, value: string }>, oauth: { clientId: string, clientSecret: string, tokenEndpointUrl: string, scopes: Array<string> } | null, filters: { integrationIds: Array<string>, integrationTypes: Array<string>, resourceTypes: Array<string>, resourceIds: Array<string>, permissions: Array<string>, accessFlowIds: Array<string>, bundleIds: Array<string>, requesterEmails: Array<string>, granteeTypes: Array<string>, approvalTypes: Array<string> }, responseValidators: Array<{ jsonPath: string, expectedValues: Array<string> }> };

export type ConsoleAttemptFragment = { number: number, startedAt: string, durationMs: number, success: boolean, request: { method: HttpMethod, url: string, body: string | null, headers: Array<{ name: string, value: string }> }, response: { statusCode: number, body: string | null, bodyTruncated: boolean, headers: Array<{ name: string, value: string }> } | null, error: { code: string, message: string } | null, validatorResults: Array<{ jsonPath: string, expectedValues: Array<string>, actualValue: string | null, passed: boolean }> };

export type ConsoleInvocationFragment = { id: string, webhookId: string, eventId: string, trigger: WebhookTrigger, test: boolean, status: InvocationStatus, attemptCount: number, nextAttemptAt: string | null, createdAt: string, updatedAt: string, completedAt: string | null, supersededBy: string | null, redeliveryOf: string | null, webhook: { id: string, name: string } | null, lastAttempt: { number: number, startedAt: string, durationMs: number, success: boolean, request: { method: HttpMethod, url: string, body: string | null, headers: Array<{ name: string, value: string }> }, response: { statusCode: number, body: string | null, bodyTruncated: boolean, headers: Array<{ name: string, value: string }> } | null, error: { code: string, message: string } | null, validatorResults: Array<{ jsonPath: string, expectedValues: Array<string>, actualValue: string | null, passed: boolean }> } | null };

export type ConsoleInvocationSummaryFragment = { id: string, status: InvocationStatus, test: boolean, createdAt: string, completedAt: string | null, lastAttempt: { success: boolean, response: { statusCode: number } | null, error: { code: string } | null } | null };

export type ConsoleHealthSummaryFragment = { hours: number, succeeded: number, failed: number, retrying: number, buckets: Array<{ start: string, succeeded: number, failed: number }> };

export type ConsoleHealthFragment = { hours: number, since: string, succeeded: number, failed: number, retrying: number, attempts: number, p50DurationMs: number | null, p95DurationMs: number | null, buckets: Array<{ start: string, succeeded: number, failed: number, attempts: number, p95DurationMs: number | null }> };

export type ConsoleWebhookHealthQueryVariables = Exact<{
  id: string;
}>;


export type ConsoleWebhookHealthQuery = { node:
    | { id: string, health: { hours: number, since: string, succeeded: number, failed: number, retrying: number, attempts: number, p50DurationMs: number | null, p95DurationMs: number | null, buckets: Array<{ start: string, succeeded: number, failed: number, attempts: number, p95DurationMs: number | null }> } }
    | Record<PropertyKey, never>
   | null };

export type ConsoleWebhookHealthSummaryQueryVariables = Exact<{
  id: string;
}>;


export type ConsoleWebhookHealthSummaryQuery = { node:
    | { id: string, health: { hours: number, succeeded: number, failed: number, retrying: number, buckets: Array<{ start: string, succeeded: number, failed: number }> } }
    | Record<PropertyKey, never>
   | null };

export type ConsoleViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleViewerQuery = { viewer: { role: ApiKeyRole, accountId: string, apiKeyId: string } };

export type ConsoleWebhooksQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  status?: WebhookStatus | null | undefined;
  trigger?: WebhookTrigger | null | undefined;
  nameContains?: string | null | undefined;
}>;


export type ConsoleWebhooksQuery = { webhooks: { edges: Array<{ node: { id: string, name: string, description: string | null, status: WebhookStatus, disabledReason: string | null, method: HttpMethod, url: string, triggers: Array<WebhookTrigger>, invocations: { edges: Array<{ node: { id: string, status: InvocationStatus, test: boolean, createdAt: string, completedAt: string | null, lastAttempt: { success: boolean, response: { statusCode: number } | null, error: { code: string } | null } | null } }> }, health: { hours: number, succeeded: number, failed: number, retrying: number, buckets: Array<{ start: string, succeeded: number, failed: number }> } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ConsoleWebhookQueryVariables = Exact<{
  id: string;
}>;


export type ConsoleWebhookQuery = { webhook: { id: string, name: string, description: string | null, status: WebhookStatus, method: HttpMethod, url: string, bodyTemplate: string, triggers: Array<WebhookTrigger>, timeoutSeconds: number, customValidationErrorMessage: string | null, disabledReason: string | null, createdAt: string, updatedAt: string, headers: Array<{ name: string, value: string }>, oauth: { clientId: string, clientSecret: string, tokenEndpointUrl: string, scopes: Array<string> } | null, filters: { integrationIds: Array<string>, integrationTypes: Array<string>, resourceTypes: Array<string>, resourceIds: Array<string>, permissions: Array<string>, accessFlowIds: Array<string>, bundleIds: Array<string>, requesterEmails: Array<string>, granteeTypes: Array<string>, approvalTypes: Array<string> }, responseValidators: Array<{ jsonPath: string, expectedValues: Array<string> }> } | null };

export type ConsoleWebhookNameQueryVariables = Exact<{
  id: string;
}>;


export type ConsoleWebhookNameQuery = { webhook: { id: string, name: string, status: WebhookStatus, disabledReason: string | null } | null };

export type ConsoleCreateWebhookMutationVariables = Exact<{
  input: CreateWebhookInput;
}>;


export type ConsoleCreateWebhookMutation = { createWebhook:
    | { __typename: 'ConflictError', message: string, code: string }
    | { __typename: 'CreateWebhookSuccess', signingSecret: string, webhook: { id: string, name: string, description: string | null, status: WebhookStatus, method: HttpMethod, url: string, bodyTemplate: string, triggers: Array<WebhookTrigger>, timeoutSeconds: number, customValidationErrorMessage: string | null, disabledReason: string | null, createdAt: string, updatedAt: string, headers: Array<{ name: string, value: string }>, oauth: { clientId: string, clientSecret: string, tokenEndpointUrl: string, scopes: Array<string> } | null, filters: { integrationIds: Array<string>, integrationTypes: Array<string>, resourceTypes: Array<string>, resourceIds: Array<string>, permissions: Array<string>, accessFlowIds: Array<string>, bundleIds: Array<string>, requesterEmails: Array<string>, granteeTypes: Array<string>, approvalTypes: Array<string> }, responseValidators: Array<{ jsonPath: string, expectedValues: Array<string> }> }, warnings: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'ValidationError', message: string, code: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type ConsoleUpdateWebhookMutationVariables = Exact<{
  id: string;
  input: UpdateWebhookInput;
}>;


export type ConsoleUpdateWebhookMutation = { updateWebhook:
    | { __typename: 'ConflictError', message: string, code: string }
    | { __typename: 'NotFoundError', message: string, code: string }
    | { __typename: 'UpdateWebhookSuccess', webhook: { id: string, name: string, description: string | null, status: WebhookStatus, method: HttpMethod, url: string, bodyTemplate: string, triggers: Array<WebhookTrigger>, timeoutSeconds: number, customValidationErrorMessage: string | null, disabledReason: string | null, createdAt: string, updatedAt: string, headers: Array<{ name: string, value: string }>, oauth: { clientId: string, clientSecret: string, tokenEndpointUrl: string, scopes: Array<string> } | null, filters: { integrationIds: Array<string>, integrationTypes: Array<string>, resourceTypes: Array<string>, resourceIds: Array<string>, permissions: Array<string>, accessFlowIds: Array<string>, bundleIds: Array<string>, requesterEmails: Array<string>, granteeTypes: Array<string>, approvalTypes: Array<string> }, responseValidators: Array<{ jsonPath: string, expectedValues: Array<string> }> }, warnings: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'ValidationError', message: string, code: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type ConsoleDeleteWebhookMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleDeleteWebhookMutation = { deleteWebhook:
    | { __typename: 'DeleteWebhookSuccess', deletedId: string }
    | { __typename: 'NotFoundError', message: string, code: string }
   };

export type ConsoleTestWebhookMutationVariables = Exact<{
  id?: string | null | undefined;
  input?: CreateWebhookInput | null | undefined;
  trigger?: WebhookTrigger | null | undefined;
}>;


export type ConsoleTestWebhookMutation = { testWebhook:
    | { __typename: 'NotFoundError', message: string, code: string }
    | { __typename: 'TestWebhookSuccess', success: boolean, matched: boolean, blockedBy: Array<FilterDimension>, invocation: { id: string, webhookId: string, eventId: string, trigger: WebhookTrigger, test: boolean, status: InvocationStatus, attemptCount: number, nextAttemptAt: string | null, createdAt: string, updatedAt: string, completedAt: string | null, supersededBy: string | null, redeliveryOf: string | null, attempts: Array<{ number: number, startedAt: string, durationMs: number, success: boolean, request: { method: HttpMethod, url: string, body: string | null, headers: Array<{ name: string, value: string }> }, response: { statusCode: number, body: string | null, bodyTruncated: boolean, headers: Array<{ name: string, value: string }> } | null, error: { code: string, message: string } | null, validatorResults: Array<{ jsonPath: string, expectedValues: Array<string>, actualValue: string | null, passed: boolean }> }>, webhook: { id: string, name: string } | null, lastAttempt: { number: number, startedAt: string, durationMs: number, success: boolean, request: { method: HttpMethod, url: string, body: string | null, headers: Array<{ name: string, value: string }> }, response: { statusCode: number, body: string | null, bodyTruncated: boolean, headers: Array<{ name: string, value: string }> } | null, error: { code: string, message: string } | null, validatorResults: Array<{ jsonPath: string, expectedValues: Array<string>, actualValue: string | null, passed: boolean }> } | null } }
    | { __typename: 'ValidationError', message: string, code: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type ConsoleFilterOptionsQueryVariables = Exact<{
  dimension: FilterDimension;
  search?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type ConsoleFilterOptionsQuery = { filterOptions: Array<{ value: string, label: string, seenCount: number }> };

export type ConsolePreviewWebhookQueryVariables = Exact<{
  id?: string | null | undefined;
  input?: CreateWebhookInput | null | undefined;
  last?: number | null | undefined;
}>;


export type ConsolePreviewWebhookQuery = { previewWebhook: Array<{ eventId: string, trigger: WebhookTrigger, occurredAt: string, triggerMatched: boolean, blockedBy: Array<FilterDimension>, matched: boolean, renderedBody: string | null, renderError: string | null }> };

export type ConsolePayloadSchemaQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsolePayloadSchemaQuery = { eventPayloadSchema: unknown };

export type ConsoleSampleEventQueryVariables = Exact<{
  trigger: WebhookTrigger;
}>;


export type ConsoleSampleEventQuery = { sampleEvent: unknown };

export type ConsoleInvocationsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  webhookId?: string | null | undefined;
  status?: InvocationStatus | null | undefined;
  test?: boolean | null | undefined;
}>;


export type ConsoleInvocationsQuery = { invocations: { edges: Array<{ node: { id: string, webhookId: string, eventId: string, trigger: WebhookTrigger, test: boolean, status: InvocationStatus, attemptCount: number, nextAttemptAt: string | null, createdAt: string, updatedAt: string, completedAt: string | null, supersededBy: string | null, redeliveryOf: string | null, webhook: { id: string, name: string } | null, lastAttempt: { number: number, startedAt: string, durationMs: number, success: boolean, request: { method: HttpMethod, url: string, body: string | null, headers: Array<{ name: string, value: string }> }, response: { statusCode: number, body: string | null, bodyTruncated: boolean, headers: Array<{ name: string, value: string }> } | null, error: { code: string, message: string } | null, validatorResults: Array<{ jsonPath: string, expectedValues: Array<string>, actualValue: string | null, passed: boolean }> } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ConsoleInvocationQueryVariables = Exact<{
  id: string;
}>;


export type ConsoleInvocationQuery = { invocation: { id: string, webhookId: string, eventId: string, trigger: WebhookTrigger, test: boolean, status: InvocationStatus, attemptCount: number, nextAttemptAt: string | null, createdAt: string, updatedAt: string, completedAt: string | null, supersededBy: string | null, redeliveryOf: string | null, attempts: Array<{ number: number, startedAt: string, durationMs: number, success: boolean, request: { method: HttpMethod, url: string, body: string | null, headers: Array<{ name: string, value: string }> }, response: { statusCode: number, body: string | null, bodyTruncated: boolean, headers: Array<{ name: string, value: string }> } | null, error: { code: string, message: string } | null, validatorResults: Array<{ jsonPath: string, expectedValues: Array<string>, actualValue: string | null, passed: boolean }> }>, webhook: { id: string, name: string } | null, lastAttempt: { number: number, startedAt: string, durationMs: number, success: boolean, request: { method: HttpMethod, url: string, body: string | null, headers: Array<{ name: string, value: string }> }, response: { statusCode: number, body: string | null, bodyTruncated: boolean, headers: Array<{ name: string, value: string }> } | null, error: { code: string, message: string } | null, validatorResults: Array<{ jsonPath: string, expectedValues: Array<string>, actualValue: string | null, passed: boolean }> } | null } | null };

export type ConsoleInvocationUpdatedSubscriptionVariables = Exact<{
  webhookId?: string | null | undefined;
}>;


export type ConsoleInvocationUpdatedSubscription = { invocationUpdated: { id: string, webhookId: string, eventId: string, trigger: WebhookTrigger, test: boolean, status: InvocationStatus, attemptCount: number, nextAttemptAt: string | null, createdAt: string, updatedAt: string, completedAt: string | null, supersededBy: string | null, redeliveryOf: string | null, webhook: { id: string, name: string } | null, lastAttempt: { number: number, startedAt: string, durationMs: number, success: boolean, request: { method: HttpMethod, url: string, body: string | null, headers: Array<{ name: string, value: string }> }, response: { statusCode: number, body: string | null, bodyTruncated: boolean, headers: Array<{ name: string, value: string }> } | null, error: { code: string, message: string } | null, validatorResults: Array<{ jsonPath: string, expectedValues: Array<string>, actualValue: string | null, passed: boolean }> } | null } };

export type ConsoleRedeliverMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleRedeliverMutation = { redeliverInvocation:
    | { __typename: 'NotFoundError', message: string, code: string }
    | { __typename: 'RedeliverInvocationSuccess', invocation: { id: string, webhookId: string, eventId: string, trigger: WebhookTrigger, test: boolean, status: InvocationStatus, attemptCount: number, nextAttemptAt: string | null, createdAt: string, updatedAt: string, completedAt: string | null, supersededBy: string | null, redeliveryOf: string | null, webhook: { id: string, name: string } | null, lastAttempt: { number: number, startedAt: string, durationMs: number, success: boolean, request: { method: HttpMethod, url: string, body: string | null, headers: Array<{ name: string, value: string }> }, response: { statusCode: number, body: string | null, bodyTruncated: boolean, headers: Array<{ name: string, value: string }> } | null, error: { code: string, message: string } | null, validatorResults: Array<{ jsonPath: string, expectedValues: Array<string>, actualValue: string | null, passed: boolean }> } | null } }
   };

export type ConsoleRecoverMutationVariables = Exact<{
  webhookId: string;
  since: string;
}>;


export type ConsoleRecoverMutation = { recoverFailedInvocations:
    | { __typename: 'NotFoundError', message: string, code: string }
    | { __typename: 'RecoverFailedInvocationsSuccess', count: number }
    | { __typename: 'ValidationError', message: string, code: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type ConsoleWebhookPresetsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleWebhookPresetsQuery = { webhookPresets: Array<{ id: string, name: string, description: string, docsUrl: string, placeholders: Array<{ name: string, label: string, description: string, example: string, secret: boolean }>, definition: { name: string, description: string, method: HttpMethod, url: string, bodyTemplate: string, triggers: Array<WebhookTrigger>, timeoutSeconds: number, customValidationErrorMessage: string | null, headers: Array<{ name: string, value: string }>, responseValidators: Array<{ jsonPath: string, expectedValues: Array<string> }> } }> };

export type ConsoleApiKeyFragment = { id: string, name: string, role: ApiKeyRole, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null };

export type ConsoleApiKeysQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ConsoleApiKeysQuery = { apiKeys: { edges: Array<{ node: { id: string, name: string, role: ApiKeyRole, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ConsoleCreateApiKeyMutationVariables = Exact<{
  name: string;
  role: ApiKeyRole;
}>;


export type ConsoleCreateApiKeyMutation = { createApiKey:
    | { __typename: 'CreateApiKeySuccess', token: string, apiKey: { id: string, name: string, role: ApiKeyRole, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } }
    | { __typename: 'ValidationError', message: string, code: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type ConsoleRevokeApiKeyMutationVariables = Exact<{
  id: string;
}>;


export type ConsoleRevokeApiKeyMutation = { revokeApiKey:
    | { __typename: 'NotFoundError', message: string, code: string }
    | { __typename: 'RevokeApiKeySuccess', apiKey: { id: string, name: string, role: ApiKeyRole, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } }
   };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ConsoleWebhookFragmentDoc = new TypedDocumentString(`
    fragment ConsoleWebhook on Webhook {
  id
  name
  description
  status
  method
  url
  bodyTemplate
  headers {
    name
    value
  }
  oauth {
    clientId
    clientSecret
    tokenEndpointUrl
    scopes
  }
  triggers
  filters {
    integrationIds
    integrationTypes
    resourceTypes
    resourceIds
    permissions
    accessFlowIds
    bundleIds
    requesterEmails
    granteeTypes
    approvalTypes
  }
  timeoutSeconds
  responseValidators {
    jsonPath
    expectedValues
  }
  customValidationErrorMessage
  disabledReason
  createdAt
  updatedAt
}
    `, {"fragmentName":"ConsoleWebhook"}) as unknown as TypedDocumentString<ConsoleWebhookFragment, unknown>;
export const ConsoleAttemptFragmentDoc = new TypedDocumentString(`
    fragment ConsoleAttempt on InvocationAttempt {
  number
  startedAt
  durationMs
  success
  request {
    method
    url
    headers {
      name
      value
    }
    body
  }
  response {
    statusCode
    headers {
      name
      value
    }
    body
    bodyTruncated
  }
  error {
    code
    message
  }
  validatorResults {
    jsonPath
    expectedValues
    actualValue
    passed
  }
}
    `, {"fragmentName":"ConsoleAttempt"}) as unknown as TypedDocumentString<ConsoleAttemptFragment, unknown>;
export const ConsoleInvocationFragmentDoc = new TypedDocumentString(`
    fragment ConsoleInvocation on Invocation {
  id
  webhookId
  webhook {
    id
    name
  }
  eventId
  trigger
  test
  status
  attemptCount
  nextAttemptAt
  createdAt
  updatedAt
  completedAt
  supersededBy
  redeliveryOf
  lastAttempt {
    ...ConsoleAttempt
  }
}
    fragment ConsoleAttempt on InvocationAttempt {
  number
  startedAt
  durationMs
  success
  request {
    method
    url
    headers {
      name
      value
    }
    body
  }
  response {
    statusCode
    headers {
      name
      value
    }
    body
    bodyTruncated
  }
  error {
    code
    message
  }
  validatorResults {
    jsonPath
    expectedValues
    actualValue
    passed
  }
}`, {"fragmentName":"ConsoleInvocation"}) as unknown as TypedDocumentString<ConsoleInvocationFragment, unknown>;
export const ConsoleInvocationSummaryFragmentDoc = new TypedDocumentString(`
    fragment ConsoleInvocationSummary on Invocation {
  id
  status
  test
  createdAt
  completedAt
  lastAttempt {
    success
    response {
      statusCode
    }
    error {
      code
    }
  }
}
    `, {"fragmentName":"ConsoleInvocationSummary"}) as unknown as TypedDocumentString<ConsoleInvocationSummaryFragment, unknown>;
export const ConsoleHealthSummaryFragmentDoc = new TypedDocumentString(`
    fragment ConsoleHealthSummary on WebhookHealth {
  hours
  succeeded
  failed
  retrying
  buckets {
    start
    succeeded
    failed
  }
}
    `, {"fragmentName":"ConsoleHealthSummary"}) as unknown as TypedDocumentString<ConsoleHealthSummaryFragment, unknown>;
export const ConsoleHealthFragmentDoc = new TypedDocumentString(`
    fragment ConsoleHealth on WebhookHealth {
  hours
  since
  succeeded
  failed
  retrying
  attempts
  p50DurationMs
  p95DurationMs
  buckets {
    start
    succeeded
    failed
    attempts
    p95DurationMs
  }
}
    `, {"fragmentName":"ConsoleHealth"}) as unknown as TypedDocumentString<ConsoleHealthFragment, unknown>;
export const ConsoleApiKeyFragmentDoc = new TypedDocumentString(`
    fragment ConsoleApiKey on ApiKey {
  id
  name
  role
  prefix
  createdAt
  lastUsedAt
  revokedAt
}
    `, {"fragmentName":"ConsoleApiKey"}) as unknown as TypedDocumentString<ConsoleApiKeyFragment, unknown>;
export const ConsoleOperationalEventsDocument = new TypedDocumentString(`
    subscription ConsoleOperationalEvents {
  operationalEvents {
    id
    type
    webhookId
    invocationId
    reason
    occurredAt
    webhook {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleOperationalEventsSubscription, ConsoleOperationalEventsSubscriptionVariables>;
export const ConsoleWebhookHealthDocument = new TypedDocumentString(`
    query ConsoleWebhookHealth($id: ID!) {
  node(id: $id) {
    ... on Webhook {
      id
      health {
        ...ConsoleHealth
      }
    }
  }
}
    fragment ConsoleHealth on WebhookHealth {
  hours
  since
  succeeded
  failed
  retrying
  attempts
  p50DurationMs
  p95DurationMs
  buckets {
    start
    succeeded
    failed
    attempts
    p95DurationMs
  }
}`) as unknown as TypedDocumentString<ConsoleWebhookHealthQuery, ConsoleWebhookHealthQueryVariables>;
export const ConsoleWebhookHealthSummaryDocument = new TypedDocumentString(`
    query ConsoleWebhookHealthSummary($id: ID!) {
  node(id: $id) {
    ... on Webhook {
      id
      health {
        ...ConsoleHealthSummary
      }
    }
  }
}
    fragment ConsoleHealthSummary on WebhookHealth {
  hours
  succeeded
  failed
  retrying
  buckets {
    start
    succeeded
    failed
  }
}`) as unknown as TypedDocumentString<ConsoleWebhookHealthSummaryQuery, ConsoleWebhookHealthSummaryQueryVariables>;
export const ConsoleViewerDocument = new TypedDocumentString(`
    query ConsoleViewer {
  viewer {
    role
    accountId
    apiKeyId
  }
}
    `) as unknown as TypedDocumentString<ConsoleViewerQuery, ConsoleViewerQueryVariables>;
export const ConsoleWebhooksDocument = new TypedDocumentString(`
    query ConsoleWebhooks($first: Int, $after: String, $status: WebhookStatus, $trigger: WebhookTrigger, $nameContains: String) {
  webhooks(
    first: $first
    after: $after
    status: $status
    trigger: $trigger
    nameContains: $nameContains
  ) {
    edges {
      node {
        id
        name
        description
        status
        disabledReason
        method
        url
        triggers
        invocations(first: 1) {
          edges {
            node {
              ...ConsoleInvocationSummary
            }
          }
        }
        health {
          ...ConsoleHealthSummary
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment ConsoleInvocationSummary on Invocation {
  id
  status
  test
  createdAt
  completedAt
  lastAttempt {
    success
    response {
      statusCode
    }
    error {
      code
    }
  }
}
fragment ConsoleHealthSummary on WebhookHealth {
  hours
  succeeded
  failed
  retrying
  buckets {
    start
    succeeded
    failed
  }
}`) as unknown as TypedDocumentString<ConsoleWebhooksQuery, ConsoleWebhooksQueryVariables>;
export const ConsoleWebhookDocument = new TypedDocumentString(`
    query ConsoleWebhook($id: ID!) {
  webhook(id: $id) {
    ...ConsoleWebhook
  }
}
    fragment ConsoleWebhook on Webhook {
  id
  name
  description
  status
  method
  url
  bodyTemplate
  headers {
    name
    value
  }
  oauth {
    clientId
    clientSecret
    tokenEndpointUrl
    scopes
  }
  triggers
  filters {
    integrationIds
    integrationTypes
    resourceTypes
    resourceIds
    permissions
    accessFlowIds
    bundleIds
    requesterEmails
    granteeTypes
    approvalTypes
  }
  timeoutSeconds
  responseValidators {
    jsonPath
    expectedValues
  }
  customValidationErrorMessage
  disabledReason
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<ConsoleWebhookQuery, ConsoleWebhookQueryVariables>;
export const ConsoleWebhookNameDocument = new TypedDocumentString(`
    query ConsoleWebhookName($id: ID!) {
  webhook(id: $id) {
    id
    name
    status
    disabledReason
  }
}
    `) as unknown as TypedDocumentString<ConsoleWebhookNameQuery, ConsoleWebhookNameQueryVariables>;
export const ConsoleCreateWebhookDocument = new TypedDocumentString(`
    mutation ConsoleCreateWebhook($input: CreateWebhookInput!) {
  createWebhook(input: $input) {
    __typename
    ... on CreateWebhookSuccess {
      signingSecret
      webhook {
        ...ConsoleWebhook
      }
      warnings {
        path
        message
      }
    }
    ... on Error {
      message
      code
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment ConsoleWebhook on Webhook {
  id
  name
  description
  status
  method
  url
  bodyTemplate
  headers {
    name
    value
  }
  oauth {
    clientId
    clientSecret
    tokenEndpointUrl
    scopes
  }
  triggers
  filters {
    integrationIds
    integrationTypes
    resourceTypes
    resourceIds
    permissions
    accessFlowIds
    bundleIds
    requesterEmails
    granteeTypes
    approvalTypes
  }
  timeoutSeconds
  responseValidators {
    jsonPath
    expectedValues
  }
  customValidationErrorMessage
  disabledReason
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<ConsoleCreateWebhookMutation, ConsoleCreateWebhookMutationVariables>;
export const ConsoleUpdateWebhookDocument = new TypedDocumentString(`
    mutation ConsoleUpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {
  updateWebhook(id: $id, input: $input) {
    __typename
    ... on UpdateWebhookSuccess {
      webhook {
        ...ConsoleWebhook
      }
      warnings {
        path
        message
      }
    }
    ... on Error {
      message
      code
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment ConsoleWebhook on Webhook {
  id
  name
  description
  status
  method
  url
  bodyTemplate
  headers {
    name
    value
  }
  oauth {
    clientId
    clientSecret
    tokenEndpointUrl
    scopes
  }
  triggers
  filters {
    integrationIds
    integrationTypes
    resourceTypes
    resourceIds
    permissions
    accessFlowIds
    bundleIds
    requesterEmails
    granteeTypes
    approvalTypes
  }
  timeoutSeconds
  responseValidators {
    jsonPath
    expectedValues
  }
  customValidationErrorMessage
  disabledReason
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<ConsoleUpdateWebhookMutation, ConsoleUpdateWebhookMutationVariables>;
export const ConsoleDeleteWebhookDocument = new TypedDocumentString(`
    mutation ConsoleDeleteWebhook($id: ID!) {
  deleteWebhook(id: $id) {
    __typename
    ... on DeleteWebhookSuccess {
      deletedId
    }
    ... on Error {
      message
      code
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleDeleteWebhookMutation, ConsoleDeleteWebhookMutationVariables>;
export const ConsoleTestWebhookDocument = new TypedDocumentString(`
    mutation ConsoleTestWebhook($id: ID, $input: CreateWebhookInput, $trigger: WebhookTrigger) {
  testWebhook(id: $id, input: $input, trigger: $trigger) {
    __typename
    ... on TestWebhookSuccess {
      success
      matched
      blockedBy
      invocation {
        ...ConsoleInvocation
        attempts {
          ...ConsoleAttempt
        }
      }
    }
    ... on Error {
      message
      code
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment ConsoleAttempt on InvocationAttempt {
  number
  startedAt
  durationMs
  success
  request {
    method
    url
    headers {
      name
      value
    }
    body
  }
  response {
    statusCode
    headers {
      name
      value
    }
    body
    bodyTruncated
  }
  error {
    code
    message
  }
  validatorResults {
    jsonPath
    expectedValues
    actualValue
    passed
  }
}
fragment ConsoleInvocation on Invocation {
  id
  webhookId
  webhook {
    id
    name
  }
  eventId
  trigger
  test
  status
  attemptCount
  nextAttemptAt
  createdAt
  updatedAt
  completedAt
  supersededBy
  redeliveryOf
  lastAttempt {
    ...ConsoleAttempt
  }
}`) as unknown as TypedDocumentString<ConsoleTestWebhookMutation, ConsoleTestWebhookMutationVariables>;
export const ConsoleFilterOptionsDocument = new TypedDocumentString(`
    query ConsoleFilterOptions($dimension: FilterDimension!, $search: String, $first: Int) {
  filterOptions(dimension: $dimension, search: $search, first: $first) {
    value
    label
    seenCount
  }
}
    `) as unknown as TypedDocumentString<ConsoleFilterOptionsQuery, ConsoleFilterOptionsQueryVariables>;
export const ConsolePreviewWebhookDocument = new TypedDocumentString(`
    query ConsolePreviewWebhook($id: ID, $input: CreateWebhookInput, $last: Int) {
  previewWebhook(id: $id, input: $input, last: $last) {
    eventId
    trigger
    occurredAt
    triggerMatched
    blockedBy
    matched
    renderedBody
    renderError
  }
}
    `) as unknown as TypedDocumentString<ConsolePreviewWebhookQuery, ConsolePreviewWebhookQueryVariables>;
export const ConsolePayloadSchemaDocument = new TypedDocumentString(`
    query ConsolePayloadSchema {
  eventPayloadSchema
}
    `) as unknown as TypedDocumentString<ConsolePayloadSchemaQuery, ConsolePayloadSchemaQueryVariables>;
export const ConsoleSampleEventDocument = new TypedDocumentString(`
    query ConsoleSampleEvent($trigger: WebhookTrigger!) {
  sampleEvent(trigger: $trigger)
}
    `) as unknown as TypedDocumentString<ConsoleSampleEventQuery, ConsoleSampleEventQueryVariables>;
export const ConsoleInvocationsDocument = new TypedDocumentString(`
    query ConsoleInvocations($first: Int, $after: String, $webhookId: ID, $status: InvocationStatus, $test: Boolean) {
  invocations(
    first: $first
    after: $after
    webhookId: $webhookId
    status: $status
    test: $test
  ) {
    edges {
      node {
        ...ConsoleInvocation
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment ConsoleAttempt on InvocationAttempt {
  number
  startedAt
  durationMs
  success
  request {
    method
    url
    headers {
      name
      value
    }
    body
  }
  response {
    statusCode
    headers {
      name
      value
    }
    body
    bodyTruncated
  }
  error {
    code
    message
  }
  validatorResults {
    jsonPath
    expectedValues
    actualValue
    passed
  }
}
fragment ConsoleInvocation on Invocation {
  id
  webhookId
  webhook {
    id
    name
  }
  eventId
  trigger
  test
  status
  attemptCount
  nextAttemptAt
  createdAt
  updatedAt
  completedAt
  supersededBy
  redeliveryOf
  lastAttempt {
    ...ConsoleAttempt
  }
}`) as unknown as TypedDocumentString<ConsoleInvocationsQuery, ConsoleInvocationsQueryVariables>;
export const ConsoleInvocationDocument = new TypedDocumentString(`
    query ConsoleInvocation($id: ID!) {
  invocation(id: $id) {
    ...ConsoleInvocation
    attempts {
      ...ConsoleAttempt
    }
  }
}
    fragment ConsoleAttempt on InvocationAttempt {
  number
  startedAt
  durationMs
  success
  request {
    method
    url
    headers {
      name
      value
    }
    body
  }
  response {
    statusCode
    headers {
      name
      value
    }
    body
    bodyTruncated
  }
  error {
    code
    message
  }
  validatorResults {
    jsonPath
    expectedValues
    actualValue
    passed
  }
}
fragment ConsoleInvocation on Invocation {
  id
  webhookId
  webhook {
    id
    name
  }
  eventId
  trigger
  test
  status
  attemptCount
  nextAttemptAt
  createdAt
  updatedAt
  completedAt
  supersededBy
  redeliveryOf
  lastAttempt {
    ...ConsoleAttempt
  }
}`) as unknown as TypedDocumentString<ConsoleInvocationQuery, ConsoleInvocationQueryVariables>;
export const ConsoleInvocationUpdatedDocument = new TypedDocumentString(`
    subscription ConsoleInvocationUpdated($webhookId: ID) {
  invocationUpdated(webhookId: $webhookId) {
    ...ConsoleInvocation
  }
}
    fragment ConsoleAttempt on InvocationAttempt {
  number
  startedAt
  durationMs
  success
  request {
    method
    url
    headers {
      name
      value
    }
    body
  }
  response {
    statusCode
    headers {
      name
      value
    }
    body
    bodyTruncated
  }
  error {
    code
    message
  }
  validatorResults {
    jsonPath
    expectedValues
    actualValue
    passed
  }
}
fragment ConsoleInvocation on Invocation {
  id
  webhookId
  webhook {
    id
    name
  }
  eventId
  trigger
  test
  status
  attemptCount
  nextAttemptAt
  createdAt
  updatedAt
  completedAt
  supersededBy
  redeliveryOf
  lastAttempt {
    ...ConsoleAttempt
  }
}`) as unknown as TypedDocumentString<ConsoleInvocationUpdatedSubscription, ConsoleInvocationUpdatedSubscriptionVariables>;
export const ConsoleRedeliverDocument = new TypedDocumentString(`
    mutation ConsoleRedeliver($id: ID!) {
  redeliverInvocation(id: $id) {
    __typename
    ... on RedeliverInvocationSuccess {
      invocation {
        ...ConsoleInvocation
      }
    }
    ... on Error {
      message
      code
    }
  }
}
    fragment ConsoleAttempt on InvocationAttempt {
  number
  startedAt
  durationMs
  success
  request {
    method
    url
    headers {
      name
      value
    }
    body
  }
  response {
    statusCode
    headers {
      name
      value
    }
    body
    bodyTruncated
  }
  error {
    code
    message
  }
  validatorResults {
    jsonPath
    expectedValues
    actualValue
    passed
  }
}
fragment ConsoleInvocation on Invocation {
  id
  webhookId
  webhook {
    id
    name
  }
  eventId
  trigger
  test
  status
  attemptCount
  nextAttemptAt
  createdAt
  updatedAt
  completedAt
  supersededBy
  redeliveryOf
  lastAttempt {
    ...ConsoleAttempt
  }
}`) as unknown as TypedDocumentString<ConsoleRedeliverMutation, ConsoleRedeliverMutationVariables>;
export const ConsoleRecoverDocument = new TypedDocumentString(`
    mutation ConsoleRecover($webhookId: ID!, $since: DateTime!) {
  recoverFailedInvocations(webhookId: $webhookId, since: $since) {
    __typename
    ... on RecoverFailedInvocationsSuccess {
      count
    }
    ... on Error {
      message
      code
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleRecoverMutation, ConsoleRecoverMutationVariables>;
export const ConsoleWebhookPresetsDocument = new TypedDocumentString(`
    query ConsoleWebhookPresets {
  webhookPresets {
    id
    name
    description
    docsUrl
    placeholders {
      name
      label
      description
      example
      secret
    }
    definition {
      name
      description
      method
      url
      headers {
        name
        value
      }
      bodyTemplate
      triggers
      timeoutSeconds
      responseValidators {
        jsonPath
        expectedValues
      }
      customValidationErrorMessage
    }
  }
}
    `) as unknown as TypedDocumentString<ConsoleWebhookPresetsQuery, ConsoleWebhookPresetsQueryVariables>;
export const ConsoleApiKeysDocument = new TypedDocumentString(`
    query ConsoleApiKeys($first: Int, $after: String) {
  apiKeys(first: $first, after: $after) {
    edges {
      node {
        ...ConsoleApiKey
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment ConsoleApiKey on ApiKey {
  id
  name
  role
  prefix
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<ConsoleApiKeysQuery, ConsoleApiKeysQueryVariables>;
export const ConsoleCreateApiKeyDocument = new TypedDocumentString(`
    mutation ConsoleCreateApiKey($name: String!, $role: ApiKeyRole!) {
  createApiKey(name: $name, role: $role) {
    __typename
    ... on CreateApiKeySuccess {
      token
      apiKey {
        ...ConsoleApiKey
      }
    }
    ... on Error {
      message
      code
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment ConsoleApiKey on ApiKey {
  id
  name
  role
  prefix
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<ConsoleCreateApiKeyMutation, ConsoleCreateApiKeyMutationVariables>;
export const ConsoleRevokeApiKeyDocument = new TypedDocumentString(`
    mutation ConsoleRevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    __typename
    ... on RevokeApiKeySuccess {
      apiKey {
        ...ConsoleApiKey
      }
    }
    ... on Error {
      message
      code
    }
  }
}
    fragment ConsoleApiKey on ApiKey {
  id
  name
  role
  prefix
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<ConsoleRevokeApiKeyMutation, ConsoleRevokeApiKeyMutationVariables>;
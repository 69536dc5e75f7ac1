import { TRIGGERS, type Trigger } from '../domain/event.js';
import {
  CASE_INSENSITIVE_DIMENSIONS,
  FILTER_DIMENSIONS,
  type FilterDimension,
  type HttpMethod,
  type WEBHOOK_STATUSES,
  type WebhookOrdering,
} from '../domain/webhook.js';
import { builder } from './builder.js';

/** REQUEST_CREATED in the schema <-> "RequestCreated" (the event_type in payloads), INTEGRATION_IDS <-> "integrationIds". */
function enumValueName(value: string): string {
  return value.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

const TRIGGER_DESCRIPTIONS: Record<Trigger, string> = {
  RequestCreated: 'Someone asked for access (event_type "RequestCreated")',
  RequestApproved: 'The request got the approvals it needs (event_type "RequestApproved")',
  RequestRejected: 'An approver rejected the request (event_type "RequestRejected")',
  RequestGranted: 'The access was granted in the integration (event_type "RequestGranted")',
  RequestFailed: 'Granting the access failed (event_type "RequestFailed")',
  RequestExpired: 'The request expired: its access period ran out (event_type "RequestExpired")',
};

export const WebhookTriggerEnum = builder.enumType('WebhookTrigger', {
  description: 'A request status change that fires webhooks; the payload event_type is the PascalCase name',
  values: Object.fromEntries(
    TRIGGERS.map((t) => [enumValueName(t), { value: t, description: TRIGGER_DESCRIPTIONS[t] }]),
  ) as Record<string, { value: Trigger }>,
});

export const HttpMethodEnum = builder.enumType('HttpMethod', {
  description: "The HTTP method of a webhook's request",
  values: {
    GET: { value: 'GET', description: 'GET; with an empty body template it sends no body' },
    POST: { value: 'POST', description: 'POST, the default' },
    PUT: { value: 'PUT', description: 'PUT' },
    PATCH: { value: 'PATCH', description: 'PATCH' },
    DELETE: { value: 'DELETE', description: 'DELETE; with an empty body template it sends no body' },
  } as const satisfies Record<HttpMethod, unknown>,
});

export const WebhookOrderingEnum = builder.enumType('WebhookOrdering', {
  description: 'Whether deliveries of a webhook may overlap',
  values: {
    UNORDERED: { value: 'UNORDERED', description: 'Deliveries run concurrently, each retried on its own' },
    FIFO: {
      value: 'FIFO',
      description:
        'One delivery in flight at a time across all processes, in publish order; a failing one holds the rest until it succeeds or runs out of retries',
    },
  } as const satisfies Record<WebhookOrdering, unknown>,
});

export const WebhookStatusEnum = builder.enumType('WebhookStatus', {
  description: 'Whether a webhook fires',
  values: {
    ACTIVE: {
      value: 'ACTIVE',
      description: 'Fires on every published event that one of its triggers and all its filters match',
    },
    INACTIVE: {
      value: 'INACTIVE',
      description:
        'Fires on nothing, whether an admin or the system (disabledReason) set it so; deliveries still queued for it fail when their turn comes',
    },
  } as const satisfies Record<(typeof WEBHOOK_STATUSES)[number], unknown>,
});

/** Where in the event each filter dimension reads the values it compares. */
const FILTER_DIMENSION_SOURCES: Record<FilterDimension, string> = {
  integrationIds: 'Integration ids (data.access_groups[].integration.id)',
  integrationTypes: 'Integration types, e.g. postgresql (data.access_groups[].integration.type)',
  resourceTypes: 'Resource type ids (data.access_groups[].resource_types[].id)',
  resourceIds: 'Resource ids (data.access_groups[].access_units[].resource.id)',
  permissions: 'Permission names (data.access_groups[].access_units[].permission.name)',
  accessFlowIds: "The access flow's id (data.access_flow.id)",
  bundleIds: "The bundle's id (data.access_bundle.id; a request made from no bundle has none)",
  requesterEmails: "The requester's email (data.requester.email)",
  granteeTypes: "The grantee's type, e.g. user or group (data.grantee.type)",
  approvalTypes: 'Approval types, automatic or manual (data.approvals[].type)',
};

/** What one filter dimension compares and how: the enum value's, WebhookFilters' and the input's text. */
export const FILTER_DIMENSION_DESCRIPTIONS = Object.fromEntries(
  FILTER_DIMENSIONS.map((d) => [
    d,
    `${FILTER_DIMENSION_SOURCES[d]}, ${CASE_INSENSITIVE_DIMENSIONS.has(d) ? 'matched whatever the case' : 'matched exactly'}`,
  ]),
) as Record<FilterDimension, string>;

export const FilterDimensionEnum = builder.enumType('FilterDimension', {
  description: "A filter of a webhook's definition: the WebhookFilters field of the same name",
  values: Object.fromEntries(
    FILTER_DIMENSIONS.map((d) => [
      enumValueName(d),
      { value: d, description: FILTER_DIMENSION_DESCRIPTIONS[d] },
    ]),
  ) as Record<string, { value: FilterDimension }>,
});

import { TRIGGERS, type Trigger } from '../domain/event.js';
import {
  FILTER_DIMENSIONS,
  type FilterDimension,
  HTTP_METHODS,
  type WEBHOOK_STATUSES,
  type WebhookOrdering,
} from '../domain/webhook.js';
import { builder } from './builder.js';

/** REQUEST_CREATED in the schema <-> "RequestCreated" (the event_type in payloads), INTEGRATION_IDS <-> "integrationIds". */
function enumValueName(value: string): string {
  return value.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

export const WebhookTriggerEnum = builder.enumType('WebhookTrigger', {
  description: 'A request status change that fires webhooks; the payload event_type is the PascalCase name',
  values: Object.fromEntries(TRIGGERS.map((t) => [enumValueName(t), { value: t }])) as Record<
    string,
    { value: Trigger }
  >,
});

export const HttpMethodEnum = builder.enumType('HttpMethod', { values: HTTP_METHODS });

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
  values: {
    ACTIVE: { value: 'ACTIVE', description: 'Fires on matching events' },
    INACTIVE: { value: 'INACTIVE', description: 'Never fires' },
  } as const satisfies Record<(typeof WEBHOOK_STATUSES)[number], unknown>,
});

export const FilterDimensionEnum = builder.enumType('FilterDimension', {
  description: "A filter of a webhook's definition: the WebhookFilters field of the same name",
  values: Object.fromEntries(FILTER_DIMENSIONS.map((d) => [enumValueName(d), { value: d }])) as Record<
    string,
    { value: FilterDimension }
  >,
});

import { TRIGGERS, type Trigger } from '../domain/event.js';
import { HTTP_METHODS, type WEBHOOK_STATUSES } from '../domain/webhook.js';
import { builder } from './builder.js';

/** REQUEST_CREATED in the schema <-> "RequestCreated", the event_type in payloads. */
export function triggerEnumName(trigger: Trigger): string {
  return trigger.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

export const WebhookTriggerEnum = builder.enumType('WebhookTrigger', {
  description: 'A request status change that fires webhooks; the payload event_type is the PascalCase name',
  values: Object.fromEntries(TRIGGERS.map((t) => [triggerEnumName(t), { value: t }])) as Record<
    string,
    { value: Trigger }
  >,
});

export const HttpMethodEnum = builder.enumType('HttpMethod', { values: HTTP_METHODS });

export const WebhookStatusEnum = builder.enumType('WebhookStatus', {
  values: {
    ACTIVE: { value: 'ACTIVE', description: 'Fires on matching events' },
    INACTIVE: { value: 'INACTIVE', description: 'Never fires' },
  } as const satisfies Record<(typeof WEBHOOK_STATUSES)[number], unknown>,
});

import { eventPayloadJsonSchema, sampleEvent } from '../domain/event.js';
import { builder } from './builder.js';
import { WebhookTriggerEnum } from './enums.js';

builder.queryFields((t) => ({
  eventPayloadSchema: t.field({
    type: 'JSON',
    description: 'JSON Schema of the event payload that templates and filters see',
    resolve: () => eventPayloadJsonSchema(),
  }),
  sampleEvent: t.field({
    type: 'JSON',
    description: 'The mock event that testWebhook sends for a trigger',
    args: {
      trigger: t.arg({
        type: WebhookTriggerEnum,
        required: true,
        description: 'The trigger whose sample event to return',
      }),
    },
    resolve: (_root, { trigger }) => sampleEvent(trigger),
  }),
}));

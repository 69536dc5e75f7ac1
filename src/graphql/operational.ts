import { ValidationError } from '../domain/errors.js';
import type {
  OPERATIONAL_DELIVERY_STATUSES,
  OPERATIONAL_EVENT_TYPES,
  OperationalEvent,
  OperationalWebhook,
  StoredOperationalEvent,
} from '../domain/operational-event.js';
import {
  clearOperationalWebhook,
  getOperationalWebhook,
  listOperationalEvents,
  type OperationalDeps,
  setOperationalWebhook,
} from '../domain/operational-use-cases.js';
import { MAX_HEADERS } from '../domain/webhook.js';
import { getWebhook } from '../domain/webhook-use-cases.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { unwrap, unwrapQuery } from './errors.js';
import { HeaderEntry, HeaderInput, toConnection, WebhookRef } from './webhook.js';

const deps = (ctx: GraphQLContext): OperationalDeps => ({
  operational: ctx.services.stores.operational,
  secrets: ctx.services.secrets,
  allowedCidrs: ctx.services.config.DISPATCH_ALLOWED_CIDRS,
});

export const OperationalEventTypeEnum = builder.enumType('OperationalEventType', {
  description: 'What an operational event reports',
  values: {
    WEBHOOK_DISABLED: {
      description:
        'The system deactivated a webhook: its target answered 410 Gone, or failed for AUTO_DISABLE_AFTER',
    },
    WEBHOOK_ENABLED: { description: 'An admin set a webhook that the system had deactivated back to ACTIVE' },
    INVOCATION_EXHAUSTED: {
      description:
        'An invocation failed its last scheduled attempt and will not be retried (a failure that is never retried, such as a 4xx answer, is not one)',
    },
  } as const satisfies Record<(typeof OPERATIONAL_EVENT_TYPES)[number], unknown>,
});

const OperationalDeliveryStatusEnum = builder.enumType('OperationalDeliveryStatus', {
  description: "Where an operational event's delivery to the operational webhook stands",
  values: {
    NONE: { description: 'The account had no operational webhook when the event happened' },
    PENDING: { description: 'Waiting for its first attempt or a retry' },
    IN_FLIGHT: { description: 'Being sent' },
    SUCCEEDED: { description: 'The operational webhook answered 2xx' },
    FAILED: { description: 'Not delivered: the answer was not retryable, or the retries ran out' },
  } as const satisfies Record<(typeof OPERATIONAL_DELIVERY_STATUSES)[number], unknown>,
});

const OperationalEventDelivery = builder
  .objectRef<StoredOperationalEvent['delivery']>('OperationalEventDelivery')
  .implement({
    description: "The event's delivery to the account's operational webhook",
    fields: (t) => ({
      status: t.expose('status', { type: OperationalDeliveryStatusEnum, description: 'Where it stands' }),
      attempts: t.exposeInt('attempts', { description: 'How many attempts were made' }),
      nextAttemptAt: t.expose('nextAttemptAt', {
        type: 'DateTime',
        nullable: true,
        description: 'When the next attempt is due, while PENDING (null: none is scheduled)',
      }),
      lastError: t.exposeString('lastError', {
        nullable: true,
        description:
          "The last attempt's error, e.g. the HTTP status it got (null: no attempt yet, or the last one succeeded)",
      }),
      deliveredAt: t.expose('deliveredAt', {
        type: 'DateTime',
        nullable: true,
        description: 'When the operational webhook answered 2xx (null: not delivered)',
      }),
    }),
  });

export const OperationalEventRef = builder.objectRef<OperationalEvent>('OperationalEvent').implement({
  description:
    'Something about a webhook that its admins should know: sent live (Subscription.operationalEvents), listed by Query.operationalEvents, and POSTed to the operational webhook',
  fields: (t) => ({
    id: t.exposeID('id', {
      description: 'Its id (opev_…), also in the body POSTed to the operational webhook',
    }),
    type: t.expose('type', { type: OperationalEventTypeEnum, description: 'What happened' }),
    webhookId: t.exposeID('webhookId', {
      description: 'The webhook it is about; kept when the webhook is deleted',
    }),
    webhook: t.field({
      type: WebhookRef,
      nullable: true,
      description: 'Null once the webhook is deleted',
      resolve: (e, _args, ctx) =>
        getWebhook({ webhooks: ctx.services.stores.webhooks }, ctx.caller, e.webhookId),
    }),
    invocationId: t.exposeID('invocationId', {
      nullable: true,
      description: 'The invocation that ran out of retries (INVOCATION_EXHAUSTED)',
    }),
    reason: t.exposeString('reason', { description: 'Why, for people' }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime', description: 'When it happened' }),
    delivery: t.field({
      type: OperationalEventDelivery,
      description: "Its delivery to the account's operational webhook",
      resolve: (e) => (e as StoredOperationalEvent).delivery,
    }),
  }),
});

const OperationalEventConnection = builder.connectionObject(
  {
    type: OperationalEventRef,
    name: 'OperationalEventConnection',
    description: 'A page of operational events, newest first',
  },
  { name: 'OperationalEventEdge', description: 'An operational event of the page, with its cursor' },
);

const OperationalWebhookRef = builder.objectRef<OperationalWebhook>('OperationalWebhook').implement({
  description:
    "Where the account's operational events are POSTed, signed (Standard Webhooks) with its own secret, under the same rules as deliveries: https, port 443, the address guard, a timeout",
  fields: (t) => ({
    url: t.exposeString('url', { description: 'Where the events are POSTed' }),
    headers: t.field({
      type: [HeaderEntry],
      description: 'Headers sent with every delivery; values come back masked',
      resolve: (w) => w.headers.map((h) => ({ name: h.name, value: h.value.masked })),
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      description: 'When it was first set: kept when it is set again, new after clearOperationalWebhook',
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it was last set' }),
  }),
});

builder.queryFields((t) => ({
  operationalWebhook: t.field({
    type: OperationalWebhookRef,
    nullable: true,
    description: "The account's operational webhook; null when it has none",
    resolve: (_root, _args, ctx) => getOperationalWebhook(deps(ctx), ctx.caller),
  }),
  operationalEvents: t.field({
    type: OperationalEventConnection,
    description: 'Newest first; kept as long as invocations (INVOCATION_RETENTION_DAYS)',
    args: {
      first: t.arg.int({ description: 'Page size, 1 to 100 (default 20)' }),
      after: t.arg.string({ description: "The previous page's endCursor (omitted: the first page)" }),
    },
    resolve: async (_root, args, ctx) =>
      toConnection(unwrapQuery(await listOperationalEvents(deps(ctx), ctx.caller, args)), args.after),
  }),
}));

const SetOperationalWebhookSuccess = builder
  .objectRef<{ webhook: OperationalWebhook; signingSecret: string | null }>('SetOperationalWebhookSuccess')
  .implement({
    description: 'The operational webhook is set',
    fields: (t) => ({
      operationalWebhook: t.field({
        type: OperationalWebhookRef,
        description: 'The operational webhook as saved',
        resolve: (r) => r.webhook,
      }),
      signingSecret: t.exposeString('signingSecret', {
        nullable: true,
        description:
          'The whsec_ secret that signs operational deliveries, shown only here, once: when the account had no operational webhook, or on rotateSigningSecret. Null otherwise (the secret is kept)',
      }),
    }),
  });

const ClearOperationalWebhookResult = builder
  .objectRef<{ cleared: boolean }>('ClearOperationalWebhookResult')
  .implement({
    description: 'Whether there was an operational webhook to remove',
    fields: (t) => ({
      cleared: t.exposeBoolean('cleared', {
        description: 'False when the account had no operational webhook',
      }),
    }),
  });

builder.mutationFields((t) => ({
  setOperationalWebhook: t.field({
    type: SetOperationalWebhookSuccess,
    description:
      "Sets the account's operational webhook (replacing the one it had). A header sent without a value keeps its stored value",
    errors: {
      types: [ValidationError],
      union: {
        name: 'SetOperationalWebhookResult',
        description:
          'The operational webhook, or ValidationError (an invalid url or header; nothing was changed)',
      },
    },
    args: {
      url: t.arg.string({
        required: true,
        description:
          'Where to POST the events: an absolute https URL, no custom port, no credentials, up to 2048 characters',
      }),
      headers: t.arg({
        type: [HeaderInput],
        description: `Up to ${MAX_HEADERS} headers sent with every delivery, under the rules of a webhook's headers; they replace the stored ones`,
      }),
      rotateSigningSecret: t.arg.boolean({
        description: 'Make a new signing secret even though one exists; the old one stops signing at once',
      }),
    },
    resolve: async (_root, args, ctx) => unwrap(await setOperationalWebhook(deps(ctx), ctx.caller, args)),
  }),
  clearOperationalWebhook: t.field({
    type: ClearOperationalWebhookResult,
    description: 'Removes the operational webhook; operational events are still kept and sent live',
    resolve: (_root, _args, ctx) => clearOperationalWebhook(deps(ctx), ctx.caller),
  }),
}));

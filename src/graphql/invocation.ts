import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { MAX_PUBLISH_BATCH, publishEvent, publishEventBatch } from '../domain/event-use-cases.js';
import { idKind } from '../domain/ids.js';
import {
  ATTEMPT_ERROR_CODES,
  type AttemptRecord,
  type Invocation,
  type InvocationStatus,
  type ValidatorResult,
} from '../domain/invocation.js';
import {
  getInvocation,
  type InvocationDeps,
  listInvocations,
  recoverFailedInvocations,
  redeliverInvocation,
  type TestResult,
  testWebhook,
} from '../domain/invocation-use-cases.js';
import type { Webhook } from '../domain/webhook.js';
import {
  getWebhook,
  MAX_OVERLAPPING_SECRETS,
  rotateWebhookSigningSecret,
} from '../domain/webhook-use-cases.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { FilterDimensionEnum, HttpMethodEnum, WebhookTriggerEnum } from './enums.js';
import { isValidationErrorData, unwrap, unwrapQuery, validationErrorData } from './errors.js';
import { tracePublished } from './publish-tracing.js';
import { CreateWebhookInput, definitionInput, HeaderEntry, toConnection, WebhookRef } from './webhook.js';

const deps = (ctx: GraphQLContext): InvocationDeps => ({
  webhooks: ctx.services.stores.webhooks,
  events: ctx.services.stores.events,
  invocations: ctx.services.stores.invocations,
  secrets: ctx.services.secrets,
  sandbox: ctx.services.sandbox,
  deliverer: ctx.services.deliverer,
  notifyWork: ctx.services.notifyWork,
  localDispatch: ctx.services.localDispatch,
  onInvocationChange: ctx.services.onInvocationChange,
  filterCatalog: ctx.services.filterCatalog,
  allowedCidrs: ctx.services.config.DISPATCH_ALLOWED_CIDRS,
});

export const InvocationStatusEnum = builder.enumType('InvocationStatus', {
  description:
    'Where an invocation stands: PENDING, IN_FLIGHT, then SUCCEEDED, or RETRYING and IN_FLIGHT again until it succeeds or FAILED',
  values: {
    PENDING: {
      value: 'PENDING',
      description: 'No attempt yet: due at nextAttemptAt, or (FIFO) waiting for its turn',
    },
    IN_FLIGHT: {
      value: 'IN_FLIGHT',
      description:
        'A worker is sending it under a lease; a worker that dies lets the lease run out, and another sends it (at least once)',
    },
    RETRYING: {
      value: 'RETRYING',
      description: 'An attempt failed and may be retried: the next one is due at nextAttemptAt',
    },
    SUCCEEDED: {
      value: 'SUCCEEDED',
      description: 'Delivered: an attempt got a 2xx answer that passed every response validator',
    },
    FAILED: {
      value: 'FAILED',
      description:
        'Given up: a failure that is never retried, the retries ran out, or the webhook was deleted or INACTIVE when its turn came',
    },
  } as const satisfies Record<InvocationStatus, unknown>,
});

const InvocationRequest = builder.objectRef<AttemptRecord['request']>('InvocationRequest').implement({
  description: 'The request as sent; secret header values and tokens masked',
  fields: (t) => ({
    method: t.expose('method', { type: HttpMethodEnum, description: 'The HTTP method' }),
    url: t.exposeString('url', { description: 'The URL' }),
    headers: t.field({
      type: [HeaderEntry],
      description:
        'Every header sent, the webhook-id, webhook-timestamp and webhook-signature ones included (empty: the attempt failed before they were set)',
      resolve: (r) => r.headers,
    }),
    body: t.exposeString('body', {
      nullable: true,
      description: 'The rendered body, its first 64 KiB (null: no body, or the template did not render)',
    }),
  }),
});

const InvocationResponse = builder
  .objectRef<NonNullable<AttemptRecord['response']>>('InvocationResponse')
  .implement({
    description: 'The response; the body is kept up to 64 KiB',
    fields: (t) => ({
      statusCode: t.exposeInt('statusCode', { description: 'The HTTP status code' }),
      headers: t.field({
        type: [HeaderEntry],
        description: 'The response headers; secrets of the request they repeat come back masked',
        resolve: (r) => r.headers,
      }),
      body: t.exposeString('body', {
        nullable: true,
        description: 'The body, its first 64 KiB; secrets of the request it repeats masked (null: empty)',
      }),
      bodyTruncated: t.exposeBoolean('bodyTruncated', {
        description: 'True when the body was longer than 64 KiB and only its start is kept',
      }),
    }),
  });

const InvocationError = builder.objectRef<NonNullable<AttemptRecord['error']>>('InvocationError').implement({
  description: `Why an attempt failed. code: ${ATTEMPT_ERROR_CODES.join(', ')}`,
  fields: (t) => ({
    code: t.exposeString('code', {
      description: `What failed: ${ATTEMPT_ERROR_CODES.join(', ')}. DNS, CONNECTION, TLS, TIMEOUT, OAUTH, and HTTP_STATUS for 408, 429 and 5xx are retried; the others are not`,
    }),
    message: t.exposeString('message', {
      description:
        "What happened, for people, secrets masked (RESPONSE_VALIDATION: the webhook's customValidationErrorMessage when it has one)",
    }),
  }),
});

const ValidatorResultType = builder.objectRef<ValidatorResult>('ValidatorResult').implement({
  description: "How one of the webhook's response validators judged the answer",
  fields: (t) => ({
    jsonPath: t.exposeString('jsonPath', { description: "The validator's JSONPath" }),
    expectedValues: t.exposeStringList('expectedValues', { description: 'The values that pass' }),
    actualValue: t.exposeString('actualValue', {
      nullable: true,
      description:
        'The value found at jsonPath, as text, secrets masked (null: nothing there, the body is not JSON or is over 1 MiB, or the check ran out of budget)',
    }),
    passed: t.exposeBoolean('passed', { description: 'Whether actualValue is one of expectedValues' }),
  }),
});

const InvocationAttempt = builder.objectRef<AttemptRecord>('InvocationAttempt').implement({
  description: 'One try at a delivery: an HTTP request and its answer, or why none was made or came',
  fields: (t) => ({
    number: t.exposeInt('number', { description: 'Which attempt of the invocation it was, from 1' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', description: 'When it started' }),
    durationMs: t.exposeInt('durationMs', {
      description: 'How long it took in milliseconds, from rendering the body to the verdict',
    }),
    success: t.exposeBoolean('success', {
      description: 'Whether it delivered: a 2xx answer that passed every response validator',
    }),
    request: t.field({
      type: InvocationRequest,
      description: 'The request, as far as it was made',
      resolve: (a) => a.request,
    }),
    response: t.field({
      type: InvocationResponse,
      nullable: true,
      description: 'The answer (null: none came: the attempt failed before or while sending)',
      resolve: (a) => a.response,
    }),
    error: t.field({
      type: InvocationError,
      nullable: true,
      description: 'Why it failed (null: it succeeded)',
      resolve: (a) => a.error,
    }),
    validatorResults: t.field({
      type: [ValidatorResultType],
      description: 'One per response validator, in order (empty: none ran, e.g. the answer was no 2xx)',
      resolve: (a) => a.validatorResults,
    }),
  }),
});

export const InvocationRef = builder.objectRef<Invocation>('Invocation');

builder.node(InvocationRef, {
  description: 'One event delivered to one webhook, with every attempt',
  id: { resolve: (i) => i.id },
  isTypeOf: (value) => idKind((value as Invocation).id) === 'Invocation',
  loadOne: (id, ctx) => getInvocation(deps(ctx), ctx.caller, id),
  fields: (t) => ({
    webhookId: t.exposeID('webhookId', {
      description: 'The webhook it delivers to; kept when the webhook is deleted',
    }),
    webhook: t.field({
      type: WebhookRef,
      nullable: true,
      description: 'Null for a test of an unsaved definition, or once the webhook is deleted',
      resolve: (i, _args, ctx) => getWebhook(deps(ctx), ctx.caller, i.webhookId),
    }),
    eventId: t.exposeID('eventId', {
      description: 'The event it delivers (evt_…): a published one, or the sample event of a test',
    }),
    trigger: t.expose('trigger', { type: WebhookTriggerEnum, description: "The event's trigger" }),
    test: t.exposeBoolean('test', {
      description: 'True for a testWebhook call: its sample event, sent once, never retried',
    }),
    messageId: t.exposeString('messageId', {
      description: 'The webhook-id header: the same for retries and redeliveries of one event to one webhook',
    }),
    status: t.expose('status', { type: InvocationStatusEnum, description: 'Where it stands' }),
    attemptCount: t.int({ description: 'How many attempts were made', resolve: (i) => i.attempts.length }),
    attempts: t.field({
      type: [InvocationAttempt],
      description: 'Every attempt, oldest first',
      resolve: (i) => i.attempts,
    }),
    lastAttempt: t.field({
      type: InvocationAttempt,
      nullable: true,
      description: 'The latest attempt (null: none yet)',
      resolve: (i) => i.attempts.at(-1) ?? null,
    }),
    nextAttemptAt: t.expose('nextAttemptAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'When the next attempt is due, while PENDING or RETRYING (null: finished, or waiting for its turn in a FIFO queue)',
    }),
    supersededBy: t.exposeID('supersededBy', {
      nullable: true,
      description:
        'The invocation that redelivered this one (redeliverInvocation, recoverFailedInvocations); null: none did',
    }),
    redeliveryOf: t.id({
      nullable: true,
      description:
        'Set on a redelivery (redeliverInvocation, recoverFailedInvocations): the first invocation of the same event to the same webhook, whose id is also its webhook-id header; null: not a redelivery',
      resolve: (i) => (!i.test && i.messageId !== i.id ? i.messageId : null),
    }),
    waitingForTurn: t.boolean({
      description:
        "FIFO webhooks: true while it waits for the webhook's earlier deliveries (it is PENDING with no nextAttemptAt)",
      resolve: (i) => Boolean(i.orderingKey) && i.status === 'PENDING' && i.nextAttemptAt === null,
    }),
    waitedFor: t.id({
      nullable: true,
      description:
        'FIFO webhooks: the earlier invocation of the webhook this one waited for (until it succeeded or ran out of retries) before it could be sent',
      resolve: (i) => i.waitedFor ?? null,
    }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      description: 'When it was created: when its event was published, or the redelivery or test made',
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed' }),
    completedAt: t.expose('completedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it SUCCEEDED or FAILED (null: not finished)',
    }),
  }),
});

const InvocationConnection = builder.connectionObject(
  { type: InvocationRef, name: 'InvocationConnection', description: 'A page of invocations, newest first' },
  { name: 'InvocationEdge', description: 'An invocation of the page, with its cursor' },
);

builder.objectField(WebhookRef, 'invocations', (t) =>
  t.field({
    type: InvocationConnection,
    description: 'Newest first',
    args: {
      first: t.arg.int({ description: 'Page size, 1 to 100 (default 20)' }),
      after: t.arg.string({ description: "The previous page's endCursor (omitted: the first page)" }),
      status: t.arg({ type: InvocationStatusEnum, description: 'Only invocations with this status' }),
    },
    resolve: async (webhook, args, ctx) =>
      toConnection(
        unwrapQuery(await listInvocations(deps(ctx), ctx.caller, { ...args, webhookId: webhook.id })),
        args.after,
      ),
  }),
);

builder.queryFields((t) => ({
  invocation: t.field({
    type: InvocationRef,
    nullable: true,
    description: 'The invocation with this id; null when the account has none',
    args: { id: t.arg.id({ required: true, description: 'An invocation id (inv_…)' }) },
    resolve: (_root, { id }, ctx) => getInvocation(deps(ctx), ctx.caller, id),
  }),
  invocations: t.field({
    type: InvocationConnection,
    description: 'Newest first',
    args: {
      first: t.arg.int({ description: 'Page size, 1 to 100 (default 20)' }),
      after: t.arg.string({ description: "The previous page's endCursor (omitted: the first page)" }),
      webhookId: t.arg.id({ description: "Only this webhook's invocations" }),
      status: t.arg({ type: InvocationStatusEnum, description: 'Only invocations with this status' }),
      eventId: t.arg.id({
        description: "Only this event's invocations (one per matched webhook, and redeliveries)",
      }),
      test: t.arg.boolean({ description: 'Only tests (true), or only real deliveries (false)' }),
    },
    resolve: async (_root, args, ctx) =>
      toConnection(unwrapQuery(await listInvocations(deps(ctx), ctx.caller, args)), args.after),
  }),
}));

// ---- mutations ---------------------------------------------------------------------------------

const TestWebhookSuccess = builder.objectRef<TestResult>('TestWebhookSuccess').implement({
  description:
    'The test was sent: how its one attempt went, and whether real events like it would be delivered',
  fields: (t) => ({
    success: t.exposeBoolean('success', {
      description: 'Whether the attempt delivered: a 2xx answer that passed every response validator',
    }),
    matched: t.exposeBoolean('matched', {
      description:
        "Whether a real event like the test's would be delivered: its trigger is one of the webhook's and no filter blocks it",
    }),
    blockedBy: t.field({
      type: [FilterDimensionEnum],
      description: 'The filters that would hold back a real event like this one (empty when none does)',
      resolve: (r) => r.blockedBy,
    }),
    invocation: t.field({
      type: InvocationRef,
      description: 'The stored test invocation (test: true), SUCCEEDED or FAILED, with its one attempt',
      resolve: (r) => r.invocation,
    }),
  }),
});

const EVENT_DESCRIPTION =
  'The event payload that eventPayloadSchema describes (event_type names the trigger): at most 256 KiB as JSON, 32 levels deep';
const IDEMPOTENCY_KEY_DESCRIPTION =
  "1 to 255 characters; the same key within 24 h publishes nothing and returns the first publish's result";

interface PublishEventShape {
  eventId: string;
  matchedWebhookCount: number;
  invocations: Invocation[];
  duplicate: boolean;
}

const PublishEventSuccess = builder.objectRef<PublishEventShape>('PublishEventSuccess').implement({
  description: 'The event is stored, with one invocation queued for each webhook it matched',
  fields: (t) => ({
    eventId: t.exposeID('eventId', { description: "The event's id (evt_…)" }),
    matchedWebhookCount: t.exposeInt('matchedWebhookCount', {
      description: 'How many ACTIVE webhooks its trigger and filters matched',
    }),
    invocations: t.field({
      type: [InvocationRef],
      description: 'One per matched webhook (for a duplicate: those of the first publish)',
      resolve: (r) => r.invocations,
    }),
    duplicate: t.exposeBoolean('duplicate', {
      description:
        'True when the idempotency key was seen within 24 h: this is the first result, nothing new was sent',
    }),
  }),
});

const PublishEventInput = builder.inputType('PublishEventInput', {
  description: 'One event of a publishEvents batch',
  fields: (t) => ({
    event: t.field({ type: 'JSON', required: true, description: EVENT_DESCRIPTION }),
    idempotencyKey: t.string({ description: IDEMPOTENCY_KEY_DESCRIPTION }),
  }),
});

const PublishEventOutcome = builder.unionType('PublishEventOutcome', {
  description: "One event's outcome in a publishEvents batch",
  types: [PublishEventSuccess, ValidationError],
  resolveType: (value) => (isValidationErrorData(value) ? 'ValidationError' : 'PublishEventSuccess'),
});

const PublishEventsSuccess = builder
  .objectRef<{ results: (PublishEventShape | ValidationError)[] }>('PublishEventsSuccess')
  .implement({
    description: 'The batch was taken: each event has its own outcome',
    fields: (t) => ({
      results: t.field({
        type: [PublishEventOutcome],
        description:
          'One per event, in the order sent; a ValidationError names its event by index (["events", "3", "event", …])',
        resolve: (r) => r.results,
      }),
    }),
  });

const RedeliverInvocationSuccess = builder
  .objectRef<{ invocation: Invocation }>('RedeliverInvocationSuccess')
  .implement({
    description: 'The redelivery is queued',
    fields: (t) => ({
      invocation: t.field({
        type: InvocationRef,
        description:
          "The new invocation: the same event to the same webhook, with the original's messageId (the webhook-id header), so receivers can deduplicate",
        resolve: (r) => r.invocation,
      }),
    }),
  });

const RecoverFailedInvocationsSuccess = builder
  .objectRef<{ count: number }>('RecoverFailedInvocationsSuccess')
  .implement({
    description: 'The redeliveries are queued',
    fields: (t) => ({
      count: t.exposeInt('count', {
        description: 'How many invocations were redelivered (0: none to recover)',
      }),
    }),
  });

const RotateWebhookSigningSecretSuccess = builder
  .objectRef<{ webhook: Webhook; signingSecret: string }>('RotateWebhookSigningSecretSuccess')
  .implement({
    description: 'The new signing secret is in use',
    fields: (t) => ({
      webhook: t.field({ type: WebhookRef, description: 'The webhook', resolve: (r) => r.webhook }),
      signingSecret: t.exposeString('signingSecret', {
        description: 'The new whsec_ secret, shown only here; the previous one keeps signing for 24 h',
      }),
    }),
  });

builder.mutationFields((t) => ({
  testWebhook: t.field({
    type: TestWebhookSuccess,
    description:
      "Sends the trigger's sample event once, now, to a saved webhook (id) or an unsaved definition (input)",
    errors: {
      types: [ValidationError, NotFoundError],
      union: {
        name: 'TestWebhookResult',
        description:
          "The test's outcome, or why it was not sent: ValidationError (not exactly one of id and input, or an invalid input), NotFoundError (no such webhook)",
      },
    },
    args: {
      id: t.arg.id({ description: 'A saved webhook to send to, whatever its status (give id or input)' }),
      input: t.arg({
        type: CreateWebhookInput,
        description:
          'An unsaved definition to send to, validated like createWebhook (field errors under "input"); it is not saved',
      }),
      trigger: t.arg({ type: WebhookTriggerEnum, description: "Default: the webhook's first trigger" }),
    },
    resolve: async (_root, { id, input, trigger }, ctx) =>
      unwrap(
        await testWebhook(deps(ctx), ctx.caller, { id, input: input && definitionInput(input) }, trigger),
      ),
  }),
  publishEvent: t.field({
    type: PublishEventSuccess,
    description:
      'Publishes one event: each ACTIVE webhook whose triggers and filters it matches gets an invocation, delivered at least once',
    authScopes: { publish: true },
    skipTypeScopes: true,
    errors: {
      types: [ValidationError],
      union: {
        name: 'PublishEventResult',
        description:
          'The published event, or ValidationError (the event or the key is invalid; nothing was stored)',
      },
    },
    args: {
      event: t.arg({ type: 'JSON', required: true, description: EVENT_DESCRIPTION }),
      idempotencyKey: t.arg.string({ description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    resolve: async (_root, { event, idempotencyKey }, ctx) => {
      const started = Date.now();
      const outcome = await publishEvent(deps(ctx), ctx.caller, event, idempotencyKey);
      tracePublished(ctx, started, [event], [outcome]);
      return unwrap(outcome);
    },
  }),
  publishEvents: t.field({
    type: PublishEventsSuccess,
    description: `Publishes up to ${MAX_PUBLISH_BATCH} events in one write; each event succeeds or fails on its own`,
    authScopes: { publish: true },
    skipTypeScopes: true,
    errors: {
      types: [ValidationError],
      union: {
        name: 'PublishEventsResult',
        description: `Each event's outcome, or ValidationError when the batch is refused whole (no events, or more than ${MAX_PUBLISH_BATCH})`,
      },
    },
    args: {
      events: t.arg({
        type: [PublishEventInput],
        required: true,
        description: `1 to ${MAX_PUBLISH_BATCH} events, published in this order`,
      }),
    },
    resolve: async (_root, { events }, ctx) => {
      const items = events.map((e) => ({ payload: e.event, idempotencyKey: e.idempotencyKey }));
      const started = Date.now();
      const outcomes = unwrap(await publishEventBatch(deps(ctx), ctx.caller, items));
      tracePublished(
        ctx,
        started,
        items.map((item) => item.payload),
        outcomes,
      );
      return {
        results: outcomes.map((o, i) =>
          // The ValidationError type takes its data form (isTypeOf), which Pothos types as the class.
          o.ok
            ? o.value
            : (validationErrorData(o.error.under('events', String(i))) as unknown as ValidationError),
        ),
      };
    },
  }),
  redeliverInvocation: t.field({
    type: RedeliverInvocationSuccess,
    description:
      "Sends an invocation's event to its webhook again, as a new invocation; the original's supersededBy names it",
    errors: {
      types: [NotFoundError],
      union: {
        name: 'RedeliverInvocationResult',
        description: 'The new invocation, or NotFoundError (no such invocation, or its webhook is deleted)',
      },
    },
    args: {
      id: t.arg.id({ required: true, description: 'The invocation to redeliver, whatever its status' }),
    },
    resolve: async (_root, { id }, ctx) => ({
      invocation: unwrap(await redeliverInvocation(deps(ctx), ctx.caller, id)),
    }),
  }),
  recoverFailedInvocations: t.field({
    type: RecoverFailedInvocationsSuccess,
    description:
      'Redelivers, like redeliverInvocation, the FAILED invocations of a webhook created since a time that no redelivery replaced yet, tests aside: up to 10,000, oldest first',
    errors: {
      types: [NotFoundError, ValidationError],
      union: {
        name: 'RecoverFailedInvocationsResult',
        description:
          'How many were redelivered, or NotFoundError (no such webhook) or ValidationError (since is no time)',
      },
    },
    args: {
      webhookId: t.arg.id({
        required: true,
        description: 'The webhook whose failed invocations to redeliver',
      }),
      since: t.arg({
        type: 'DateTime',
        required: true,
        description: 'Only invocations created at or after this time',
      }),
    },
    resolve: async (_root, { webhookId, since }, ctx) =>
      unwrap(await recoverFailedInvocations(deps(ctx), ctx.caller, webhookId, since)),
  }),
  rotateWebhookSigningSecret: t.field({
    type: RotateWebhookSigningSecretSuccess,
    description:
      'Gives a webhook a new signing secret. For 24 h deliveries carry a signature by the previous secret too, so receivers can switch',
    errors: {
      types: [NotFoundError, ConflictError],
      union: {
        name: 'RotateWebhookSigningSecretResult',
        description: `The new secret, or NotFoundError (no such webhook) or ConflictError (${MAX_OVERLAPPING_SECRETS} replaced secrets still sign: rotate again once the oldest expires; or concurrent changes: try again)`,
      },
    },
    args: { id: t.arg.id({ required: true, description: 'The webhook' }) },
    resolve: async (_root, { id }, ctx) =>
      unwrap(await rotateWebhookSigningSecret(deps(ctx), ctx.caller, id)),
  }),
}));

import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { MAX_PUBLISH_BATCH, publishEvent, publishEventBatch } from '../domain/event-use-cases.js';
import { idKind } from '../domain/ids.js';
import {
  ATTEMPT_ERROR_CODES,
  type AttemptRecord,
  INVOCATION_STATUSES,
  type Invocation,
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
import { getWebhook, rotateWebhookSigningSecret } from '../domain/webhook-use-cases.js';
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
});

export const InvocationStatusEnum = builder.enumType('InvocationStatus', { values: INVOCATION_STATUSES });

const InvocationRequest = builder.objectRef<AttemptRecord['request']>('InvocationRequest').implement({
  description: 'The request as sent; secret header values and tokens masked',
  fields: (t) => ({
    method: t.expose('method', { type: HttpMethodEnum }),
    url: t.exposeString('url'),
    headers: t.field({ type: [HeaderEntry], resolve: (r) => r.headers }),
    body: t.exposeString('body', { nullable: true }),
  }),
});

const InvocationResponse = builder
  .objectRef<NonNullable<AttemptRecord['response']>>('InvocationResponse')
  .implement({
    description: 'The response; the body is kept up to 64 KiB',
    fields: (t) => ({
      statusCode: t.exposeInt('statusCode'),
      headers: t.field({ type: [HeaderEntry], resolve: (r) => r.headers }),
      body: t.exposeString('body', { nullable: true }),
      bodyTruncated: t.exposeBoolean('bodyTruncated'),
    }),
  });

const InvocationError = builder.objectRef<NonNullable<AttemptRecord['error']>>('InvocationError').implement({
  description: `Why an attempt failed. code: ${ATTEMPT_ERROR_CODES.join(', ')}`,
  fields: (t) => ({ code: t.exposeString('code'), message: t.exposeString('message') }),
});

const ValidatorResultType = builder.objectRef<ValidatorResult>('ValidatorResult').implement({
  fields: (t) => ({
    jsonPath: t.exposeString('jsonPath'),
    expectedValues: t.exposeStringList('expectedValues'),
    actualValue: t.exposeString('actualValue', { nullable: true }),
    passed: t.exposeBoolean('passed'),
  }),
});

const InvocationAttempt = builder.objectRef<AttemptRecord>('InvocationAttempt').implement({
  fields: (t) => ({
    number: t.exposeInt('number'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    durationMs: t.exposeInt('durationMs'),
    success: t.exposeBoolean('success'),
    request: t.field({ type: InvocationRequest, resolve: (a) => a.request }),
    response: t.field({ type: InvocationResponse, nullable: true, resolve: (a) => a.response }),
    error: t.field({ type: InvocationError, nullable: true, resolve: (a) => a.error }),
    validatorResults: t.field({ type: [ValidatorResultType], resolve: (a) => a.validatorResults }),
  }),
});

export const InvocationRef = builder.objectRef<Invocation>('Invocation');

builder.node(InvocationRef, {
  description: 'One event delivered to one webhook, with every attempt',
  id: { resolve: (i) => i.id },
  isTypeOf: (value) => idKind((value as Invocation).id) === 'Invocation',
  loadOne: (id, ctx) => getInvocation(deps(ctx), ctx.caller, id),
  fields: (t) => ({
    webhookId: t.exposeID('webhookId'),
    webhook: t.field({
      type: WebhookRef,
      nullable: true,
      description: 'Null for a test of an unsaved definition, or once the webhook is deleted',
      resolve: (i, _args, ctx) => getWebhook(deps(ctx), ctx.caller, i.webhookId),
    }),
    eventId: t.exposeID('eventId'),
    trigger: t.expose('trigger', { type: WebhookTriggerEnum }),
    test: t.exposeBoolean('test'),
    messageId: t.exposeString('messageId', {
      description: 'The webhook-id header: the same for retries and redeliveries of one event to one webhook',
    }),
    status: t.expose('status', { type: InvocationStatusEnum }),
    attemptCount: t.int({ resolve: (i) => i.attempts.length }),
    attempts: t.field({ type: [InvocationAttempt], resolve: (i) => i.attempts }),
    lastAttempt: t.field({
      type: InvocationAttempt,
      nullable: true,
      resolve: (i) => i.attempts.at(-1) ?? null,
    }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true }),
    supersededBy: t.exposeID('supersededBy', {
      nullable: true,
      description: 'The invocation that redelivered this one',
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
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
  }),
});

const InvocationConnection = builder.connectionObject(
  { type: InvocationRef, name: 'InvocationConnection' },
  { name: 'InvocationEdge' },
);

builder.objectField(WebhookRef, 'invocations', (t) =>
  t.field({
    type: InvocationConnection,
    description: 'Newest first',
    args: {
      first: t.arg.int({ description: 'Page size, 1 to 100 (default 20)' }),
      after: t.arg.string(),
      status: t.arg({ type: InvocationStatusEnum }),
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
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => getInvocation(deps(ctx), ctx.caller, id),
  }),
  invocations: t.field({
    type: InvocationConnection,
    description: 'Newest first',
    args: {
      first: t.arg.int({ description: 'Page size, 1 to 100 (default 20)' }),
      after: t.arg.string(),
      webhookId: t.arg.id(),
      status: t.arg({ type: InvocationStatusEnum }),
      eventId: t.arg.id(),
      test: t.arg.boolean(),
    },
    resolve: async (_root, args, ctx) =>
      toConnection(unwrapQuery(await listInvocations(deps(ctx), ctx.caller, args)), args.after),
  }),
}));

// ---- mutations ---------------------------------------------------------------------------------

const TestWebhookSuccess = builder.objectRef<TestResult>('TestWebhookSuccess').implement({
  fields: (t) => ({
    success: t.exposeBoolean('success', { description: 'Test successful (true) or Test failed (false)' }),
    matched: t.exposeBoolean('matched', {
      description:
        "Whether a real event like the test's would be delivered: its trigger is one of the webhook's and no filter blocks it",
    }),
    blockedBy: t.field({
      type: [FilterDimensionEnum],
      description: 'The filters that would hold back a real event like this one (empty when none does)',
      resolve: (r) => r.blockedBy,
    }),
    invocation: t.field({ type: InvocationRef, resolve: (r) => r.invocation }),
  }),
});

interface PublishEventShape {
  eventId: string;
  matchedWebhookCount: number;
  invocations: Invocation[];
  duplicate: boolean;
}

const PublishEventSuccess = builder.objectRef<PublishEventShape>('PublishEventSuccess').implement({
  fields: (t) => ({
    eventId: t.exposeID('eventId'),
    matchedWebhookCount: t.exposeInt('matchedWebhookCount'),
    invocations: t.field({ type: [InvocationRef], resolve: (r) => r.invocations }),
    duplicate: t.exposeBoolean('duplicate', {
      description:
        'True when the idempotency key was seen within 24 h: this is the first result, nothing new was sent',
    }),
  }),
});

const PublishEventInput = builder.inputType('PublishEventInput', {
  description: 'One event of a publishEvents batch',
  fields: (t) => ({
    event: t.field({ type: 'JSON', required: true }),
    idempotencyKey: t.string({ description: 'The same key within 24 h returns the first result' }),
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
    fields: (t) => ({ invocation: t.field({ type: InvocationRef, resolve: (r) => r.invocation }) }),
  });

const RecoverFailedInvocationsSuccess = builder
  .objectRef<{ count: number }>('RecoverFailedInvocationsSuccess')
  .implement({ fields: (t) => ({ count: t.exposeInt('count') }) });

const RotateWebhookSigningSecretSuccess = builder
  .objectRef<{ webhook: Webhook; signingSecret: string }>('RotateWebhookSigningSecretSuccess')
  .implement({
    fields: (t) => ({
      webhook: t.field({ type: WebhookRef, resolve: (r) => r.webhook }),
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
    errors: { types: [ValidationError, NotFoundError], union: { name: 'TestWebhookResult' } },
    args: {
      id: t.arg.id(),
      input: t.arg({ type: CreateWebhookInput }),
      trigger: t.arg({ type: WebhookTriggerEnum, description: "Default: the webhook's first trigger" }),
    },
    resolve: async (_root, { id, input, trigger }, ctx) =>
      unwrap(
        await testWebhook(deps(ctx), ctx.caller, { id, input: input && definitionInput(input) }, trigger),
      ),
  }),
  publishEvent: t.field({
    type: PublishEventSuccess,
    authScopes: { publish: true },
    skipTypeScopes: true,
    errors: { types: [ValidationError], union: { name: 'PublishEventResult' } },
    args: {
      event: t.arg({ type: 'JSON', required: true }),
      idempotencyKey: t.arg.string({ description: 'The same key within 24 h returns the first result' }),
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
    errors: { types: [ValidationError], union: { name: 'PublishEventsResult' } },
    args: { events: t.arg({ type: [PublishEventInput], required: true }) },
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
    errors: { types: [NotFoundError], union: { name: 'RedeliverInvocationResult' } },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => ({
      invocation: unwrap(await redeliverInvocation(deps(ctx), ctx.caller, id)),
    }),
  }),
  recoverFailedInvocations: t.field({
    type: RecoverFailedInvocationsSuccess,
    errors: { types: [NotFoundError, ValidationError], union: { name: 'RecoverFailedInvocationsResult' } },
    args: { webhookId: t.arg.id({ required: true }), since: t.arg({ type: 'DateTime', required: true }) },
    resolve: async (_root, { webhookId, since }, ctx) =>
      unwrap(await recoverFailedInvocations(deps(ctx), ctx.caller, webhookId, since)),
  }),
  rotateWebhookSigningSecret: t.field({
    type: RotateWebhookSigningSecretSuccess,
    errors: { types: [NotFoundError, ConflictError], union: { name: 'RotateWebhookSigningSecretResult' } },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) =>
      unwrap(await rotateWebhookSigningSecret(deps(ctx), ctx.caller, id)),
  }),
}));

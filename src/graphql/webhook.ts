import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { idKind } from '../domain/ids.js';
import type { Page } from '../domain/pagination.js';
import { encodeCursor } from '../domain/pagination.js';
import {
  FILTER_DIMENSIONS,
  type FilterDimension,
  type Webhook,
  type WebhookDefinitionInput,
} from '../domain/webhook.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  type SavedWebhook,
  updateWebhook,
  type WebhookDeps,
} from '../domain/webhook-use-cases.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { HttpMethodEnum, WebhookOrderingEnum, WebhookStatusEnum, WebhookTriggerEnum } from './enums.js';
import { FieldWarningType, unwrap, unwrapQuery } from './errors.js';

export const webhookDeps = (ctx: GraphQLContext): WebhookDeps => ({
  webhooks: ctx.services.stores.webhooks,
  secrets: ctx.services.secrets,
  sandbox: ctx.services.sandbox,
  maxWebhooksPerAccount: ctx.services.config.MAX_WEBHOOKS_PER_ACCOUNT,
  filterCatalog: ctx.services.filterCatalog,
  onOperationalEvent: ctx.services.onOperationalEvent,
});
const deps = webhookDeps;

// ---- output types ------------------------------------------------------------------------------

export const HeaderEntry = builder.objectRef<{ name: string; value: string }>('HeaderEntry').implement({
  description: 'An HTTP header; secret values come back masked, e.g. "••••abcd"',
  fields: (t) => ({ name: t.exposeString('name'), value: t.exposeString('value') }),
});

const OAuthClientCredentials = builder
  .objectRef<NonNullable<Webhook['oauth']>>('OAuthClientCredentials')
  .implement({
    description:
      'OAuth2 client-credentials grant used to obtain a bearer token; the secret comes back masked',
    fields: (t) => ({
      clientId: t.exposeString('clientId'),
      clientSecret: t.string({ resolve: (o) => o.clientSecret.masked }),
      tokenEndpointUrl: t.exposeString('tokenEndpointUrl'),
      scopes: t.exposeStringList('scopes'),
    }),
  });

const WebhookFilters = builder.objectRef<Webhook['filters']>('WebhookFilters').implement({
  description: 'OR inside a dimension, AND across dimensions; an empty dimension matches anything',
  fields: (t) =>
    Object.fromEntries(FILTER_DIMENSIONS.map((d) => [d, t.exposeStringList(d)])) as Record<
      string,
      ReturnType<typeof t.exposeStringList>
    >,
});

const ResponseValidator = builder
  .objectRef<Webhook['responseValidators'][number]>('ResponseValidator')
  .implement({
    fields: (t) => ({
      jsonPath: t.exposeString('jsonPath'),
      expectedValues: t.exposeStringList('expectedValues'),
    }),
  });

const RateLimit = builder.objectRef<NonNullable<Webhook['rateLimit']>>('WebhookRateLimit').implement({
  description: 'At most `count` deliveries every `perSeconds` seconds, across all processes',
  fields: (t) => ({ count: t.exposeInt('count'), perSeconds: t.exposeInt('perSeconds') }),
});

export const WebhookRef = builder.objectRef<Webhook>('Webhook');

builder.node(WebhookRef, {
  description: 'An outbound webhook definition',
  id: { resolve: (w) => w.id },
  isTypeOf: (value) => idKind((value as Webhook).id) === 'Webhook',
  loadOne: (id, ctx) => getWebhook(deps(ctx), ctx.caller, id),
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description', {
      nullable: true,
      description: 'What the webhook is for, as the admin wrote it (null: none)',
    }),
    status: t.expose('status', { type: WebhookStatusEnum }),
    method: t.expose('method', { type: HttpMethodEnum }),
    url: t.exposeString('url'),
    bodyTemplate: t.exposeString('bodyTemplate'),
    headers: t.field({
      type: [HeaderEntry],
      resolve: (w) => w.headers.map((h) => ({ name: h.name, value: h.value.masked })),
    }),
    oauth: t.field({ type: OAuthClientCredentials, nullable: true, resolve: (w) => w.oauth }),
    triggers: t.expose('triggers', { type: [WebhookTriggerEnum] }),
    filters: t.field({ type: WebhookFilters, resolve: (w) => w.filters }),
    timeoutSeconds: t.exposeInt('timeoutSeconds'),
    responseValidators: t.field({ type: [ResponseValidator], resolve: (w) => w.responseValidators }),
    customValidationErrorMessage: t.exposeString('customValidationErrorMessage', { nullable: true }),
    ordering: t.expose('ordering', { type: WebhookOrderingEnum }),
    rateLimit: t.field({
      type: RateLimit,
      nullable: true,
      description: 'null: no limit; throttled deliveries wait for the next window, they do not fail',
      resolve: (w) => w.rateLimit,
    }),
    retrySchedule: t.exposeIntList('retrySchedule', {
      nullable: true,
      description:
        "Seconds before each retry, overriding the server's schedule (null: the server's); its length is the number of retries",
    }),
    disabledReason: t.exposeString('disabledReason', {
      nullable: true,
      description: 'Set when the system deactivated the webhook (e.g. 410 Gone)',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const WebhookConnection = builder.connectionObject(
  { type: WebhookRef, name: 'WebhookConnection' },
  { name: 'WebhookEdge' },
);

/** A store page as a Relay connection. */
export function toConnection<T extends { id: string }>(page: Page<T>, after: string | null | undefined) {
  const edges = page.items.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

// ---- inputs ------------------------------------------------------------------------------------

export const HeaderInput = builder.inputType('HeaderInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    value: t.string({ description: 'On update, an omitted value keeps the stored one' }),
  }),
});

const OAuthInput = builder.inputType('OAuthInput', {
  fields: (t) => ({
    clientId: t.string({ required: true }),
    clientSecret: t.string({ description: 'On update, an omitted secret keeps the stored one' }),
    tokenEndpointUrl: t.string({ required: true }),
    scopes: t.stringList(),
  }),
});

const WebhookFiltersInput = builder.inputType('WebhookFiltersInput', {
  fields: (t) =>
    Object.fromEntries(FILTER_DIMENSIONS.map((d) => [d, t.stringList()])) as Record<
      FilterDimension,
      ReturnType<typeof t.stringList>
    >,
});

const RateLimitInput = builder.inputType('WebhookRateLimitInput', {
  fields: (t) => ({
    count: t.int({ required: true, description: 'Deliveries per window, 1 to 100000' }),
    perSeconds: t.int({ required: true, description: 'The window, 1 to 86400 seconds' }),
  }),
});

const ResponseValidatorInput = builder.inputType('ResponseValidatorInput', {
  fields: (t) => ({
    jsonPath: t.string({ required: true }),
    expectedValues: t.stringList({ required: true }),
  }),
});

type InputFields = PothosSchemaTypes.InputFieldBuilder<
  typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never,
  'InputObject'
>;

/**
 * The fields of a definition, shared by CreateWebhookInput (`create`: the required ones required,
 * documented defaults) and UpdateWebhookInput (every field optional: omitted keeps the stored value).
 */
function definitionFields(t: InputFields, create: boolean) {
  return {
    name: t.string({ required: create }),
    description: t.string({ description: 'What the webhook is for, up to 500 characters; null clears it' }),
    status: t.field({ type: WebhookStatusEnum, ...(create && { defaultValue: 'ACTIVE' as const }) }),
    method: t.field({ type: HttpMethodEnum, ...(create && { defaultValue: 'POST' as const }) }),
    url: t.string({ required: create }),
    bodyTemplate: t.string({ required: create }),
    headers: t.field({ type: [HeaderInput] }),
    oauth: t.field({ type: OAuthInput }),
    triggers: t.field({ type: [WebhookTriggerEnum], required: create }),
    filters: t.field({ type: WebhookFiltersInput }),
    timeoutSeconds: t.int(),
    responseValidators: t.field({ type: [ResponseValidatorInput] }),
    customValidationErrorMessage: t.string(),
    ordering: t.field({ type: WebhookOrderingEnum, ...(create && { defaultValue: 'UNORDERED' as const }) }),
    rateLimit: t.field({ type: RateLimitInput, description: 'null: no limit' }),
    retrySchedule: t.intList({
      description: "Seconds before each retry, 1 to 20 entries of 0 to 86400 (null: the server's schedule)",
    }),
  };
}

export const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
  fields: (t) => definitionFields(t, true),
});

const UpdateWebhookInput = builder.inputType('UpdateWebhookInput', {
  description: 'Every field optional; lists replace the stored list; null clears optional parts',
  fields: (t) => definitionFields(t, false),
});

/**
 * GraphQL input → domain input. The enum values already are domain values, so this is the identity;
 * the signature makes the compiler check that every input field is one the domain accepts.
 */
export function definitionInput(
  input: typeof CreateWebhookInput.$inferInput | typeof UpdateWebhookInput.$inferInput,
): WebhookDefinitionInput {
  return input;
}

// ---- queries -----------------------------------------------------------------------------------

builder.queryFields((t) => ({
  webhook: t.field({
    type: WebhookRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => getWebhook(deps(ctx), ctx.caller, id),
  }),
  webhooks: t.field({
    type: WebhookConnection,
    description: 'Newest first',
    args: {
      first: t.arg.int({ description: 'Page size, 1 to 100 (default 20)' }),
      after: t.arg.string(),
      status: t.arg({ type: WebhookStatusEnum }),
      trigger: t.arg({ type: WebhookTriggerEnum }),
      nameContains: t.arg.string({ description: 'Case-insensitive substring of the name' }),
    },
    resolve: async (_root, args, ctx) =>
      toConnection(unwrapQuery(await listWebhooks(deps(ctx), ctx.caller, args)), args.after),
  }),
}));

// ---- mutations ---------------------------------------------------------------------------------

/** Warnings name fields from the operation argument, as field errors do. */
const underInput = (r: SavedWebhook) => r.warnings.map((w) => ({ ...w, path: ['input', ...w.path] }));
const WARNINGS_DESCRIPTION =
  'What is saved but looks wrong, e.g. a filter value no event of the account has carried (it matches nothing yet)';

const CreateWebhookSuccessRef = builder
  .objectRef<SavedWebhook & { signingSecret: string }>('CreateWebhookSuccess')
  .implement({
    fields: (t) => ({
      webhook: t.field({ type: WebhookRef, resolve: (r) => r.webhook }),
      warnings: t.field({
        type: [FieldWarningType],
        description: WARNINGS_DESCRIPTION,
        resolve: underInput,
      }),
      signingSecret: t.exposeString('signingSecret', {
        description: 'The whsec_ signing secret; shown only here, once',
      }),
    }),
  });

const UpdateWebhookSuccess = builder.objectRef<SavedWebhook>('UpdateWebhookSuccess').implement({
  fields: (t) => ({
    webhook: t.field({ type: WebhookRef, resolve: (r) => r.webhook }),
    warnings: t.field({
      type: [FieldWarningType],
      description: WARNINGS_DESCRIPTION,
      resolve: underInput,
    }),
  }),
});

const DeleteWebhookSuccess = builder.objectRef<{ deletedId: string }>('DeleteWebhookSuccess').implement({
  fields: (t) => ({ deletedId: t.exposeID('deletedId') }),
});

builder.mutationFields((t) => ({
  createWebhook: t.field({
    type: CreateWebhookSuccessRef,
    errors: { types: [ValidationError, ConflictError], union: { name: 'CreateWebhookResult' } },
    args: { input: t.arg({ type: CreateWebhookInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      unwrap(await createWebhook(deps(ctx), ctx.caller, definitionInput(input)), 'input'),
  }),
  updateWebhook: t.field({
    type: UpdateWebhookSuccess,
    errors: {
      types: [ValidationError, ConflictError, NotFoundError],
      union: { name: 'UpdateWebhookResult' },
    },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateWebhookInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) =>
      unwrap(await updateWebhook(deps(ctx), ctx.caller, id, definitionInput(input)), 'input'),
  }),
  deleteWebhook: t.field({
    type: DeleteWebhookSuccess,
    errors: { types: [NotFoundError], union: { name: 'DeleteWebhookResult' } },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => unwrap(await deleteWebhook(deps(ctx), ctx.caller, id)),
  }),
}));

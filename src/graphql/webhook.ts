import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { idKind } from '../domain/ids.js';
import { MAX_PATH_DESCENTS } from '../domain/json-path.js';
import type { Page } from '../domain/pagination.js';
import { encodeCursor } from '../domain/pagination.js';
import { MAX_TEMPLATE_LENGTH } from '../domain/template.js';
import {
  DEFAULT_TIMEOUT_SECONDS,
  FILTER_DIMENSIONS,
  type FilterDimension,
  MAX_HEADERS,
  MAX_TIMEOUT_SECONDS,
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
import {
  FILTER_DIMENSION_DESCRIPTIONS,
  HttpMethodEnum,
  WebhookOrderingEnum,
  WebhookStatusEnum,
  WebhookTriggerEnum,
} from './enums.js';
import { FieldWarningType, unwrap, unwrapQuery } from './errors.js';

export const webhookDeps = (ctx: GraphQLContext): WebhookDeps => ({
  webhooks: ctx.services.stores.webhooks,
  secrets: ctx.services.secrets,
  sandbox: ctx.services.sandbox,
  maxWebhooksPerAccount: ctx.services.config.MAX_WEBHOOKS_PER_ACCOUNT,
  filterCatalog: ctx.services.filterCatalog,
  onOperationalEvent: ctx.services.onOperationalEvent,
  allowedCidrs: ctx.services.config.DISPATCH_ALLOWED_CIDRS,
});
const deps = webhookDeps;

// ---- output types ------------------------------------------------------------------------------

export const HeaderEntry = builder.objectRef<{ name: string; value: string }>('HeaderEntry').implement({
  description: 'An HTTP header; secret values come back masked, e.g. "••••abcd"',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The header name' }),
    value: t.exposeString('value', {
      description:
        'Its value; secrets come back masked: configured header values, bearer tokens, and such secrets where a response repeats them',
    }),
  }),
});

const OAuthClientCredentials = builder
  .objectRef<NonNullable<Webhook['oauth']>>('OAuthClientCredentials')
  .implement({
    description:
      'OAuth2 client-credentials grant used to obtain a bearer token; the secret comes back masked',
    fields: (t) => ({
      clientId: t.exposeString('clientId', { description: 'The OAuth2 client id' }),
      clientSecret: t.string({
        description: 'The client secret, masked, e.g. "••••abcd"',
        resolve: (o) => o.clientSecret.masked,
      }),
      tokenEndpointUrl: t.exposeString('tokenEndpointUrl', {
        description: 'Where the token is requested; a cached token is used until shortly before it expires',
      }),
      scopes: t.exposeStringList('scopes', {
        description: 'The scopes asked for, space-separated in the token request (empty: no scope parameter)',
      }),
    }),
  });

const WebhookFilters = builder.objectRef<Webhook['filters']>('WebhookFilters').implement({
  description: 'OR inside a dimension, AND across dimensions; an empty dimension matches anything',
  fields: (t) =>
    Object.fromEntries(
      FILTER_DIMENSIONS.map((d) => [
        d,
        t.exposeStringList(d, { description: FILTER_DIMENSION_DESCRIPTIONS[d] }),
      ]),
    ) as Record<string, ReturnType<typeof t.exposeStringList>>,
});

export const ResponseValidator = builder
  .objectRef<Webhook['responseValidators'][number]>('ResponseValidator')
  .implement({
    description:
      'A check of a 2xx answer: the value at jsonPath in its JSON body, as text, must be one of expectedValues',
    fields: (t) => ({
      jsonPath: t.exposeString('jsonPath', {
        description: 'Where the value is: a JSONPath into the response body as $.data, e.g. $.data.status',
      }),
      expectedValues: t.exposeStringList('expectedValues', {
        description: 'The values that pass, compared as text (numbers and booleans by their JSON text)',
      }),
    }),
  });

const RateLimit = builder.objectRef<NonNullable<Webhook['rateLimit']>>('WebhookRateLimit').implement({
  description: 'At most `count` deliveries every `perSeconds` seconds, across all processes',
  fields: (t) => ({
    count: t.exposeInt('count', { description: 'Deliveries allowed per window' }),
    perSeconds: t.exposeInt('perSeconds', { description: 'The window, in seconds' }),
  }),
});

export const WebhookRef = builder.objectRef<Webhook>('Webhook');

builder.node(WebhookRef, {
  description: 'An outbound webhook definition',
  id: { resolve: (w) => w.id },
  isTypeOf: (value) => idKind((value as Webhook).id) === 'Webhook',
  loadOne: (id, ctx) => getWebhook(deps(ctx), ctx.caller, id),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Its name, unique in the account whatever the case' }),
    description: t.exposeString('description', {
      nullable: true,
      description: 'What the webhook is for, as the admin wrote it (null: none)',
    }),
    status: t.expose('status', { type: WebhookStatusEnum, description: 'Whether it fires' }),
    method: t.expose('method', { type: HttpMethodEnum, description: 'The HTTP method of its requests' }),
    url: t.exposeString('url', { description: 'Where its requests go (https, port 443)' }),
    bodyTemplate: t.exposeString('bodyTemplate', {
      description:
        'The Liquid template that renders each event into the request body (empty: no body, GET and DELETE only)',
    }),
    headers: t.field({
      type: [HeaderEntry],
      description: 'Headers sent with every request; values come back masked',
      resolve: (w) => w.headers.map((h) => ({ name: h.name, value: h.value.masked })),
    }),
    oauth: t.field({
      type: OAuthClientCredentials,
      nullable: true,
      description: 'The client credentials its requests get a bearer token with (null: no OAuth)',
      resolve: (w) => w.oauth,
    }),
    triggers: t.expose('triggers', {
      type: [WebhookTriggerEnum],
      description: 'The request status changes it fires on',
    }),
    filters: t.field({
      type: WebhookFilters,
      description: 'Which events of its triggers it fires on',
      resolve: (w) => w.filters,
    }),
    timeoutSeconds: t.exposeInt('timeoutSeconds', {
      description: 'Seconds an attempt waits for the complete response before it fails with TIMEOUT',
    }),
    responseValidators: t.field({
      type: [ResponseValidator],
      description:
        'Checks a 2xx answer must pass too, all of them (empty: any 2xx is delivered); a failed check fails the invocation with RESPONSE_VALIDATION, without retries',
      resolve: (w) => w.responseValidators,
    }),
    customValidationErrorMessage: t.exposeString('customValidationErrorMessage', {
      nullable: true,
      description:
        "The attempt's error message when a response validator fails (null: the server's message, naming the path and the value found)",
    }),
    ordering: t.expose('ordering', {
      type: WebhookOrderingEnum,
      description: 'Whether its deliveries may overlap',
    }),
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
      description:
        'Why the system deactivated the webhook (e.g. 410 Gone, or failing for AUTO_DISABLE_AFTER); null when it did not, or once an admin set it ACTIVE again',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created' }),
    updatedAt: t.expose('updatedAt', {
      type: 'DateTime',
      description:
        'When it last changed: an update, a signing secret rotation, or the system deactivating it',
    }),
  }),
});

export const WebhookConnection = builder.connectionObject(
  { type: WebhookRef, name: 'WebhookConnection', description: 'A page of webhooks, newest first' },
  { name: 'WebhookEdge', description: 'A webhook of the page, with its cursor' },
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
  description: 'A header sent with every request',
  fields: (t) => ({
    name: t.string({
      required: true,
      description:
        'An HTTP header name (RFC 9110 token characters), up to 256 characters, once per list whatever the case; not one the server sets itself (Host, Content-Length, Transfer-Encoding, Connection, Keep-Alive, Upgrade, TE, Trailer, webhook-id, webhook-timestamp, webhook-signature)',
    }),
    value: t.string({
      description:
        'Up to 8192 characters of Latin-1 (up to U+00FF), no CR, LF or NUL; stored encrypted. Omitted: the stored value of the header of that name is kept (a new header needs one)',
    }),
  }),
});

const OAuthInput = builder.inputType('OAuthInput', {
  description:
    'OAuth2 client credentials: every request carries a bearer token from the token endpoint (not together with an Authorization header)',
  fields: (t) => ({
    clientId: t.string({ required: true, description: 'The client id, up to 500 characters' }),
    clientSecret: t.string({
      description:
        'Up to 4096 characters, stored encrypted; on update, an omitted secret keeps the stored one',
    }),
    tokenEndpointUrl: t.string({
      required: true,
      description: 'The token endpoint: an https URL, no custom port, no credentials',
    }),
    scopes: t.stringList({ description: 'Up to 50 scopes to ask for, each one word (default: none)' }),
  }),
});

const WebhookFiltersInput = builder.inputType('WebhookFiltersInput', {
  description:
    'Which events of its triggers a webhook fires on: OR inside a dimension, AND across dimensions; a dimension left out or empty matches anything',
  fields: (t) =>
    Object.fromEntries(
      FILTER_DIMENSIONS.map((d) => [
        d,
        t.stringList({
          description: `${FILTER_DIMENSION_DESCRIPTIONS[d]}; up to 200 values of up to 500 characters`,
        }),
      ]),
    ) as Record<FilterDimension, ReturnType<typeof t.stringList>>,
});

const RateLimitInput = builder.inputType('WebhookRateLimitInput', {
  description:
    'At most `count` deliveries every `perSeconds` seconds, across all processes; the others wait for the next window',
  fields: (t) => ({
    count: t.int({ required: true, description: 'Deliveries per window, 1 to 100000' }),
    perSeconds: t.int({ required: true, description: 'The window, 1 to 86400 seconds' }),
  }),
});

const ResponseValidatorInput = builder.inputType('ResponseValidatorInput', {
  description:
    'A check of a 2xx answer: the value at jsonPath in its JSON body, as text, must be one of expectedValues',
  fields: (t) => ({
    jsonPath: t.string({
      required: true,
      description: `A JSONPath into the response body as $.data, e.g. $.data.status or $.data.items[0].state: names, [n], [*], quoted names and up to ${MAX_PATH_DESCENTS} recursive descents (..), no filter expressions`,
    }),
    expectedValues: t.stringList({
      required: true,
      description:
        'At least one value, each up to 1000 characters, compared as text (numbers and booleans by their JSON text)',
    }),
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
    name: t.string({
      required: create,
      description:
        'Letters, digits, spaces, "-" and "_", up to 100 characters; unique in the account whatever the case',
    }),
    description: t.string({ description: 'What the webhook is for, up to 500 characters; null clears it' }),
    status: t.field({
      type: WebhookStatusEnum,
      description:
        'Whether it fires; setting a webhook the system deactivated ACTIVE again clears its disabledReason',
      ...(create && { defaultValue: 'ACTIVE' as const }),
    }),
    method: t.field({
      type: HttpMethodEnum,
      description: 'The HTTP method of its requests',
      ...(create && { defaultValue: 'POST' as const }),
    }),
    url: t.string({
      required: create,
      description:
        'Where its requests go: an absolute https URL, no custom port, no credentials, up to 2048 characters',
    }),
    bodyTemplate: t.string({
      required: create,
      description: `A Liquid template over the event payload (eventPayloadSchema), up to ${MAX_TEMPLATE_LENGTH} characters, that must render for every trigger's sample event; interpolated values are JSON-string-escaped. Empty: no body, GET and DELETE only`,
    }),
    headers: t.field({
      type: [HeaderInput],
      description: `Up to ${MAX_HEADERS} headers sent with every request`,
    }),
    oauth: t.field({ type: OAuthInput, description: 'null: no OAuth' }),
    triggers: t.field({
      type: [WebhookTriggerEnum],
      required: create,
      description: 'The request status changes it fires on: at least one (repeats are dropped)',
    }),
    filters: t.field({
      type: WebhookFiltersInput,
      description:
        'Which events of its triggers it fires on, given whole: a dimension left out matches anything',
    }),
    timeoutSeconds: t.int({
      description: `Seconds an attempt waits for the complete response, 1 to ${MAX_TIMEOUT_SECONDS} (default ${DEFAULT_TIMEOUT_SECONDS})`,
    }),
    responseValidators: t.field({
      type: [ResponseValidatorInput],
      description:
        'Up to 20 checks a 2xx answer must pass too; a failed one fails the invocation with RESPONSE_VALIDATION, without retries',
    }),
    customValidationErrorMessage: t.string({
      description:
        "The attempt's error message when a response validator fails, up to 500 characters (null or blank: the server's message)",
    }),
    ordering: t.field({
      type: WebhookOrderingEnum,
      description: 'Whether its deliveries may overlap',
      ...(create && { defaultValue: 'UNORDERED' as const }),
    }),
    rateLimit: t.field({
      type: RateLimitInput,
      description: 'At most `count` deliveries every `perSeconds` seconds (null: no limit)',
    }),
    retrySchedule: t.intList({
      description: "Seconds before each retry, 1 to 20 entries of 0 to 86400 (null: the server's schedule)",
    }),
  };
}

export const CreateWebhookInput = builder.inputType('CreateWebhookInput', {
  description:
    'A whole webhook definition; optional fields left out take their defaults. testWebhook and previewWebhook take one to run unsaved',
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
    description: 'The webhook with this id; null when the account has none',
    args: { id: t.arg.id({ required: true, description: 'A webhook id (wh_…)' }) },
    resolve: (_root, { id }, ctx) => getWebhook(deps(ctx), ctx.caller, id),
  }),
  webhooks: t.field({
    type: WebhookConnection,
    description: 'Newest first',
    args: {
      first: t.arg.int({ description: 'Page size, 1 to 100 (default 20)' }),
      after: t.arg.string({ description: "The previous page's endCursor (omitted: the first page)" }),
      status: t.arg({ type: WebhookStatusEnum, description: 'Only webhooks with this status' }),
      trigger: t.arg({ type: WebhookTriggerEnum, description: 'Only webhooks that fire on this trigger' }),
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
    description: 'The webhook is saved; it starts firing at once when ACTIVE',
    fields: (t) => ({
      webhook: t.field({ type: WebhookRef, description: 'The new webhook', resolve: (r) => r.webhook }),
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
  description: 'The change is saved; every attempt from now on uses it, retries of earlier events too',
  fields: (t) => ({
    webhook: t.field({ type: WebhookRef, description: 'The webhook as saved', resolve: (r) => r.webhook }),
    warnings: t.field({
      type: [FieldWarningType],
      description: WARNINGS_DESCRIPTION,
      resolve: underInput,
    }),
  }),
});

const DeleteWebhookSuccess = builder.objectRef<{ deletedId: string }>('DeleteWebhookSuccess').implement({
  description: 'The webhook is gone; its invocations stay, and those still queued fail when their turn comes',
  fields: (t) => ({ deletedId: t.exposeID('deletedId', { description: 'The id of the deleted webhook' }) }),
});

builder.mutationFields((t) => ({
  createWebhook: t.field({
    type: CreateWebhookSuccessRef,
    description: 'Creates a webhook with a new signing secret',
    errors: {
      types: [ValidationError, ConflictError],
      union: {
        name: 'CreateWebhookResult',
        description:
          'The new webhook, or why not: ValidationError (invalid fields), ConflictError (the name is taken, or the account has MAX_WEBHOOKS_PER_ACCOUNT webhooks)',
      },
    },
    args: { input: t.arg({ type: CreateWebhookInput, required: true, description: 'The definition' }) },
    resolve: async (_root, { input }, ctx) =>
      unwrap(await createWebhook(deps(ctx), ctx.caller, definitionInput(input)), 'input'),
  }),
  updateWebhook: t.field({
    type: UpdateWebhookSuccess,
    description:
      'Changes a webhook: fields left out keep their stored values. Setting a webhook the system deactivated ACTIVE again clears its disabledReason',
    errors: {
      types: [ValidationError, ConflictError, NotFoundError],
      union: {
        name: 'UpdateWebhookResult',
        description:
          'The saved webhook, or why not: ValidationError (invalid fields), ConflictError (the name is taken, or concurrent changes kept it from saving: try again), NotFoundError (no such webhook)',
      },
    },
    args: {
      id: t.arg.id({ required: true, description: 'The webhook to change' }),
      input: t.arg({ type: UpdateWebhookInput, required: true, description: 'The fields to change' }),
    },
    resolve: async (_root, { id, input }, ctx) =>
      unwrap(await updateWebhook(deps(ctx), ctx.caller, id, definitionInput(input)), 'input'),
  }),
  deleteWebhook: t.field({
    type: DeleteWebhookSuccess,
    description: 'Deletes a webhook',
    errors: {
      types: [NotFoundError],
      union: {
        name: 'DeleteWebhookResult',
        description: 'The deleted id, or NotFoundError (no such webhook)',
      },
    },
    args: { id: t.arg.id({ required: true, description: 'The webhook to delete' }) },
    resolve: async (_root, { id }, ctx) => unwrap(await deleteWebhook(deps(ctx), ctx.caller, id)),
  }),
}));

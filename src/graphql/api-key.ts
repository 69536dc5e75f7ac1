import { type API_KEY_ROLES, type ApiKey, TOUCH_INTERVAL_MS } from '../domain/api-key.js';
import { createApiKey, getApiKey, listApiKeys, revokeApiKey } from '../domain/api-key-use-cases.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { idKind } from '../domain/ids.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { unwrap, unwrapQuery } from './errors.js';
import { toConnection } from './webhook.js';

const deps = (ctx: GraphQLContext) => ({ apiKeys: ctx.services.stores.apiKeys });

export const ApiKeyRoleEnum = builder.enumType('ApiKeyRole', {
  description: 'What an API key may do',
  values: {
    ADMIN: { value: 'ADMIN', description: 'Everything' },
    VIEWER: { value: 'VIEWER', description: 'Read only, including subscriptions' },
    PUBLISHER: { value: 'PUBLISHER', description: 'Only publishEvent, publishEvents and viewer' },
  } as const satisfies Record<(typeof API_KEY_ROLES)[number], unknown>,
});

export const ApiKeyRef = builder.objectRef<ApiKey>('ApiKey');

builder.node(ApiKeyRef, {
  description: 'An API key of this account; the token itself is shown only when it is created',
  id: { resolve: (k) => k.id },
  isTypeOf: (value) => idKind((value as ApiKey).id) === 'ApiKey',
  // Only admins may see keys, also through node(id).
  authScopes: { admin: true },
  loadOne: (id, ctx) => getApiKey(deps(ctx), ctx.caller, id),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Its name, for people' }),
    role: t.expose('role', { type: ApiKeyRoleEnum, description: 'What it may do' }),
    prefix: t.exposeString('prefix', { description: 'The first characters of the token, e.g. whk_AbC123xy' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created' }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: `When it last authenticated a request, to within ${TOUCH_INTERVAL_MS / 1000} seconds (null: never)`,
    }),
    revokedAt: t.expose('revokedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was revoked (null: it works)',
    }),
  }),
});

const ApiKeyConnection = builder.connectionObject(
  { type: ApiKeyRef, name: 'ApiKeyConnection', description: 'A page of API keys, newest first' },
  { name: 'ApiKeyEdge', description: 'An API key of the page, with its cursor' },
);

const Viewer = builder
  .objectRef<{ accountId: string; role: ApiKey['role']; apiKeyId: string }>('Viewer')
  .implement({
    description: 'Who the API key in use is',
    fields: (t) => ({
      accountId: t.exposeID('accountId', { description: 'The account everything this key does is in' }),
      role: t.expose('role', { type: ApiKeyRoleEnum, description: 'What the key may do' }),
      apiKeyId: t.exposeID('apiKeyId', { description: "The key's id (key_…)" }),
    }),
  });

builder.queryFields((t) => ({
  viewer: t.field({
    type: Viewer,
    description: 'The API key making the call: its account and role (any key may ask)',
    authScopes: { authenticated: true },
    skipTypeScopes: true,
    resolve: (_root, _args, ctx) => ctx.caller,
  }),
  apiKeys: t.field({
    type: ApiKeyConnection,
    description: 'Newest first (admin only)',
    authScopes: { admin: true },
    skipTypeScopes: true,
    args: {
      first: t.arg.int({ description: 'Page size, 1 to 100 (default 20)' }),
      after: t.arg.string({ description: "The previous page's endCursor (omitted: the first page)" }),
    },
    resolve: async (_root, args, ctx) =>
      toConnection(unwrapQuery(await listApiKeys(deps(ctx), ctx.caller, args)), args.after),
  }),
}));

const CreateApiKeySuccess = builder
  .objectRef<{ apiKey: ApiKey; token: string }>('CreateApiKeySuccess')
  .implement({
    description: 'The key is made, and works at once',
    fields: (t) => ({
      apiKey: t.field({ type: ApiKeyRef, description: 'The new key', resolve: (r) => r.apiKey }),
      token: t.exposeString('token', { description: 'The key itself: shown only here, once' }),
    }),
  });

const RevokeApiKeySuccess = builder.objectRef<{ apiKey: ApiKey }>('RevokeApiKeySuccess').implement({
  description: 'The key no longer works',
  fields: (t) => ({
    apiKey: t.field({
      type: ApiKeyRef,
      description: 'The revoked key, revokedAt set',
      resolve: (r) => r.apiKey,
    }),
  }),
});

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeySuccess,
    description: 'Makes a new API key for the account',
    errors: {
      types: [ValidationError],
      union: {
        name: 'CreateApiKeyResult',
        description: 'The new key and its token, or ValidationError (the name is empty or too long)',
      },
    },
    args: {
      name: t.arg.string({
        required: true,
        description: 'Its name, for people: 1 to 100 characters, trimmed',
      }),
      role: t.arg({ type: ApiKeyRoleEnum, required: true, description: 'What it may do' }),
    },
    resolve: async (_root, args, ctx) => unwrap(await createApiKey(deps(ctx), ctx.caller, args)),
  }),
  revokeApiKey: t.field({
    type: RevokeApiKeySuccess,
    description: 'The key stops working at once, including its open subscriptions',
    errors: {
      types: [NotFoundError],
      union: {
        name: 'RevokeApiKeyResult',
        description:
          'The revoked key (a key revoked already stays so, unchanged), or NotFoundError (no such key)',
      },
    },
    args: { id: t.arg.id({ required: true, description: 'The key to revoke (key_…)' }) },
    resolve: async (_root, { id }, ctx) => {
      const revocations = ctx.services.revocations;
      return { apiKey: unwrap(await revokeApiKey({ ...deps(ctx), revocations }, ctx.caller, id)) };
    },
  }),
}));

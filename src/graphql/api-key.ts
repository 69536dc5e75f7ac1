import type { API_KEY_ROLES, ApiKey } from '../domain/api-key.js';
import { createApiKey, getApiKey, listApiKeys, revokeApiKey } from '../domain/api-key-use-cases.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { idKind } from '../domain/ids.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { unwrap, unwrapQuery } from './errors.js';
import { toConnection } from './webhook.js';

const deps = (ctx: GraphQLContext) => ({ apiKeys: ctx.services.stores.apiKeys });

export const ApiKeyRoleEnum = builder.enumType('ApiKeyRole', {
  values: {
    ADMIN: { value: 'ADMIN', description: 'Everything' },
    VIEWER: { value: 'VIEWER', description: 'Read only, including subscriptions' },
    PUBLISHER: { value: 'PUBLISHER', description: 'Only publishEvent' },
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
    name: t.exposeString('name'),
    role: t.expose('role', { type: ApiKeyRoleEnum }),
    prefix: t.exposeString('prefix', { description: 'The first characters of the token, e.g. whk_AbC123xy' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const ApiKeyConnection = builder.connectionObject(
  { type: ApiKeyRef, name: 'ApiKeyConnection' },
  { name: 'ApiKeyEdge' },
);

const Viewer = builder
  .objectRef<{ accountId: string; role: ApiKey['role']; apiKeyId: string }>('Viewer')
  .implement({
    description: 'Who the API key in use is',
    fields: (t) => ({
      accountId: t.exposeID('accountId'),
      role: t.expose('role', { type: ApiKeyRoleEnum }),
      apiKeyId: t.exposeID('apiKeyId'),
    }),
  });

builder.queryFields((t) => ({
  viewer: t.field({
    type: Viewer,
    authScopes: { authenticated: true },
    skipTypeScopes: true,
    resolve: (_root, _args, ctx) => ctx.caller,
  }),
  apiKeys: t.field({
    type: ApiKeyConnection,
    description: 'Newest first (admin only)',
    authScopes: { admin: true },
    skipTypeScopes: true,
    args: { first: t.arg.int(), after: t.arg.string() },
    resolve: async (_root, args, ctx) =>
      toConnection(unwrapQuery(await listApiKeys(deps(ctx), ctx.caller, args)), args.after),
  }),
}));

const CreateApiKeySuccess = builder
  .objectRef<{ apiKey: ApiKey; token: string }>('CreateApiKeySuccess')
  .implement({
    fields: (t) => ({
      apiKey: t.field({ type: ApiKeyRef, resolve: (r) => r.apiKey }),
      token: t.exposeString('token', { description: 'The key itself: shown only here, once' }),
    }),
  });

const RevokeApiKeySuccess = builder.objectRef<{ apiKey: ApiKey }>('RevokeApiKeySuccess').implement({
  fields: (t) => ({ apiKey: t.field({ type: ApiKeyRef, resolve: (r) => r.apiKey }) }),
});

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeySuccess,
    errors: { types: [ValidationError], union: { name: 'CreateApiKeyResult' } },
    args: { name: t.arg.string({ required: true }), role: t.arg({ type: ApiKeyRoleEnum, required: true }) },
    resolve: async (_root, args, ctx) => unwrap(await createApiKey(deps(ctx), ctx.caller, args)),
  }),
  revokeApiKey: t.field({
    type: RevokeApiKeySuccess,
    description: 'The key stops working at once, including its open subscriptions',
    errors: { types: [NotFoundError], union: { name: 'RevokeApiKeyResult' } },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const revocations = ctx.services.revocations;
      return { apiKey: unwrap(await revokeApiKey({ ...deps(ctx), revocations }, ctx.caller, id)) };
    },
  }),
}));

import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError, type GraphQLSchema, isObjectType } from 'graphql';
import { type IdKind, idKind } from '../domain/ids.js';
import type { GraphQLContext } from './context.js';

/**
 * The one schema builder. It defines no types: each domain noun has its own file, and ./index.ts
 * imports them all. Global ids are our own prefixed ids (`wh_…`), so the type is read from the prefix.
 */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: {
    /** Every key: admin, viewer or publisher. */
    authenticated: boolean;
    /** Reads: admin and viewer keys. */
    read: boolean;
    /** Publishing events: admin and publisher keys. */
    publish: boolean;
    /** Changes: admin keys only. */
    admin: boolean;
  };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  // Scope-auth first: it wraps every resolver before the other plugins do.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin],
  scopeAuth: {
    // Subscriptions are authorized when they start (a refused role gets no stream at all).
    authorizeOnSubscribe: true,
    // Requests without a valid key never reach execution (src/server/auth.ts answers 401), so a
    // failed scope here is always a role that may not do this.
    authScopes: ({ caller }) => ({
      authenticated: true,
      read: caller.role === 'ADMIN' || caller.role === 'VIEWER',
      publish: caller.role === 'ADMIN' || caller.role === 'PUBLISHER',
      admin: caller.role === 'ADMIN',
    }),
    unauthorizedError: (_parent, { caller }, info) =>
      new GraphQLError(
        `an API key with role ${caller.role} may not use ${info.parentType.name}.${info.fieldName}`,
        {
          extensions: { code: 'FORBIDDEN' },
        },
      ),
  },
  defaultFieldNullability: false,
  errors: { directResult: true },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeTypeOptions: { description: 'An object that node(id) fetches by its id alone' },
    idFieldOptions: {
      description:
        'Its id: a prefix naming its type (wh_, inv_, key_), then 26 characters that sort by creation time',
    },
    pageInfoTypeOptions: { description: 'Where a page of a list ends, and whether another page follows' },
    hasNextPageFieldOptions: { description: 'Whether more items follow: ask for them with after: endCursor' },
    hasPreviousPageFieldOptions: {
      description: 'Whether this page was asked for with `after` (lists page forward only, newest first)',
    },
    startCursorFieldOptions: { description: "The first item's cursor (null: the page is empty)" },
    endCursorFieldOptions: {
      description: "The last item's cursor, to pass as `after` for the next page (null: the page is empty)",
    },
    pageInfoFieldOptions: { description: 'Where this page ends, and whether another one follows' },
    edgesFieldOptions: { description: 'The items of this page, newest first, each with its cursor' },
    cursorFieldOptions: { description: 'Opaque: pass it as `after` to get the items after this one' },
    nodeFieldOptions: { description: 'The item at this cursor' },
    // node(id) of an id that names no node type (malformed, an unknown prefix, an Account or Event
    // id) is null, like an id that names nothing: Pothos would answer "… has not been implemented".
    nodeQueryOptions: {
      description:
        "The object with this id, whatever its type; null when the id names nothing the API key's account has (malformed, unknown, another account's, or of a type that is no Node)",
      args: { id: { description: 'Any id this API returned, e.g. wh_… or inv_…' } },
      resolve: (_root, { id }, _ctx, info, resolveNode) =>
        isNodeType(info.schema, id.typename) ? resolveNode(id) : null,
    },
    nodesQueryOptions: false,
    encodeGlobalID: (_typename, id) => String(id),
    decodeGlobalID: (globalID) => {
      const kind: IdKind | null = idKind(globalID);
      // An unknown prefix decodes to no type at all; node() answers null for it (nodeQueryOptions).
      return { typename: kind ?? '', id: globalID };
    },
  },
});

// Every root field is covered: reads (subscriptions included) need a reading role, changes an admin;
// the few exceptions (viewer, publishEvent) say so on the field.
builder.queryType({
  description: "Reads, all within the API key's account: ADMIN and VIEWER keys (viewer: any key)",
  authScopes: { read: true },
});
builder.mutationType({
  description:
    "Changes, all within the API key's account: ADMIN keys (publishEvent, publishEvents: ADMIN and PUBLISHER). Expected failures are data: each field answers a union of its success type and the Error types it may return",
  authScopes: { admin: true },
});
builder.subscriptionType({
  description:
    "Live updates of the API key's account, over graphql-ws or SSE on /graphql: ADMIN and VIEWER keys; revoking the key ends them",
  authScopes: { read: true },
});

function isNodeType(schema: GraphQLSchema, typename: string): boolean {
  const type = typename ? schema.getType(typename) : undefined;
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node');
}

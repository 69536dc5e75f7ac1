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
    // node(id) of an id that names no node type (malformed, an unknown prefix, an Account or Event
    // id) is null, like an id that names nothing: Pothos would answer "… has not been implemented".
    nodeQueryOptions: {
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
builder.queryType({ authScopes: { read: true } });
builder.mutationType({ authScopes: { admin: true } });
builder.subscriptionType({ authScopes: { read: true } });

function isNodeType(schema: GraphQLSchema, typename: string): boolean {
  const type = typename ? schema.getType(typename) : undefined;
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node');
}

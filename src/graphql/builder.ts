import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import { type IdKind, idKind } from '../domain/ids.js';
import type { GraphQLContext } from './context.js';

/**
 * The one schema builder. It defines no types: each domain noun has its own file, and ./index.ts
 * imports them all. Global ids are our own prefixed ids (`wh_…`), so the type is read from the prefix.
 */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ErrorsPlugin, RelayPlugin],
  defaultFieldNullability: false,
  errors: { directResult: true },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesQueryOptions: false,
    encodeGlobalID: (_typename, id) => String(id),
    decodeGlobalID: (globalID) => {
      const kind: IdKind | null = idKind(globalID);
      // An unknown prefix decodes to a type with no loader, so node() answers null.
      return { typename: kind ?? 'Unknown', id: globalID };
    },
  },
});

builder.queryType({});
builder.mutationType({});

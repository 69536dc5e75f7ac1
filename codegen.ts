import type { CodegenConfig } from '@graphql-codegen/cli';

/** The same type mapping for every target: enums as string unions, scalars as JSON sees them. */
const typesConfig = {
  useTypeImports: true,
  emitLegacyCommonJSImports: false,
  enumsAsTypes: true,
  scalars: { DateTime: 'string', JSON: 'unknown', ID: 'string' },
};

/**
 * Typed documents from schema/schema.graphql for two clients, each with its own documents and output
 * (neither target sees the other's operations):
 * - test/gql/: the `graphql(...)` calls of tests and scripts;
 * - src/console/app/gql/: the web console's operations (src/console/app/operations.graphql, named for
 *   the pages in queries.ts). Its documents are strings (`documentMode: 'string'`): the console sends
 *   them as they are, and its browser bundle needs neither the `graphql` package nor parsed ASTs.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  ignoreNoDocuments: true,
  generates: {
    'test/gql/': {
      documents: ['test/**/*.ts', 'scripts/**/*.ts', '!test/gql/**'],
      preset: 'client',
      config: typesConfig,
      presetConfig: { fragmentMasking: false },
    },
    'src/console/app/gql/': {
      documents: ['src/console/app/**/*.graphql'],
      preset: 'client',
      config: { ...typesConfig, documentMode: 'string' },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;

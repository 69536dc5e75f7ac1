import graphqlPlugin from '@graphql-eslint/eslint-plugin';

/**
 * ESLint checks one thing here: the printed schema (schema/schema.graphql, what clients and codegen
 * read), so the public API describes itself. Biome lints the code; this only knows GraphQL.
 */
export default [
  {
    files: ['schema/schema.graphql'],
    languageOptions: {
      parser: graphqlPlugin.parser,
      parserOptions: { graphQLConfig: { schema: 'schema/schema.graphql' } },
    },
    plugins: { '@graphql-eslint': graphqlPlugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      ...graphqlPlugin.configs['flat/schema-recommended'].rules,
      ...graphqlPlugin.configs['flat/schema-relay'].rules,
      // Every definition a client sees says what it is: types, fields (root fields included),
      // arguments and input fields, enum values.
      '@graphql-eslint/require-description': [
        'error',
        {
          types: true,
          rootField: true,
          FieldDefinition: true,
          InputValueDefinition: true,
          EnumValueDefinition: true,
          DirectiveDefinition: true,
        },
      ],
      // Only Node types carry ids; value objects (HeaderEntry, FieldError) and results have none.
      '@graphql-eslint/strict-id-in-types': 'off',
      // Lists page forward only (newest first): first/after.
      '@graphql-eslint/relay-arguments': ['error', { includeBoth: false }],
      // Plain lists of values (headers, triggers, field errors) are not connections; and operational
      // events are listed, never fetched by node(id), so OperationalEvent is not a Node.
      '@graphql-eslint/relay-edge-types': [
        'error',
        { withEdgeSuffix: true, shouldImplementNode: false, listTypeCanWrapOnlyEdgeType: false },
      ],
    },
  },
];

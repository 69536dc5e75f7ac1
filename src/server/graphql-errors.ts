import { GraphQLError } from 'graphql';

/**
 * GraphQL errors as clients see them on every transport.
 *
 * - Refusals by the query limits (graphql-armor) carry a code and lose armor's "Syntax Error: "
 *   label: the query parsed, it is just too big.
 * - yoga's `extensions.http` (the status it answers over HTTP) is an instruction to yoga's HTTP layer,
 *   which strips it; transports that yoga does not serialize (graphql-ws, graphql-sse) strip it here.
 */

/** `extensions.code` of each query limit (README "API keys, roles and limits"). */
export const QUERY_LIMIT_CODES = {
  depth: 'QUERY_TOO_DEEP',
  cost: 'QUERY_TOO_COMPLEX',
  aliases: 'TOO_MANY_ALIASES',
  directives: 'TOO_MANY_DIRECTIVES',
  tokens: 'TOO_MANY_TOKENS',
} as const;

export type QueryLimit = keyof typeof QUERY_LIMIT_CODES;

const ARMOR_LABEL = 'Syntax Error: ';

/**
 * An armor `onReject` handler: armor throws the error it hands its handlers, so relabelling it here
 * is what the client gets (the message without the label, the limit's code).
 */
export function labelLimitError(limit: QueryLimit): (context: unknown, error: GraphQLError) => void {
  return (_context, error) => {
    if (error.message.startsWith(ARMOR_LABEL)) error.message = error.message.slice(ARMOR_LABEL.length);
    (error.extensions as Record<string, unknown>).code = QUERY_LIMIT_CODES[limit];
  };
}

/** The parser ran out of stack on a query nested thousands of levels deep. */
export function tooDeeplyNestedError(): GraphQLError {
  return new GraphQLError('the query is nested too deeply', {
    extensions: { code: QUERY_LIMIT_CODES.depth },
  });
}

/** The same errors without yoga's `extensions.http`. */
export function withoutHttpExtensions(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.map((error) => {
    if (!error.extensions || !('http' in error.extensions)) return error;
    const { http: _http, ...extensions } = error.extensions;
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: error.originalError,
      extensions,
    });
  });
}

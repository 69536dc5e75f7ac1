import type { Plugin } from 'graphql-yoga';
import { tooDeeplyNestedError } from './graphql-errors.js';

/**
 * Client mistakes that yoga or graphql-js would otherwise answer with a 500 "Unexpected error.":
 * found by test/security/fuzz.test.ts.
 */

/** A GET whose `variables` or `extensions` parameter is not JSON (yoga parses it unguarded). */
export function useGetParamsCheck(graphqlPath: string): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (request.method !== 'GET' || url.pathname !== graphqlPath) return;
      for (const name of ['variables', 'extensions']) {
        const value = url.searchParams.get(name);
        if (value === null) continue;
        try {
          JSON.parse(value);
        } catch {
          return endResponse(
            new Response(
              JSON.stringify({
                errors: [
                  { message: `the ${name} parameter is not JSON`, extensions: { code: 'BAD_REQUEST' } },
                ],
              }),
              { status: 400, headers: { 'content-type': 'application/json' } },
            ),
          );
        }
      }
    },
  };
}

/**
 * A query nested so deeply (a few thousand levels fit in the token limit) that the recursive
 * parser runs out of stack: a syntax error of the client's, not a crash.
 */
export function useParseStackGuard(): Plugin {
  return {
    onParse:
      () =>
      ({ result, replaceParseResult }) => {
        if (result instanceof RangeError) {
          replaceParseResult(tooDeeplyNestedError());
        }
      },
  };
}

import type { Plugin } from 'graphql-yoga';
import type { Principal } from '../domain/api-key.js';

/**
 * Authentication and per-key rate limits for every GraphQL request (HTTP, SSE), in one place:
 * before parsing, so an unauthenticated or over-limit request costs nothing. WebSocket connections
 * authenticate in connection_init (src/server/app.ts) with the same `authenticate`.
 */

export interface AuthOptions {
  authenticate(token: string): Promise<Principal | null>;
  limiter: RateLimiter;
  graphqlPath: string;
}

/** The bearer token of an Authorization header value, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? (match[1] as string) : null;
}

const principals = new WeakMap<Request, Principal>();

/** The principal the auth plugin attached to this request. */
export function principalOf(request: Request | undefined): Principal | undefined {
  return request ? principals.get(request) : undefined;
}

function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function useApiKeyAuth(options: AuthOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== options.graphqlPath) return;
      // The GraphiQL page itself is public; every operation it sends is not.
      const wantsPage =
        request.method === 'GET' &&
        !url.searchParams.has('query') &&
        request.headers.get('accept')?.includes('text/html');
      if (wantsPage) return;
      const token = bearerToken(request.headers.get('authorization'));
      if (!token) {
        return endResponse(
          errorResponse(
            401,
            'UNAUTHENTICATED',
            'authentication required: send the header Authorization: Bearer <API key>',
            {
              'www-authenticate': 'Bearer',
            },
          ),
        );
      }
      let principal: Principal | null;
      try {
        principal = await options.authenticate(token);
      } catch {
        return endResponse(
          errorResponse(503, 'UNAVAILABLE', 'the store is not answering; try again shortly'),
        );
      }
      if (!principal) {
        return endResponse(
          errorResponse(401, 'UNAUTHENTICATED', 'the API key is not valid (unknown or revoked)', {
            'www-authenticate': 'Bearer error="invalid_token"',
          }),
        );
      }
      const wait = options.limiter.take(principal.apiKeyId);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        return endResponse(
          errorResponse(429, 'RATE_LIMITED', `too many requests for this API key; retry in ${seconds} s`, {
            'retry-after': String(seconds),
          }),
        );
      }
      principals.set(request, principal);
    },
  };
}

/**
 * A token bucket per key: `perMinute` requests a minute on average, bursts up to `perMinute`.
 * In memory, per process (a deployment with N api processes allows up to N times as much).
 */
export class RateLimiter {
  readonly #capacity: number;
  readonly #refillPerMs: number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #now: () => number;

  constructor(perMinute: number, now: () => number = Date.now) {
    this.#capacity = perMinute;
    this.#refillPerMs = perMinute / 60_000;
    this.#now = now;
  }

  /** Takes one token; returns 0 when allowed, else the ms until one is available. */
  take(key: string): number {
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#capacity, at: now };
    bucket.tokens = Math.min(this.#capacity, bucket.tokens + (now - bucket.at) * this.#refillPerMs);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > 100_000) this.#buckets.delete(this.#buckets.keys().next().value as string);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.#refillPerMs);
  }
}

import { randomUUID } from 'node:crypto';
import { useGraphQLSSE } from '@graphql-yoga/plugin-graphql-sse';
import type { Plugin } from 'graphql-yoga';
import { principalOf } from './auth.js';
import { withoutHttpExtensions } from './graphql-errors.js';

/**
 * The "single connection mode" of the GraphQL over SSE protocol (the graphql-sse client's
 * `singleConnection: true`) on the GraphQL path itself, through yoga's graphql-sse plugin: PUT
 * reserves a stream and answers its token, GET with the token (header or `token` parameter) is the
 * event stream, POSTs with the token start operations on it, DELETE stops one. Every one of these
 * requests is authenticated like any other (src/server/auth.ts runs first). The "distinct
 * connections mode" (a POST with `accept: text/event-stream` and no token) stays yoga's built-in SSE.
 *
 * A stream token belongs to the API key that reserved it: it is `<key id>:<random UUID>`, and a
 * request of another key naming it is answered as if the stream did not exist. A reservation whose
 * stream is not opened within `reservationMs` (30 s) is dropped: graphql-sse keeps a reserved stream
 * until it is opened and closed, so reservations nobody opens would otherwise pile up. It is dropped
 * the way a client drops a stream: the handler gets a GET for it whose connection is already gone.
 */

const TOKEN_HEADER = 'x-graphql-event-stream-token';
const TOKEN_PARAM = 'token';

const notFound = (): [string, { status: number; statusText: string; headers: Record<string, string> }] => [
  JSON.stringify({ errors: [{ message: 'Stream not found' }] }),
  { status: 404, statusText: 'Not Found', headers: { 'content-type': 'application/json; charset=utf-8' } },
];

type OnRequest = NonNullable<Plugin['onRequest']>;

export function useSingleConnectionSse(
  graphqlPath: string,
  options: { reservationMs?: number } = {},
): Plugin {
  const reservationMs = options.reservationMs ?? 30_000;
  /** The GETs this module sends itself to drop reservations nobody opened. */
  const expiries = new WeakSet<Request>();
  const expireLater = (token: string, url: string) => {
    const timer = setTimeout(() => {
      const request = new Request(url, {
        headers: { accept: 'text/event-stream', [TOKEN_HEADER]: token },
        signal: AbortSignal.abort(),
      });
      expiries.add(request);
      // Opened meanwhile: 409, nothing changes. Still reserved: opened, found gone, disposed.
      const endResponse = (response: Response) => void response.body?.cancel().catch(() => {});
      void Promise.resolve(
        sse.onRequest?.({
          request,
          url: new URL(url),
          endResponse,
          serverContext: {},
        } as unknown as Parameters<OnRequest>[0]),
      ).catch(() => {});
    }, reservationMs);
    timer.unref();
  };
  const sse = useGraphQLSSE({
    endpoint: graphqlPath,
    authenticate(req) {
      const raw = req.raw as Request;
      const given =
        req.headers.get(TOKEN_HEADER) ?? new URL(req.url, 'http://localhost').searchParams.get(TOKEN_PARAM);
      if (expiries.has(raw)) return given ?? notFound();
      const caller = principalOf(raw);
      if (!caller) return notFound();
      if (given) return given.startsWith(`${caller.apiKeyId}:`) ? given : notFound();
      // Without a token only a PUT does anything: it reserves a stream under this new one.
      const token = `${caller.apiKeyId}:${randomUUID()}`;
      if (req.method === 'PUT') expireLater(token, req.url);
      return token;
    },
    onNext(_ctx, _req, result) {
      if (!result.errors?.length) return;
      return { ...result, errors: withoutHttpExtensions(result.errors) };
    },
  });
  return {
    onYogaInit: sse.onYogaInit,
    onRequest(payload) {
      const { request, url } = payload;
      if (url.pathname !== graphqlPath) return;
      const singleConnection =
        request.method === 'PUT' ||
        request.method === 'DELETE' ||
        request.headers.has(TOKEN_HEADER) ||
        url.searchParams.has(TOKEN_PARAM);
      if (singleConnection) return sse.onRequest?.(payload);
    },
  };
}

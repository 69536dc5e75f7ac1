import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { type WebSocket, WebSocketServer } from 'ws';
import { isConsolePath, serveConsole } from '../console/serve.js';
import type { Principal } from '../domain/api-key.js';
import { authenticate } from '../domain/api-key-use-cases.js';
import type { GraphQLContext } from '../graphql/context.js';
import { toSchema } from '../graphql/index.js';
import { errorFields, type Logger } from '../ops/log.js';
import type { Services } from '../runtime.js';
import { bearerToken, principalOf, RateLimiter, useApiKeyAuth } from './auth.js';
import { graphiqlHeaders, useGraphiQLHeaders } from './graphiql.js';
import { labelLimitError, withoutHttpExtensions } from './graphql-errors.js';
import { useGetParamsCheck, useParseStackGuard } from './request-guards.js';
import { useSharedSubscriptionResults } from './shared-subscription-results.js';
import { useSingleConnectionSse } from './sse.js';
import { useTracing } from './tracing.js';

type EnvelopedRoot = ReturnType<App['yoga']['getEnveloped']>;

export const GRAPHQL_PATH = '/graphql';

/** graphql-ws close codes of ours (4400–4499 are the protocol's; 44xx here mirror HTTP). */
const WS_KEY_REVOKED = 4401;
/** A subscriber whose connection cannot keep up with its updates (mirrors 1008 Policy Violation). */
const WS_SUBSCRIBER_TOO_SLOW = 4008;
/** Unsent bytes a WebSocket may hold before it counts as too slow. */
const WS_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
export interface App {
  yoga: YogaServerInstance<Record<string, unknown>, GraphQLContext>;
  /** The HTTP server with GraphQL, WebSockets and health routes; not listening yet. */
  server: Server;
  /** The graphql-ws WebSocket server on the same port and path. */
  wss: WebSocketServer;
  /** Closes, at once, the WebSocket connections authenticated with this key (it was revoked). */
  disconnectKey(apiKeyId: string): number;
  /** Stops accepting, closes WebSockets, waits for requests in progress up to `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

/** Builds the whole HTTP surface without listening: tests use `yoga.fetch` or listen on port 0. */
export function createApp(services: Services, log: Logger): App {
  const schema = toSchema();
  const { config } = services;
  // One budget per key, whichever transport its requests come over.
  const limiter = new RateLimiter(config.RATE_LIMIT_PER_MINUTE);
  const auth = (token: string) => authenticate({ apiKeys: services.stores.apiKeys }, token);
  const graphiql = {
    title: 'Access webhooks',
    subscriptionsProtocol: 'WS',
    defaultQuery: DEFAULT_QUERY,
  } as const;

  const yoga = createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: services.config.GRAPHIQL ? graphiql : false,
    landingPage: false,
    maskedErrors: true,
    // The HTTP server below refuses a POST without Content-Length or over MAX_REQUEST_BYTES before
    // yoga reads it, and Node reads no more than the declared length: yoga's own limiter (a
    // TransformStream pipeline around every request body) would only repeat that, at a cost.
    maxRequestBodySize: false,
    plugins: [
      useApiKeyAuth({
        authenticate: auth,
        limiter,
        graphqlPath: GRAPHQL_PATH,
      }),
      useGetParamsCheck(GRAPHQL_PATH),
      // graphql-sse's single connection mode (its distinct connections mode is yoga's built-in SSE).
      useSingleConnectionSse(GRAPHQL_PATH),
      ...(config.GRAPHIQL ? [useGraphiQLHeaders(GRAPHQL_PATH, graphiqlHeaders(graphiql))] : []),
      ...(config.GRAPHQL_INTROSPECTION ? [] : [useDisableIntrospection()]),
      EnvelopArmorPlugin({
        maxDepth: { n: config.GRAPHQL_MAX_DEPTH, onReject: [labelLimitError('depth')] },
        costLimit: { maxCost: config.GRAPHQL_MAX_COST, onReject: [labelLimitError('cost')] },
        maxAliases: { n: 30, onReject: [labelLimitError('aliases')] },
        maxDirectives: { n: 30, onReject: [labelLimitError('directives')] },
        maxTokens: { n: 10_000, onReject: [labelLimitError('tokens')] },
        blockFieldSuggestion: { enabled: !config.GRAPHQL_INTROSPECTION },
      }),
      // A parser stack overflow (absurdly nested query) is the client's syntax error.
      useParseStackGuard(),
      // A span per operation, when traces are exported.
      ...(services.tracing.enabled ? [useTracing(services.tracing)] : []),
      // Subscribers of one account asking the same thing get one execution per update.
      useSharedSubscriptionResults((context) => {
        const caller = (context as Partial<GraphQLContext> | null)?.caller;
        return caller ? `${caller.accountId}\u0000${caller.role}` : null;
      }),
    ],
    logging: {
      debug: (...args) => log.debug(String(args[0]), { args: args.slice(1).map(String) }),
      info: (...args) => log.info(String(args[0])),
      warn: (...args) => log.warn(String(args[0])),
      error: (...args) => log.error(String(args[0]), errorFields(args[1] ?? args[0])),
    },
    // HTTP and SSE: the auth plugin attached the principal; WebSockets: connection_init did.
    context: (initial) => ({
      caller: (initial.principal as Principal | undefined) ?? (principalOf(initial.request) as Principal),
      services,
    }),
  });

  let draining = false;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const started = performance.now();
    res.once('finish', () => {
      if (path === '/healthz' || path === '/readyz' || path === '/metrics') return;
      log.info('request', {
        method: req.method,
        path,
        status: res.statusCode,
        durationMs: Math.round(performance.now() - started),
      });
    });
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    // Draining: orchestrators stop routing here, clients retry elsewhere.
    if (draining && path !== '/metrics') {
      res.setHeader('connection', 'close');
      return sendJson(res, 503, { status: 'draining' });
    }
    if (path === '/metrics' && req.method === 'GET') {
      void services.metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': services.metrics.registry.contentType }).end(text),
        () => sendJson(res, 500, { error: 'metrics unavailable' }),
      );
      return;
    }
    if (path === '/readyz') return void readiness(services, res);
    // The web console (src/console): `/` and its assets; GraphiQL stays at /graphql.
    if (isConsolePath(path) && (req.method === 'GET' || req.method === 'HEAD')) {
      return void serveConsole(req, res, log);
    }
    if (req.method === 'POST') {
      // A body limit before anything reads the body: the declared length decides, so a client
      // cannot stream an unbounded body (chunked uploads are refused).
      const length = req.headers['content-length'];
      if (length === undefined)
        return sendJson(res, 411, { errors: [{ message: 'Content-Length is required' }] });
      if (Number(length) > config.MAX_REQUEST_BYTES) {
        return sendJson(res, 413, {
          errors: [{ message: `the request body is larger than ${config.MAX_REQUEST_BYTES} bytes` }],
        });
      }
    }
    return yoga.requestListener(req as IncomingMessage, res as ServerResponse);
  });

  const socketsByKey = new Map<string, Set<WebSocket>>();

  const wss = new WebSocketServer({ server, path: GRAPHQL_PATH, maxPayload: config.MAX_REQUEST_BYTES });
  useServer<Record<string, unknown>, { principal?: Principal }>(
    {
      // connection_init must carry { authorization: "Bearer <key>" }; returning false closes with 4403.
      onConnect: async (ctx) => {
        const token = bearerToken(String(ctx.connectionParams?.authorization ?? ''));
        const principal = token ? await auth(token) : null;
        if (!principal) return false;
        ctx.extra.principal = principal;
        const sockets = socketsByKey.get(principal.apiKeyId) ?? new Set();
        sockets.add(ctx.extra.socket);
        socketsByKey.set(principal.apiKeyId, sockets);
        return true;
      },
      onClose: (ctx) => {
        const keyId = ctx.extra.principal?.apiKeyId;
        const sockets = keyId ? socketsByKey.get(keyId) : undefined;
        sockets?.delete(ctx.extra.socket);
        if (keyId && sockets?.size === 0) socketsByKey.delete(keyId);
      },
      // onSubscribe hands yoga's enveloped execute/subscribe through rootValue.
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const principal = ctx.extra.principal;
        const wait = principal ? limiter.take(principal.apiKeyId) : 0;
        if (wait > 0) {
          return [
            new GraphQLError(`too many requests for this API key; retry in ${Math.ceil(wait / 1000)} s`, {
              extensions: { code: 'RATE_LIMITED', retryAfterSeconds: Math.ceil(wait / 1000) },
            }),
          ];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          principal: ctx.extra.principal,
          onSlowSubscriber: (reason: string) => ctx.extra.socket.close(WS_SUBSCRIBER_TOO_SLOW, reason),
          params,
        });
        let document: ReturnType<typeof parse>;
        try {
          document = parse(params.query);
        } catch (err) {
          // A syntax error, or a query past the token limit: the client's error, as over HTTP.
          if (err instanceof GraphQLError) return withoutHttpExtensions([err]);
          throw err;
        }
        const args = {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        let errors: readonly GraphQLError[];
        try {
          errors = validate(args.schema, args.document);
        } catch (err) {
          // The query limits (graphql-armor) throw their refusal from inside validation.
          if (err instanceof GraphQLError) errors = [err];
          else throw err;
        }
        return errors.length ? withoutHttpExtensions(errors) : args;
      },
      // graphql-ws awaits each send, so one subscription's backlog waits in the feed's bounded buffer
      // (src/live); only many subscriptions on one stalled socket could pile up unsent bytes here.
      onNext: (ctx) => {
        const { socket } = ctx.extra;
        if (socket.bufferedAmount > WS_MAX_BUFFERED_BYTES) {
          socket.close(
            WS_SUBSCRIBER_TOO_SLOW,
            `subscriber too slow: over ${WS_MAX_BUFFERED_BYTES} bytes unsent`,
          );
        }
      },
    },
    wss,
  );

  const disconnectKey = (apiKeyId: string) => {
    const sockets = [...(socketsByKey.get(apiKeyId) ?? [])];
    for (const socket of sockets) socket.close(WS_KEY_REVOKED, 'API key revoked');
    return sockets.length;
  };
  const stopListening = services.revocations.subscribe(disconnectKey);

  return {
    yoga,
    server,
    wss,
    disconnectKey,
    async close(graceMs = 10_000) {
      draining = true;
      stopListening();
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
    },
  };
}

async function readiness(services: Services, res: ServerResponse) {
  try {
    await services.stores.ping();
    sendJson(res, 200, { status: 'ready', store: services.stores.kind });
  } catch (err) {
    sendJson(res, 503, {
      status: 'unavailable',
      store: services.stores.kind,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const DEFAULT_QUERY = `# Webhooks of this account, newest first.
query Webhooks {
  webhooks(first: 10) {
    edges { node { id name status method url triggers } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

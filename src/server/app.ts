import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { Caller } from '../domain/webhooks.js';
import type { GraphQLContext, Services } from '../graphql/context.js';
import { toSchema } from '../graphql/index.js';
import { errorFields, type Logger } from '../log.js';

type EnvelopedRoot = ReturnType<App['yoga']['getEnveloped']>;

export const GRAPHQL_PATH = '/graphql';

/** Until accounts and API keys exist, every caller acts for the one default account. */
export const DEFAULT_ACCOUNT_ID = 'acct_default';

export interface App {
  yoga: YogaServerInstance<Record<string, unknown>, GraphQLContext>;
  /** The HTTP server with GraphQL, WebSockets and health routes; not listening yet. */
  server: Server;
  /** Stops accepting, closes WebSockets, waits for requests in progress up to `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

/** Builds the whole HTTP surface without listening: tests use `yoga.fetch` or listen on port 0. */
export function createApp(services: Services, log: Logger): App {
  const schema = toSchema();
  const callerFor = (): Caller => ({ accountId: DEFAULT_ACCOUNT_ID });

  const yoga = createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    graphiql: services.config.GRAPHIQL
      ? { title: 'Access webhooks', subscriptionsProtocol: 'WS', defaultQuery: DEFAULT_QUERY }
      : false,
    landingPage: false,
    maskedErrors: true,
    logging: {
      debug: (...args) => log.debug(String(args[0]), { args: args.slice(1).map(String) }),
      info: (...args) => log.info(String(args[0])),
      warn: (...args) => log.warn(String(args[0])),
      error: (...args) => log.error(String(args[0]), errorFields(args[1] ?? args[0])),
    },
    context: () => ({ caller: callerFor(), services }),
  });

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz') return void readiness(services, res);
    if (path === '/' && req.method === 'GET') {
      res.writeHead(302, { location: GRAPHQL_PATH }).end();
      return;
    }
    return yoga.requestListener(req as IncomingMessage, res as ServerResponse);
  });

  const wss = new WebSocketServer({ server, path: GRAPHQL_PATH });
  useServer(
    {
      // onSubscribe hands yoga's enveloped execute/subscribe through rootValue.
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        const args = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length ? errors : args;
      },
    },
    wss,
  );

  return {
    yoga,
    server,
    async close(graceMs = 10_000) {
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

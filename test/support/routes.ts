import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { type ReceivedRequest, type Receiver, type ReceiverHandler, startReceiver } from './receiver.js';
import { testCa } from './tls.js';

/**
 * One receiver shared by the concurrent tests of a file: each test takes a route (a unique first
 * path segment) with its own handler and sees only its own requests.
 */
export interface Routes {
  receiver: Receiver;
  route(handler?: ReceiverHandler): Route;
  close(): Promise<void>;
}

export interface Route {
  /** https://<receiver host>/<route id><path> */
  url(path?: string): string;
  requests(): ReceivedRequest[];
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
}

export const ok200: ReceiverHandler = (_req, res) => json(res, 200, { ok: true });

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startRoutes(): Promise<Routes> {
  const handlers = new Map<string, ReceiverHandler>();
  const receiver = await startReceiver({
    handler: (req, res) => {
      const id = req.path.split('/')[1] ?? '';
      const handler = handlers.get(id);
      if (!handler) return json(res, 404, { error: `no route ${id}` });
      return handler(req, res);
    },
  });
  return {
    receiver,
    route(handler = ok200) {
      const id = `r${randomBytes(5).toString('hex')}`;
      handlers.set(id, handler);
      const mine = () => receiver.requests.filter((r) => r.path.split('/')[1] === id);
      return {
        url: (path = '/hook') => receiver.url(`/${id}${path}`),
        requests: mine,
        async waitFor(count, timeoutMs = 10_000) {
          const deadline = Date.now() + timeoutMs;
          while (mine().length < count) {
            if (Date.now() > deadline)
              throw new Error(`route ${id}: ${mine().length} of ${count} requests arrived`);
            await new Promise((r) => setTimeout(r, 10));
          }
          return mine();
        },
      };
    },
    close: () => receiver.close(),
  };
}

/**
 * The settings that let the real, SSRF-guarded client reach these receivers: loopback allowed,
 * each receiver's host resolved to its port, the test CA trusted. Extra resolve rules are appended.
 */
export function loopbackEnv(routes: Routes, ...extraResolve: string[]): Record<string, string> {
  const { host, port } = routes.receiver;
  return {
    DISPATCH_ALLOWED_CIDRS: '127.0.0.0/8',
    DISPATCH_RESOLVE: [`${host}:443=127.0.0.1:${port}`, ...extraResolve].join(','),
    DISPATCH_CA_FILE: testCa().caFile,
  };
}

/** Polls until `check` returns a value (not undefined/false), or fails after timeoutMs. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A real HTTPS webhook receiver on 127.0.0.1 for tests, with the test CA's certificate.
 *
 * Each receiver has its own host name (`rcv-<random>.loopback.test`) and a resolve rule that sends
 * `<host>:443` to its port, so URLs look like production ones (https, no port) and go through the SSRF
 * guard with an allow-list of 127.0.0.0/8.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { ResolveRule } from '../../src/config/index.js';
import { testCa } from './tls.js';

export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Date.now() when the whole body had arrived. */
  receivedAt: number;
}

export interface Receiver {
  /** Unique per receiver, e.g. rcv-1a2b3c4d.loopback.test. */
  host: string;
  port: number;
  /** https://<host><path> (no port: the resolve rule maps :443 to the real port). */
  url(path?: string): string;
  resolveRule: ResolveRule;
  requests: ReceivedRequest[];
  /** Resolves once `count` requests have arrived (all requests so far); rejects after timeoutMs (5 s). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  /** TCP connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export type ReceiverHandler = (req: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

const defaultHandler: ReceiverHandler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
};

export async function startReceiver(
  opts: { handler?: ReceiverHandler; cert?: { cert: string; key: string } } = {},
): Promise<Receiver> {
  const handler = opts.handler ?? defaultHandler;
  const { cert, key } = opts.cert ?? testCa();
  const requests: ReceivedRequest[] = [];
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  let connections = 0;

  const server = createServer({ cert, key }, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => {});
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: { ...req.headers },
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      };
      requests.push(received);
      for (const wake of waiters) wake();
      Promise.resolve()
        .then(() => handler(received, res))
        .catch((err: unknown) => {
          if (!res.headersSent && !res.destroyed) {
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(`receiver handler failed: ${err instanceof Error ? err.message : String(err)}`);
          } else {
            res.destroy();
          }
        });
    });
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Failed handshakes (TLS tests) are expected; keep them out of the test output.
  server.on('tlsClientError', () => {});

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = `rcv-${randomBytes(5).toString('hex')}.loopback.test`;

  return {
    host,
    port,
    url: (path = '/') => `https://${host}${path.startsWith('/') ? path : `/${path}`}`,
    resolveRule: { host, port: 443, address: '127.0.0.1', addressPort: port },
    requests,
    get connections() {
      return connections;
    },
    waitFor(count, timeoutMs = 5_000) {
      if (requests.length >= count) return Promise.resolve([...requests]);
      return new Promise((resolve, reject) => {
        const wake = () => {
          if (requests.length < count) return;
          cleanup();
          resolve([...requests]);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(`receiver ${host}: ${requests.length} of ${count} requests after ${timeoutMs} ms`),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        waiters.add(wake);
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

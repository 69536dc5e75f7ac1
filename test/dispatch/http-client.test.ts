import * as net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ResolveRule } from '../../src/config/index.js';
import {
  DeliveryError,
  type DeliveryErrorCode,
  HttpClient,
  type OutboundRequest,
} from '../../src/dispatch/http-client.js';
import { loopbackHttpClient } from '../support/dispatch-env.js';
import { type Receiver, type ReceiverHandler, startReceiver } from '../support/receiver.js';
import { testCa, untrustedCert } from '../support/tls.js';

/*
 * Connect recorder and safety net: every TCP connect made in this test process is recorded, and any
 * destination that is not loopback is refused here, before a packet is sent. The tests use the record
 * to prove that the SSRF guard refused *before* connecting; if the guard ever let a blocked address
 * through, the test would fail on this safety net instead of sending traffic anywhere.
 */
const attempts: { host: string; port: number }[] = [];
const realConnect = net.Socket.prototype.connect;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1' || host.startsWith('::ffff:127.');
}

beforeAll(() => {
  net.Socket.prototype.connect = function connect(this: net.Socket, ...args: unknown[]) {
    const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    const opts =
      typeof first === 'object' && first !== null
        ? (first as { host?: string; port?: number | string; path?: string })
        : { port: first as number, host: typeof args[1] === 'string' ? args[1] : undefined };
    if (!opts.path) {
      const host = opts.host ?? 'localhost';
      attempts.push({ host, port: Number(opts.port) });
      if (!isLoopback(host)) throw new Error(`test safety net: refused a connection to non-loopback ${host}`);
    }
    return Reflect.apply(realConnect, this, args) as net.Socket;
  } as typeof realConnect;
});

const receivers: Receiver[] = [];
const clients: HttpClient[] = [];

afterAll(async () => {
  net.Socket.prototype.connect = realConnect;
  await Promise.all([...clients.map((c) => c.close()), ...receivers.map((r) => r.close())]);
  // Nothing in this file ever tried to reach a non-loopback address.
  expect(attempts.filter((a) => !isLoopback(a.host))).toEqual([]);
});

async function receiver(handler?: ReceiverHandler, cert?: { cert: string; key: string }): Promise<Receiver> {
  const r = await startReceiver({ ...(handler ? { handler } : {}), ...(cert ? { cert } : {}) });
  receivers.push(r);
  return r;
}

function track<T extends HttpClient>(client: T): T {
  clients.push(client);
  return client;
}

function get(url: string, extra: Partial<OutboundRequest> = {}): OutboundRequest {
  return { method: 'GET', url, headers: {}, timeoutMs: 5_000, ...extra };
}

async function deliveryError(promise: Promise<unknown>, code: DeliveryErrorCode): Promise<DeliveryError> {
  const err = await promise.then(
    (value) => {
      throw new Error(`expected a ${code} DeliveryError, got a response: ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  expect((err as DeliveryError).code, (err as Error).message).toBe(code);
  return err as DeliveryError;
}

async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('HttpClient delivers to real HTTPS receivers', () => {
  test.concurrent('a POST arrives with method, path, headers and body intact', async ({ expect }) => {
    const r = await receiver((req, res) => {
      res.writeHead(201, {
        'content-type': 'application/json',
        'x-sni': String((res.req.socket as TLSSocket).servername),
      });
      res.end(JSON.stringify({ got: Buffer.byteLength(req.body) }));
    });
    const client = track(loopbackHttpClient([r]));
    const body = JSON.stringify({ event: 'request.created', id: 'évt_1' });

    const res = await client.send({
      method: 'POST',
      url: r.url('/hooks/in?x=1&y=two'),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'access-webhooks/test',
        'x-custom': 'abc',
      },
      body,
      timeoutMs: 5_000,
    });

    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body.toString())).toEqual({ got: Buffer.byteLength(body) });
    expect(res.bodyComplete).toBe(true);
    expect(res.headers).toContainEqual(['content-type', 'application/json']);
    // SNI (and so certificate verification) used the host name, not the pinned address
    expect(res.headers).toContainEqual(['x-sni', r.host]);

    const [seen] = await r.waitFor(1);
    expect(seen?.method).toBe('POST');
    expect(seen?.path).toBe('/hooks/in?x=1&y=two');
    expect(seen?.body).toBe(body);
    expect(seen?.headers.host).toBe(r.host);
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(seen?.headers['user-agent']).toBe('access-webhooks/test');
    expect(seen?.headers['x-custom']).toBe('abc');
    expect(seen?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  test.concurrent('every method is sent as given', async ({ expect }) => {
    const r = await receiver();
    const client = track(loopbackHttpClient([r]));
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const res = await client.send({
        method,
        url: r.url(`/m/${method}`),
        headers: {},
        body: '{}',
        timeoutMs: 5_000,
      });
      expect(res.statusCode).toBe(200);
    }
    expect(r.requests.map((q) => `${q.method} ${q.path} ${q.body}`)).toEqual([
      'GET /m/GET {}',
      'POST /m/POST {}',
      'PUT /m/PUT {}',
      'PATCH /m/PATCH {}',
      'DELETE /m/DELETE {}',
    ]);
  });

  test.concurrent('keep-alive: 20 sequential sends use one connection', async ({ expect }) => {
    const r = await receiver();
    const client = track(loopbackHttpClient([r]));
    for (let i = 0; i < 20; i++) {
      const res = await client.send(get(r.url(`/n/${i}`)));
      expect(res.statusCode).toBe(200);
      expect(res.body.toString()).toBe('{"ok":true}');
    }
    expect(r.requests).toHaveLength(20);
    expect(r.connections).toBe(1);
  });

  test.concurrent('an explicit :443 in the URL is the default port and allowed', async ({ expect }) => {
    const r = await receiver();
    const client = track(loopbackHttpClient([r]));
    const res = await client.send(get(`https://${r.host}:443/p`));
    expect(res.statusCode).toBe(200);
    expect(r.requests[0]?.headers.host).toBe(r.host);
  });

  test.concurrent('a redirect is returned, not followed', async ({ expect }) => {
    const r = await receiver((_req, res) => {
      res.writeHead(302, { location: 'https://10.0.0.1/internal' });
      res.end();
    });
    const client = track(loopbackHttpClient([r]));
    const res = await client.send(get(r.url('/start')));
    expect(res.statusCode).toBe(302);
    expect(res.headers).toContainEqual(['location', 'https://10.0.0.1/internal']);
    expect(r.requests).toHaveLength(1);
    expect(attempts.some((a) => a.host === '10.0.0.1')).toBe(false);
  });

  test.concurrent('repeated response headers are kept as separate entries, in order', async ({ expect }) => {
    const r = await receiver((_req, res) => {
      res.setHeader('x-first', '1');
      res.setHeader('set-cookie', ['a=1; Secure', 'b=2; HttpOnly']);
      res.setHeader('X-Last', 'z');
      res.writeHead(204);
      res.end();
    });
    const client = track(loopbackHttpClient([r]));
    const res = await client.send(get(r.url()));
    expect(res.statusCode).toBe(204);
    expect(res.headers.filter(([name]) => name === 'set-cookie')).toEqual([
      ['set-cookie', 'a=1; Secure'],
      ['set-cookie', 'b=2; HttpOnly'],
    ]);
    const names = res.headers.map(([name]) => name);
    expect(names.indexOf('x-first')).toBeLessThan(names.indexOf('set-cookie'));
    expect(names.lastIndexOf('set-cookie')).toBeLessThan(names.indexOf('x-last'));
    expect(res.body.length).toBe(0);
  });

  test.concurrent('a body longer than readLimitBytes is cut, and the rest is never read', async ({
    expect,
  }) => {
    const total = 64 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let written = 0;
    let resolveServerSide: (v: { finished: boolean }) => void = () => {};
    const serverSide = new Promise<{ finished: boolean }>((resolve) => {
      resolveServerSide = resolve;
    });
    const r = await receiver(async (req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      if (req.path === '/exact') {
        res.end(chunk.subarray(0, 1000));
        return;
      }
      res.on('close', () => resolveServerSide({ finished: res.writableFinished }));
      // 64 MiB with backpressure: only a client that keeps reading could ever receive all of it.
      while (written < total && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk))
          await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
      }
      if (!res.destroyed) res.end();
    });
    const client = track(loopbackHttpClient([r], { readLimitBytes: 1000 }));

    const cut = await client.send(get(r.url('/big')));
    expect(cut.statusCode).toBe(200);
    expect(cut.bodyComplete).toBe(false);
    expect(cut.body.length).toBe(1000);
    expect(cut.body.equals(chunk.subarray(0, 1000))).toBe(true);
    // The client closed the connection instead of draining the response.
    expect(await serverSide).toEqual({ finished: false });
    expect(written).toBeLessThan(total);

    const exact = await client.send(get(r.url('/exact')));
    expect(exact.bodyComplete).toBe(true);
    expect(exact.body.length).toBe(1000);
  });

  test.concurrent('the default read limit is 1 MiB', async ({ expect }) => {
    const r = await receiver((_req, res) => {
      res.writeHead(200);
      res.end(Buffer.alloc(1024 * 1024 + 10, 'b'));
    });
    const client = track(loopbackHttpClient([r]));
    const res = await client.send(get(r.url()));
    expect(res.body.length).toBe(1024 * 1024);
    expect(res.bodyComplete).toBe(false);
  });
});

describe('SSRF guard at connect time', () => {
  test.concurrent('a host name resolving to loopback (localhost) is refused without the allow-list', async ({
    expect,
  }) => {
    const client = track(new HttpClient({ allowedCidrs: [], resolve: [], caFile: testCa().caFile }));
    const err = await deliveryError(client.send(get('https://localhost/')), 'SSRF_BLOCKED');
    expect(err.message).toContain('loopback address 127.0.0.1');
    expect(attempts.some((a) => a.port === 443)).toBe(false);
  });

  test.concurrent('a DISPATCH_RESOLVE rule to 127.0.0.1 is refused without the allow-list', async ({
    expect,
  }) => {
    const r = await receiver();
    const client = track(
      new HttpClient({ allowedCidrs: [], resolve: [r.resolveRule], caFile: testCa().caFile }),
    );
    const err = await deliveryError(client.send(get(r.url('/x'))), 'SSRF_BLOCKED');
    expect(err.message).toBe(`refused to connect to ${r.host}: loopback address 127.0.0.1`);
    expect(r.connections).toBe(0);
    expect(r.requests).toEqual([]);
    expect(attempts.some((a) => a.port === r.port)).toBe(false);
  });

  // Each rule points a name at an address the guard must refuse. Nothing listens there, and nothing may be
  // sent there: the refusal is the guard's (message names the class) and comes before any connect attempt.
  const blockedRules: [string, string, string, string[]][] = [
    ['private 10/8', '10.0.0.1', 'private address 10.0.0.1', ['127.0.0.0/8']],
    ['private 192.168/16', '192.168.1.10', 'private address 192.168.1.10', ['127.0.0.0/8']],
    ['cloud metadata', '169.254.169.254', 'cloud metadata address 169.254.169.254', ['127.0.0.0/8']],
    ['link-local', '169.254.1.1', 'link-local address 169.254.1.1', ['127.0.0.0/8']],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1', 'loopback address 127.0.0.1', []],
    ['IPv4-mapped private', '::ffff:10.0.0.1', 'private address 10.0.0.1', ['127.0.0.0/8']],
    ['NAT64 metadata', '64:ff9b::a9fe:a9fe', 'cloud metadata address 169.254.169.254', ['127.0.0.0/8']],
    ['CGNAT', '100.64.0.1', 'CGNAT address 100.64.0.1', ['127.0.0.0/8']],
    ['multicast', '224.0.0.1', 'multicast address 224.0.0.1', ['127.0.0.0/8']],
    ['unspecified', '0.0.0.0', 'unspecified address 0.0.0.0', ['127.0.0.0/8']],
    ['IPv6 unspecified', '::', 'unspecified address ::', ['127.0.0.0/8']],
    ['IPv6 loopback', '::1', 'loopback address ::1', ['127.0.0.0/8']],
    ['IPv6 unique local', 'fd00::1', 'private address fd00::1', ['127.0.0.0/8']],
    ['IPv6 link-local', 'fe80::1', 'link-local address fe80::1', ['127.0.0.0/8']],
    ['broadcast', '255.255.255.255', 'broadcast address 255.255.255.255', ['127.0.0.0/8']],
  ];

  test.concurrent.each(blockedRules)(
    'resolve rule to %s (%s) is refused before connecting',
    async (_name, address, reason, allowedCidrs) => {
      const host = `blocked-${Math.random().toString(36).slice(2)}.test`;
      const rule: ResolveRule = { host, port: 443, address, addressPort: 443 };
      const client = track(new HttpClient({ allowedCidrs, resolve: [rule], caFile: testCa().caFile }));
      const err = await deliveryError(client.send(get(`https://${host}/latest/meta-data/`)), 'SSRF_BLOCKED');
      // The guard's refusal (it names the class), and no connect attempt was made (recorded below).
      expect(err.message).toContain(`refused to connect to ${host}: ${reason}`);
      expect(attempts.some((a) => a.host === address || a.port === 443)).toBe(false);
    },
  );

  const blockedLiterals: [string, string][] = [
    ['https://10.0.0.1/', 'private address 10.0.0.1'],
    ['https://169.254.169.254/latest/meta-data/', 'cloud metadata address 169.254.169.254'],
    ['https://[::1]/', 'loopback address ::1'],
    ['https://[::ffff:127.0.0.1]/', 'loopback address 127.0.0.1'],
    ['https://[fd00:ec2::254]/', 'cloud metadata address fd00:ec2::254'],
    ['https://0x7f000001/', 'loopback address 127.0.0.1'], // WHATWG URL normalizes to 127.0.0.1
    ['https://2130706433/', 'loopback address 127.0.0.1'],
  ];

  test.concurrent.each(blockedLiterals)('IP literal URL %s is refused', async (url, reason) => {
    const client = track(new HttpClient({ allowedCidrs: [], resolve: [], caFile: testCa().caFile }));
    const err = await deliveryError(client.send(get(url)), 'SSRF_BLOCKED');
    expect(err.message).toContain(reason);
  });

  test.concurrent('the allow-list covers only its ranges: 127/8 allowed does not open 10/8', async ({
    expect,
  }) => {
    const r = await receiver();
    const host = `mixed-${Math.random().toString(36).slice(2)}.test`;
    const client = track(
      loopbackHttpClient([r], {
        resolve: [r.resolveRule, { host, port: 443, address: '10.1.2.3', addressPort: 443 }],
      }),
    );
    expect((await client.send(get(r.url()))).statusCode).toBe(200);
    const err = await deliveryError(client.send(get(`https://${host}/`)), 'SSRF_BLOCKED');
    expect(err.message).toContain('private address 10.1.2.3');
  });

  test.concurrent('http: URLs are refused before any I/O', async ({ expect }) => {
    const r = await receiver();
    const client = track(loopbackHttpClient([r]));
    const err = await deliveryError(client.send(get(`http://${r.host}/`)), 'SSRF_BLOCKED');
    expect(err.message).toContain('only https://');
    expect(r.connections).toBe(0);
  });

  test.concurrent('a custom port is refused before any I/O', async ({ expect }) => {
    const r = await receiver();
    const client = track(loopbackHttpClient([r]));
    const err = await deliveryError(client.send(get(`https://${r.host}:8443/`)), 'SSRF_BLOCKED');
    expect(err.message).toContain('port 8443');
    const direct = await deliveryError(client.send(get(`https://127.0.0.1:${r.port}/`)), 'SSRF_BLOCKED');
    expect(direct.message).toContain(`port ${r.port}`);
    expect(r.connections).toBe(0);
    expect(attempts.some((a) => a.port === 8443 || a.port === r.port)).toBe(false);
  });

  test.concurrent('a URL that does not parse is refused', async () => {
    const client = track(new HttpClient({ allowedCidrs: [], resolve: [] }));
    await deliveryError(client.send(get('not a url')), 'SSRF_BLOCKED');
  });
});

describe('failures are classified', () => {
  test.concurrent('a certificate not signed by the trusted CA → TLS', async ({ expect }) => {
    const r = await receiver(undefined, untrustedCert());
    const client = track(loopbackHttpClient([r]));
    const err = await deliveryError(client.send(get(r.url())), 'TLS');
    expect(err.message).toMatch(/self[- ]signed/i);
    expect(r.requests).toEqual([]);
  });

  test.concurrent('without DISPATCH_CA_FILE the test CA is not trusted → TLS', async ({ expect }) => {
    const r = await receiver();
    const client = track(new HttpClient({ allowedCidrs: ['127.0.0.0/8'], resolve: [r.resolveRule] }));
    const err = await deliveryError(client.send(get(r.url())), 'TLS');
    expect(err.message).toContain(r.host);
    expect(r.requests).toEqual([]);
  });

  test.concurrent('a certificate for another name → TLS (verified against the URL host)', async ({
    expect,
  }) => {
    const r = await receiver();
    const host = 'wrong-name.example';
    const client = track(
      loopbackHttpClient([r], { resolve: [{ ...r.resolveRule, host }] }), // points at the receiver, cert lacks the name
    );
    const err = await deliveryError(client.send(get(`https://${host}/`)), 'TLS');
    expect(err.message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(r.requests).toEqual([]);
  });

  test.concurrent('connection refused → CONNECTION', async ({ expect }) => {
    const port = await freeLoopbackPort();
    const host = `refused-${Math.random().toString(36).slice(2)}.test`;
    const client = track(
      loopbackHttpClient([], { resolve: [{ host, port: 443, address: '127.0.0.1', addressPort: port }] }),
    );
    const err = await deliveryError(
      client.send({
        method: 'POST',
        url: `https://${host}/`,
        headers: { authorization: 'Bearer sekrit-header-value' },
        body: '{"password":"sekrit-body-value"}',
        timeoutMs: 5_000,
      }),
      'CONNECTION',
    );
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).not.toContain('sekrit');
  });

  test.concurrent('the receiver closing the connection mid-response → CONNECTION', async ({ expect }) => {
    const r = await receiver((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const client = track(loopbackHttpClient([r]));
    const err = await deliveryError(client.send(get(r.url())), 'CONNECTION');
    expect(err.message).toContain(r.host);
  });

  test.concurrent('response headers later than timeoutMs → TIMEOUT', async ({ expect }) => {
    const r = await receiver(async (_req, res) => {
      // The 3 s only bounds a client that never gives up: its 300 ms timer starts first, in this
      // same process, and timers fire in the order they expire, so it always comes first.
      await Promise.race([sleep(3_000), new Promise((resolve) => res.on('close', resolve))]);
      if (!res.destroyed) res.end('{"late":true}');
    });
    const client = track(loopbackHttpClient([r]));
    const err = await deliveryError(client.send(get(r.url(), { timeoutMs: 300 })), 'TIMEOUT');
    expect(err.message).toContain('within 300 ms');
    expect(r.requests).toHaveLength(1);
  });

  test.concurrent('a body streamed slower than timeoutMs → TIMEOUT', async ({ expect }) => {
    // The body never ends (a tick every 50 ms until the client gives up), so only the timeout can end
    // the exchange; the headers come at once, well inside the 2 s, so it times out reading the body.
    const r = await receiver(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      while (!res.destroyed) {
        res.write('tick\n');
        await sleep(50);
      }
    });
    const client = track(loopbackHttpClient([r]));
    const err = await deliveryError(client.send(get(r.url(), { timeoutMs: 2_000 })), 'TIMEOUT');
    expect(err.message).toContain('reading the response body');
  });

  test.concurrent('an unresolvable host → DNS', async ({ expect }) => {
    // A label longer than 63 octets can never resolve: getaddrinfo fails locally (ENOTFOUND) without
    // sending a query, so this test sends nothing to the network's DNS server.
    const host = `${'x'.repeat(70)}.nope.invalid`;
    const client = track(new HttpClient({ allowedCidrs: ['127.0.0.0/8'], resolve: [] }));
    const err = await deliveryError(client.send(get(`https://${host}/`)), 'DNS');
    expect(err.message).toContain('ENOTFOUND');
    expect(err.message).toContain(host);
  });
});

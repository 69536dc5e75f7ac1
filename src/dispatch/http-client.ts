/**
 * Outbound HTTPS for deliveries and token requests.
 *
 * One pooled keep-alive undici Agent. The SSRF guard runs inside the Agent's `connect` function, i.e. for
 * every new TCP connection: the hostname is resolved once (a DISPATCH_RESOLVE rule, or dns.lookup), every
 * address is checked, and the socket is opened to that exact address (pinned: Node does no second
 * lookup for an IP) with SNI and certificate verification against the original hostname.
 */
import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import type { ResolveRule } from '../config/index.js';
import { blockedReason } from './address-guard.js';

export type DeliveryErrorCode = 'SSRF_BLOCKED' | 'DNS' | 'CONNECTION' | 'TLS' | 'TIMEOUT';

/** A delivery that got no HTTP response. Messages never contain request headers or bodies. */
export class DeliveryError extends Error {
  constructor(
    readonly code: DeliveryErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

export interface HttpClientOptions {
  /** CIDR ranges exempt from the SSRF guard (DISPATCH_ALLOWED_CIDRS). */
  allowedCidrs: string[];
  /** host:port=ip:port overrides, like curl --resolve (DISPATCH_RESOLVE); the address is still guarded. */
  resolve: ResolveRule[];
  /** Extra PEM CA bundle trusted in addition to Node's roots (DISPATCH_CA_FILE). */
  caFile?: string;
  /** Response body bytes kept; the rest is not read. Default 1 MiB. */
  readLimitBytes?: number;
  /** Max sockets per origin; default unlimited (undici's default). */
  connectionsPerOrigin?: number;
}

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Covers the whole call: DNS, connect, TLS, response headers and body. */
  timeoutMs: number;
}

export interface InboundResponse {
  statusCode: number;
  /** In the order received, lower-case names; repeated headers are separate entries. */
  headers: [string, string][];
  /** At most readLimitBytes. */
  body: Buffer;
  /** False when the body was longer than the limit and was cut. */
  bodyComplete: boolean;
}

const DEFAULT_READ_LIMIT = 1024 * 1024;

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
// Errors on which the next resolved address is tried (nothing was sent yet, and they fail fast).
const NEXT_ADDRESS_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'EAFNOSUPPORT',
]);
const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|ERROR_IN_)|SELF_SIGNED|^(INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_EXCEEDED|HOSTNAME_MISMATCH)$/;

function errorCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function describe(err: unknown): string {
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

interface Target {
  address: string;
  port: number;
}

export class HttpClient {
  readonly #opts: HttpClientOptions;
  readonly #agent: Agent;
  readonly #readLimit: number;

  constructor(opts: HttpClientOptions) {
    this.#opts = { ...opts, allowedCidrs: [...opts.allowedCidrs], resolve: [...opts.resolve] };
    this.#readLimit = opts.readLimitBytes ?? DEFAULT_READ_LIMIT;
    // `ca` replaces Node's trust store, so the extra CA is added to the default roots. The context is
    // built once: with `ca` alone, every new connection would parse the ~140 root certificates again
    // (about 25 ms of main-thread CPU per TLS connection).
    const ca = opts.caFile ? [...rootCertificates, readFileSync(opts.caFile, 'utf8')] : undefined;
    const base = buildConnector(ca ? { ca, secureContext: createSecureContext({ ca }) } : {});

    const connect: buildConnector.connector = (connectOpts, callback) => {
      const { hostname } = connectOpts;
      this.#pin(hostname, connectOpts.port).then(
        (targets) => {
          const attempt = (i: number) => {
            const target = targets[i] as Target;
            try {
              base(
                {
                  ...connectOpts,
                  hostname: target.address,
                  port: String(target.port),
                  // SNI and certificate verification against the name in the URL, not the pinned address.
                  servername: isIP(hostname) ? undefined : hostname,
                },
                (err, socket) => {
                  if (err && i + 1 < targets.length && NEXT_ADDRESS_CODES.has(errorCode(err) ?? '')) {
                    attempt(i + 1);
                  } else if (err) {
                    callback(err, null);
                  } else {
                    callback(null, socket);
                  }
                },
              );
            } catch (err) {
              callback(err instanceof Error ? err : new Error(String(err)), null);
            }
          };
          attempt(0);
        },
        (err: Error) => callback(err, null),
      );
    };

    this.#agent = new Agent({
      connect,
      ...(opts.connectionsPerOrigin ? { connections: opts.connectionsPerOrigin } : {}),
    });
  }

  /** Resolves a hostname to guarded, pinned targets, or throws a DeliveryError (SSRF_BLOCKED or DNS). */
  async #pin(hostname: string, portText: string): Promise<Target[]> {
    const port = portText ? Number(portText) : 443;
    if (port !== 443) {
      throw new DeliveryError(
        'SSRF_BLOCKED',
        `refused to connect to ${hostname}:${port}: only port 443 is allowed`,
      );
    }
    const host = hostname.toLowerCase();
    const rule = this.#opts.resolve.find((r) => r.host === host && r.port === port);
    let targets: Target[];
    if (rule) {
      targets = [{ address: rule.address, port: rule.addressPort }];
    } else if (isIP(host)) {
      targets = [{ address: host, port }];
    } else {
      let found: { address: string }[];
      try {
        found = await lookup(host, { all: true });
      } catch (err) {
        throw new DeliveryError('DNS', `could not resolve ${host}: ${errorCode(err) ?? describe(err)}`, {
          cause: err,
        });
      }
      if (found.length === 0) throw new DeliveryError('DNS', `could not resolve ${host}: no addresses`);
      targets = found.map(({ address }) => ({ address, port }));
    }
    for (const { address } of targets) {
      const reason = blockedReason(address, this.#opts.allowedCidrs);
      if (reason) throw new DeliveryError('SSRF_BLOCKED', `refused to connect to ${host}: ${reason}`);
    }
    return targets;
  }

  async send(req: OutboundRequest): Promise<InboundResponse> {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      throw new DeliveryError('SSRF_BLOCKED', 'refused: the URL is not a valid absolute URL');
    }
    if (url.protocol !== 'https:') {
      throw new DeliveryError(
        'SSRF_BLOCKED',
        `refused: only https:// URLs are allowed (got ${url.protocol})`,
      );
    }
    if (url.port !== '') {
      throw new DeliveryError(
        'SSRF_BLOCKED',
        `refused: custom ports are not allowed (got port ${url.port}); only the default HTTPS port 443`,
      );
    }

    const host = url.hostname;
    const controller = new AbortController();
    const state = { phase: 'connecting or waiting for the response headers' };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new DeliveryError(
          'TIMEOUT',
          `no complete response from ${host} within ${req.timeoutMs} ms (timed out ${state.phase})`,
        );
        controller.abort(err);
        reject(err);
      }, req.timeoutMs);
    });
    const exchange = this.#exchange(url, req, controller.signal, state);
    // After a timeout the exchange fails with the abort; that outcome is no longer wanted.
    exchange.catch(() => {});
    try {
      return await Promise.race([exchange, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #exchange(
    url: URL,
    req: OutboundRequest,
    signal: AbortSignal,
    state: { phase: string },
  ): Promise<InboundResponse> {
    const host = url.hostname;
    try {
      const res = await this.#agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal,
        responseHeaders: 'raw',
      });
      state.phase = 'reading the response body';

      const raw = res.headers as unknown as string[];
      const headers: [string, string][] = [];
      for (let i = 0; i + 1 < raw.length; i += 2) {
        headers.push([(raw[i] as string).toLowerCase(), raw[i + 1] as string]);
      }

      const chunks: Buffer[] = [];
      let length = 0;
      let bodyComplete = true;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        const room = this.#readLimit - length;
        if (chunk.length > room) {
          if (room > 0) chunks.push(chunk.subarray(0, room));
          length += Math.max(room, 0);
          bodyComplete = false;
          break; // ends the iteration, which destroys the stream (and the connection)
        }
        chunks.push(chunk);
        length += chunk.length;
      }
      if (bodyComplete) {
        // undici puts a kept-alive socket back in the pool one event-loop turn after the response ended
        // (client-h1 resumes with setImmediate); waiting for that turn lets the caller's next request reuse
        // the connection instead of opening another one.
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else {
        res.body.destroy(); // the rest is never read: the connection is closed, not drained
      }
      return { statusCode: res.statusCode, headers, body: Buffer.concat(chunks, length), bodyComplete };
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      if (signal.aborted && signal.reason instanceof DeliveryError) throw signal.reason;
      const code = errorCode(err) ?? '';
      if (TLS_CODE.test(code)) {
        throw new DeliveryError('TLS', `TLS handshake with ${host} failed: ${describe(err)}`, { cause: err });
      }
      if (DNS_CODES.has(code)) {
        throw new DeliveryError('DNS', `could not resolve ${host}: ${code}`, { cause: err });
      }
      if (TIMEOUT_CODES.has(code)) {
        throw new DeliveryError('TIMEOUT', `timed out ${state.phase} from ${host}: ${describe(err)}`, {
          cause: err,
        });
      }
      throw new DeliveryError('CONNECTION', `connection to ${host} failed: ${describe(err)}`, { cause: err });
    }
  }

  /**
   * Closes the pool. Requests still running are aborted: by the time this is called the dispatcher
   * has drained what it could and released the claims of the rest, which another worker will send.
   */
  async close(): Promise<void> {
    await this.#agent.destroy();
  }
}

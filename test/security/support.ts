/**
 * Helpers of the security tests: a listening app, raw HTTP (node:http, so headers are exactly what
 * the test says), SSE and graphql-ws clients that report what the server did (status, close code).
 */

import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { sampleEvent } from '../../src/domain/event.js';
import type { TestApp } from '../support/app.js';
import { loopbackEnv, type Routes } from '../support/routes.js';

/** Environment for an app whose deliveries reach the test receivers (and nothing else), one attempt each. */
export function receiverEnv(routes: Routes, extra: Record<string, string> = {}): Record<string, string> {
  return { ...loopbackEnv(routes), DISPATCH_RETRY_SCHEDULE: '0', ...extra };
}

/** A RequestCreated event that only webhooks filtering on this access flow id match. */
export function scopedEvent(flowId: string) {
  const event = sampleEvent('RequestCreated');
  event.data.id = `req_${randomBytes(4).toString('hex')}`;
  event.data.access_flow = { id: flowId, name: 'Security test flow' };
  return event;
}

export const newFlowId = () => `flow_${randomBytes(5).toString('hex')}`;

/** Starts the app's HTTP server on a free loopback port; returns its base URL (http://127.0.0.1:PORT). */
export async function listen(t: TestApp): Promise<string> {
  await new Promise<void>((resolve) => t.app.server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request with exactly these headers: no Content-Length unless given (or `body` is set and
 * `chunked` is false), so tests control framing.
 */
export function rawHttp(
  base: string,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Send the body with Transfer-Encoding: chunked (no Content-Length). */
    chunked?: boolean;
    /** Give up (reject with code ETIMEDOUT) when no complete answer came in this time. */
    timeoutMs?: number;
  } = {},
): Promise<RawResponse> {
  const url = new URL(options.path ?? '/graphql', base);
  const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
  const headers: Record<string, string> = { ...options.headers };
  if (body && !options.chunked && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
    headers['content-length'] = String(body.length);
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.timeoutMs) {
      const timer = setTimeout(
        () =>
          req.destroy(
            Object.assign(new Error(`no answer in ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' }),
          ),
        options.timeoutMs,
      );
      req.on('close', () => clearTimeout(timer));
    }
    if (body) req.write(body);
    req.end();
  });
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** A GraphQL POST over real HTTP with a bearer token (or none). */
export async function post(
  base: string,
  token: string | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ status: number; headers: Headers; body: GraphQLBody }> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLBody };
}

export interface SseResult {
  status: number;
  headers: Headers;
  /** The `data:` payloads of `next` events, parsed. */
  events: GraphQLBody[];
  /** The body as received when it was not an event stream (e.g. a 401 JSON error). */
  text: string;
  /** Whether the server ended the stream (a `complete` event or end of body) before we stopped reading. */
  ended: boolean;
}

/**
 * A GraphQL request over SSE (GraphQL over SSE "distinct connections" mode, as yoga serves it).
 * Reads events until the stream ends, `until` says stop, or `timeoutMs` passes, then aborts.
 */
export async function sse(
  base: string,
  headers: Record<string, string>,
  query: string,
  variables: Record<string, unknown> = {},
  options: {
    timeoutMs?: number;
    until?: (events: GraphQLBody[]) => boolean;
    onOpen?: () => void;
    /** Stop reading (and disconnect) when this settles. */
    stop?: Promise<unknown>;
    method?: 'GET' | 'POST';
  } = {},
): Promise<SseResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 5_000);
  options.stop?.then(
    () => controller.abort(),
    () => controller.abort(),
  );
  const method = options.method ?? 'POST';
  const url =
    method === 'GET'
      ? `${base}/graphql?${new URLSearchParams({ query, variables: JSON.stringify(variables) })}`
      : `${base}/graphql`;
  const result: SseResult = { status: 0, headers: new Headers(), events: [], text: '', ended: false };
  try {
    const res = await fetch(url, {
      method,
      headers: {
        accept: 'text/event-stream',
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: method === 'POST' ? JSON.stringify({ query, variables }) : undefined,
      signal: controller.signal,
    });
    result.status = res.status;
    result.headers = res.headers;
    if (!res.headers.get('content-type')?.includes('text/event-stream') || !res.body) {
      result.text = await res.text();
      result.ended = true;
      return result;
    }
    options.onOpen?.();
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = res.body.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        result.ended = true;
        break;
      }
      buffer += decoder.decode(value, { stream: true });
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: ?(.*)$/m.exec(block)?.[1];
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trimStart())
          .join('\n');
        if (event === 'complete') result.ended = true;
        else if (data) result.events.push(JSON.parse(data) as GraphQLBody);
        cut = buffer.indexOf('\n\n');
      }
      if (result.ended || options.until?.(result.events)) break;
    }
    await reader.cancel().catch(() => {});
  } catch (err) {
    if (!controller.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return result;
}

export interface WsSession {
  client: Client;
  /** Results of `next` messages per subscribe call, in order. */
  results: GraphQLBody[];
  /** Resolves with the close code once the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves once connection_ack arrived (rejects if the socket closed first). */
  connected: Promise<void>;
  dispose(): Promise<void>;
}

/** A graphql-ws client that connects at once (lazy: false) and never retries. */
export function wsSession(base: string, connectionParams?: Record<string, unknown>): WsSession {
  let resolveClosed!: (v: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
  let resolveConnected!: () => void;
  let rejectConnected!: (err: Error) => void;
  const connected = new Promise<void>((res, rej) => {
    resolveConnected = res;
    rejectConnected = rej;
  });
  connected.catch(() => {});
  const client = createClient({
    url: `${base.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams,
    onNonLazyError: () => {},
    on: {
      connected: () => resolveConnected(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        resolveClosed({ code, reason: String(reason) });
        rejectConnected(new Error(`closed with ${code} ${reason} before connection_ack`));
      },
    },
  });
  return {
    client,
    results: [],
    closed,
    connected,
    dispose: async () => {
      await client.dispose();
    },
  };
}

/** Runs one operation over a graphql-ws client to completion; returns every result or the error. */
export function wsRun(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ results: GraphQLBody[]; error?: unknown }> {
  return new Promise((resolve) => {
    const results: GraphQLBody[] = [];
    client.subscribe(
      { query, variables },
      {
        next: (value) => results.push(value as GraphQLBody),
        error: (error) => resolve({ results, error }),
        complete: () => resolve({ results }),
      },
    );
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The FORBIDDEN / UNAUTHENTICATED code of a GraphQL body's first error. */
export function errorCode(body: { errors?: { extensions?: Record<string, unknown> }[] } | undefined) {
  return body?.errors?.[0]?.extensions?.code;
}

/**
 * Real subscription clients for the live-update tests: graphql-ws (the `graphql-ws` client over `ws`)
 * and SSE (fetch with `accept: text/event-stream`, the stream parsed here: yoga's "distinct
 * connections" mode of the GraphQL over SSE protocol, `event: next` / `event: complete`).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import type { InvocationUpdatedSubscription } from '../gql/graphql.js';

export type Update = InvocationUpdatedSubscription['invocationUpdated'];

export interface ResultPayload<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface LiveSubscription<T> {
  /** Every `next` payload, in arrival order. */
  results: ResultPayload<T>[];
  /** Set when the server ended the subscription (complete, or an error message). */
  ended: Promise<{ error?: unknown }>;
  /** Resolves once `check(results)` holds; rejects after timeoutMs with what arrived. */
  waitFor(check: (results: ResultPayload<T>[]) => boolean, timeoutMs?: number): Promise<ResultPayload<T>[]>;
  close(): Promise<void>;
}

function collector<T>() {
  const results: ResultPayload<T>[] = [];
  const waiters = new Set<() => void>();
  let end: (value: { error?: unknown }) => void = () => {};
  const ended = new Promise<{ error?: unknown }>((resolve) => {
    end = resolve;
  });
  return {
    results,
    ended,
    push(result: ResultPayload<T>) {
      results.push(result);
      for (const wake of waiters) wake();
    },
    end(outcome: { error?: unknown }) {
      end(outcome);
      for (const wake of waiters) wake();
    },
    waitFor(check: (results: ResultPayload<T>[]) => boolean, timeoutMs = 10_000) {
      if (check(results)) return Promise.resolve(results);
      return new Promise<ResultPayload<T>[]>((resolve, reject) => {
        const wake = () => {
          if (!check(results)) return;
          cleanup();
          resolve(results);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`condition not met in ${timeoutMs} ms; received ${JSON.stringify(results)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        waiters.add(wake);
      });
    },
  };
}

export function wsClient(baseUrl: string, token: string): Client {
  return createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
  });
}

/** One subscription on a graphql-ws client (several may share the client's one connection). */
export function wsSubscribe<T, V>(
  client: Client,
  doc: TypedDocumentNode<T, V>,
  variables?: V,
): LiveSubscription<T> {
  const c = collector<T>();
  const unsubscribe = client.subscribe<T>(
    { query: print(doc), variables: variables as Record<string, unknown> | undefined },
    {
      next: (value) => c.push(value as ResultPayload<T>),
      error: (error) => c.end({ error }),
      complete: () => c.end({}),
    },
  );
  return {
    results: c.results,
    ended: c.ended,
    waitFor: c.waitFor,
    async close() {
      unsubscribe();
    },
  };
}

/** A subscription over SSE: POST /graphql with `accept: text/event-stream`, read until closed. */
export async function sseSubscribe<T, V>(
  baseUrl: string,
  token: string,
  doc: TypedDocumentNode<T, V>,
  variables?: V,
): Promise<LiveSubscription<T>> {
  const c = collector<T>();
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query: print(doc), variables }),
    signal: abort.signal,
  });
  if (res.status !== 200 || !res.headers.get('content-type')?.startsWith('text/event-stream')) {
    throw new Error(
      `SSE request answered ${res.status} ${res.headers.get('content-type')}: ${await res.text()}`,
    );
  }
  const body = res.body;
  if (!body) throw new Error('SSE response without a body');
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = parseSseEvent(block);
          if (event.name === 'next') c.push(JSON.parse(event.data) as ResultPayload<T>);
          if (event.name === 'complete') return c.end({});
        }
      }
      c.end({});
    } catch (error) {
      c.end(abort.signal.aborted ? {} : { error });
    }
  })();
  return {
    results: c.results,
    ended: c.ended,
    waitFor: c.waitFor,
    async close() {
      abort.abort();
      await reading;
    },
  };
}

/** One SSE event block: `event:` and `data:` lines; comment lines (`:`, keep-alive pings) are skipped. */
function parseSseEvent(block: string): { name: string; data: string } {
  let name = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    if (field === 'data') data.push(value);
  }
  return { name, data: data.join('\n') };
}

/** The updates as `status/attemptCount` steps, e.g. ["PENDING/0", "IN_FLIGHT/0", "SUCCEEDED/1"]. */
export function steps(
  results: ResultPayload<InvocationUpdatedSubscription>[],
  invocationId?: string,
): string[] {
  return results
    .map((r) => r.data?.invocationUpdated)
    .filter((u): u is Update => !!u && (invocationId === undefined || u.id === invocationId))
    .map((u) => `${u.status}/${u.attemptCount}`);
}

/** Subscribers Redis has on a channel (PUBSUB NUMSUB), and the channels a named connection holds. */
export async function redisCounts(
  url: string,
  channel: string,
  connectionName?: string,
): Promise<{ numsub: number; connectionSubs: number | null }> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const numsub = (await redis.call('PUBSUB', 'NUMSUB', channel)) as [string, number];
    let connectionSubs: number | null = null;
    if (connectionName) {
      const list = (await redis.call('CLIENT', 'LIST')) as string;
      const line = list.split('\n').find((l) => l.includes(` name=${connectionName} `));
      const sub = line && /(?:^| )sub=(\d+)/.exec(line);
      connectionSubs = sub ? Number(sub[1]) : null;
    }
    return { numsub: Number(numsub[1]), connectionSubs };
  } finally {
    redis.disconnect();
  }
}

import { createServer } from 'node:net';
import { describe, expect, inject, test } from 'vitest';
import type { AttemptRecord, Invocation } from '../../src/domain/invocation.js';
import { SubscriberTooSlow } from '../../src/live/feed.js';
import {
  channelOf,
  createInProcessFeed,
  type InvocationFeed,
  type InvocationUpdate,
} from '../../src/live/invocation-feed.js';
import { createRedisFeed, feedWire } from '../../src/live/redis-feed.js';
import { createLogger } from '../../src/ops/log.js';
import { eventually } from '../support/routes.js';
import { uniqueAccountId } from '../support/stores.js';
import { redisCounts } from './clients.js';

const silent = createLogger('silent');
let seq = 0;

function invocation(accountId: string, webhookId: string, overrides: Partial<Invocation> = {}): Invocation {
  const now = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, seq % 1000));
  seq++;
  return {
    id: `inv_${String(seq).padStart(20, '0')}`,
    accountId,
    webhookId,
    eventId: 'evt_00000000000000000001',
    trigger: 'RequestCreated',
    test: false,
    messageId: 'inv_00000000000000000001',
    fanoutKey: `evt:${webhookId}`,
    status: 'PENDING',
    attempts: [],
    nextAttemptAt: now,
    leaseOwner: null,
    leaseUntil: null,
    supersededBy: null,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
    ...overrides,
  };
}

const attempt: AttemptRecord = {
  number: 1,
  startedAt: new Date('2026-01-02T03:04:05.678Z'),
  durationMs: 12,
  success: true,
  request: { method: 'POST', url: 'https://example.test/hook', headers: [], body: '{"a":1}' },
  response: { statusCode: 200, headers: [], body: '{"$date":"not a date"}', bodyTruncated: false },
  error: null,
  validatorResults: [],
};

/** Reads n updates (or until done) without blocking forever. */
async function take(iterator: AsyncIterator<InvocationUpdate>, n: number): Promise<InvocationUpdate[]> {
  const out: InvocationUpdate[] = [];
  while (out.length < n) {
    const next = await iterator.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

const feeds: [string, () => InvocationFeed][] = [
  ['in-process', () => createInProcessFeed({ bufferSize: 5 })],
  ['redis', () => createRedisFeed({ url: inject('redisUrl'), log: silent, bufferSize: 5 })],
];

describe.each(feeds)('%s feed', (kind, makeFeed) => {
  async function subscribed(feed: InvocationFeed, accountId: string, n = 1) {
    await eventually(() => feed.stats.subscribers >= n);
    if (kind === 'redis') {
      await eventually(async () => (await redisCounts(inject('redisUrl'), channelOf(accountId))).numsub >= 1);
    }
  }

  test.concurrent('updates arrive in order, filtered by webhook and scoped to the account', async () => {
    const feed = makeFeed();
    try {
      const [a, b] = [uniqueAccountId(), uniqueAccountId()];
      const all = feed.subscribe(a, null);
      const onlyW1 = feed.subscribe(a, 'wh_1');
      const foreign = feed.subscribe(a, 'wh_b'); // a webhook of account b, asked for by account a
      const ofB = feed.subscribe(b, null);
      await subscribed(feed, a, 4);
      await subscribed(feed, b, 4);
      const sent = [
        invocation(a, 'wh_1', { status: 'PENDING' }),
        invocation(a, 'wh_2', { status: 'PENDING' }),
        invocation(b, 'wh_b', { status: 'IN_FLIGHT' }),
        invocation(a, 'wh_1', { status: 'IN_FLIGHT' }),
        invocation(a, 'wh_1', { status: 'SUCCEEDED', attempts: [attempt] }),
      ];
      for (const i of sent) feed.publish(i);
      const fromA = sent.filter((i) => i.accountId === a);
      expect(await take(all, 4)).toEqual(fromA);
      expect(await take(onlyW1, 3)).toEqual(fromA.filter((i) => i.webhookId === 'wh_1'));
      expect(await take(ofB, 1)).toEqual([sent[2]]);
      // Account b's update went to b's channel only: after a's barrier update, a's filter saw nothing.
      const barrier = invocation(a, 'wh_b');
      feed.publish(barrier);
      expect(await take(foreign, 1)).toEqual([barrier]);
      expect(feed.stats).toMatchObject({ subscribers: 4, channels: 2 });
      for (const s of [all, onlyW1, foreign, ofB]) await s.return?.();
      expect(feed.stats).toMatchObject({ subscribers: 0, channels: 0 });
    } finally {
      await feed.close();
    }
  });

  test.concurrent('return() ends a subscription whose next() is waiting, and frees its channel', async () => {
    const feed = makeFeed();
    try {
      const accountId = uniqueAccountId();
      const sub = feed.subscribe(accountId, null);
      const waiting = sub.next();
      expect(feed.stats.subscribers).toBe(1);
      await sub.return?.();
      expect(await waiting).toEqual({ value: undefined, done: true });
      expect(await sub.next()).toEqual({ value: undefined, done: true });
      expect(feed.stats).toMatchObject({ subscribers: 0, channels: 0 });
      const aborted = new AbortController();
      const viaSignal = feed.subscribe(accountId, null, { signal: aborted.signal });
      const pending = viaSignal.next();
      aborted.abort();
      expect(await pending).toEqual({ value: undefined, done: true });
      expect(feed.stats.subscribers).toBe(0);
      if (kind === 'redis') {
        const { redis } = feed.stats;
        await eventually(async () => {
          const counts = await redisCounts(inject('redisUrl'), channelOf(accountId), redis?.subscriber);
          return counts.numsub === 0 && counts.connectionSubs === 0;
        });
      }
    } finally {
      await feed.close();
    }
  });

  test.concurrent('a subscriber that falls bufferSize behind is dropped with SUBSCRIBER_TOO_SLOW', async () => {
    const feed = makeFeed();
    try {
      const accountId = uniqueAccountId();
      const reasons: string[] = [];
      const slow = feed.subscribe(accountId, null, { onOverflow: (r) => reasons.push(r) });
      const fast = feed.subscribe(accountId, null);
      await subscribed(feed, accountId, 2);
      const got: InvocationUpdate[] = [];
      const reading = (async () => {
        for await (const u of fast) {
          got.push(u);
          if (got.length === 10) break;
        }
      })();
      // One at a time, so the reading subscriber never has more than one waiting.
      for (let i = 0; i < 10; i++) {
        feed.publish(invocation(accountId, 'wh_1'));
        await eventually(() => got.length === i + 1);
      }
      await reading;
      await eventually(() => reasons.length === 1);
      expect(reasons).toEqual(['subscriber too slow: more than 5 updates waiting']);
      // The buffered updates were dropped at once; only the reason is left, then the end.
      const last = await slow.next();
      expect(last.value).toBeInstanceOf(SubscriberTooSlow);
      expect(last.value).toMatchObject({ code: 'SUBSCRIBER_TOO_SLOW' });
      expect(await slow.next()).toEqual({ value: undefined, done: true });
      expect(got).toHaveLength(10);
      expect(feed.stats).toMatchObject({ subscribers: 0, channels: 0, overflows: 1 });
    } finally {
      await feed.close();
    }
  });

  test.concurrent('close() ends every subscription; publish afterwards is a no-op', async () => {
    const feed = makeFeed();
    const accountId = uniqueAccountId();
    const sub = feed.subscribe(accountId, null);
    const waiting = sub.next();
    await feed.close();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(() => feed.publish(invocation(accountId, 'wh_1'))).not.toThrow();
    expect(await feed.subscribe(accountId, null).next()).toEqual({ value: undefined, done: true });
    expect(feed.stats.subscribers).toBe(0);
  });
});

describe('redis feed across processes', () => {
  test('a feed sees what another feed (another process) published, with Dates restored', async () => {
    const url = inject('redisUrl');
    const api = createRedisFeed({ url, log: silent });
    const worker = createRedisFeed({ url, log: silent });
    try {
      const accountId = uniqueAccountId();
      const sub = api.subscribe(accountId, null);
      await eventually(async () => (await redisCounts(url, channelOf(accountId))).numsub === 1);
      const sent = Array.from({ length: 200 }, (_, n) =>
        invocation(accountId, `wh_${n % 3}`, {
          status: n % 2 ? 'SUCCEEDED' : 'IN_FLIGHT',
          attempts: n % 2 ? [attempt] : [],
          completedAt: n % 2 ? new Date(1_767_000_000_000 + n) : null,
        }),
      );
      for (const i of sent) worker.publish(i);
      const received = await take(sub, sent.length);
      expect(received).toEqual(sent);
      const one = received[1] as Invocation;
      expect(one.createdAt).toBeInstanceOf(Date);
      expect(one.attempts[0]?.startedAt).toBeInstanceOf(Date);
      // A body that looks like a tagged date stays a string: only {"$date": …} objects are Dates.
      expect(one.attempts[0]?.response?.body).toBe('{"$date":"not a date"}');
      expect(worker.stats).toMatchObject({ published: 200, publishFailures: 0 });
      await sub.return?.();
    } finally {
      await Promise.all([api.close(), worker.close()]);
    }
  });

  test('subscribing while the connection is still handshaking loses nothing', async () => {
    const url = inject('redisUrl');
    const accounts = Array.from({ length: 20 }, () => uniqueAccountId());
    const feeds = accounts.map(() => createRedisFeed({ url, log: silent }));
    const publisher = createRedisFeed({ url, log: silent });
    try {
      // New connections, each subscribed a little later than the one before: some land in the
      // window between TCP connect and ready, where ioredis used to lose the subscription.
      const subs: AsyncIterator<InvocationUpdate>[] = [];
      for (const [i, a] of accounts.entries()) {
        subs.push((feeds[i] as InvocationFeed).subscribe(a, null));
        await new Promise((r) => setImmediate(r));
      }
      for (const a of accounts) {
        await eventually(async () => (await redisCounts(url, channelOf(a))).numsub === 1, 5_000);
      }
      for (const [i, a] of accounts.entries()) {
        const sent = invocation(a, 'wh_1');
        publisher.publish(sent);
        expect(await take(subs[i] as AsyncIterator<InvocationUpdate>, 1)).toEqual([sent]);
      }
    } finally {
      await Promise.all([...feeds, publisher].map((f) => f.close()));
    }
  });

  test('the wire format keeps Dates, nulls and nested objects', () => {
    const original = invocation('acct_x', 'wh_1', { attempts: [attempt], completedAt: null });
    expect(feedWire.parse(feedWire.stringify(original))).toEqual(original);
    expect(feedWire.parse('not json')).toBeNull();
  });

  test('with Redis unreachable, publishing neither throws nor waits, and failures are counted', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise<void>((r) => server.close(() => r()));
    const lines: string[] = [];
    const log = createLogger('warn', (l) => lines.push(l));
    const feed = createRedisFeed({ url: `redis://127.0.0.1:${port}`, log, maxPendingPublishes: 2 });
    for (let i = 0; i < 5; i++) feed.publish(invocation('acct_x', 'wh_1'));
    // Two wait for Redis (bounded), three were refused at once.
    expect(feed.stats).toMatchObject({ publishFailures: 3, redis: { pendingPublishes: 2 } });
    await feed.close();
    // Closing rejects the two waiting publishes: counted, never an unhandled rejection.
    await eventually(() => feed.stats.publishFailures === 5);
    expect(feed.stats.redis?.pendingPublishes).toBe(0);
    expect(lines.filter((l) => l.includes('live updates are not reaching Redis'))).toHaveLength(1);
  });
});

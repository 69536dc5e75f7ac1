import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { channelOf } from '../../src/live/invocation-feed.js';
import { eventually } from '../support/routes.js';
import { type LiveSubscription, redisCounts, sseSubscribe, wsClient, wsSubscribe } from './clients.js';
import { type LiveApp, startLiveApp } from './live-app.js';
import { InvocationUpdated } from './operations.js';

/**
 * 1,000 graphql-ws and 200 SSE subscribe/unsubscribe cycles leave nothing behind: no feed listener,
 * no WebSocket, no HTTP connection, no Redis subscription (and still just two Redis connections).
 */

let live: LiveApp;
beforeAll(async () => {
  live = await startLiveApp('sqlite', 'redis');
});
afterAll(async () => {
  await live?.close();
});

const connections = () =>
  new Promise<number>((resolve, reject) =>
    live.t.app.server.getConnections((err, n) => (err ? reject(err) : resolve(n))),
  );

async function ourRedisClients(names: string[]): Promise<number> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(inject('redisUrl'));
  try {
    const list = (await redis.call('CLIENT', 'LIST')) as string;
    return list.split('\n').filter((l) => names.some((n) => l.includes(` name=${n} `))).length;
  } finally {
    redis.disconnect();
  }
}

test('1,000 subscribe/unsubscribe cycles leave no listeners, sockets or Redis subscriptions', {
  timeout: 60_000,
}, async () => {
  const { accountId, token } = await live.account();
  const { feed } = live;
  const { wss } = live.t.app;
  const redisNames = feed.stats.redis;
  if (!redisNames) throw new Error('expected the Redis feed');
  const channel = channelOf(accountId);
  const before = {
    subscribers: feed.stats.subscribers,
    channels: feed.stats.channels,
    sockets: wss.clients.size,
    connections: await connections(),
    redis: await redisCounts(inject('redisUrl'), channel, redisNames.subscriber),
  };
  expect(before).toMatchObject({ subscribers: 0, sockets: 0, redis: { numsub: 0 } });
  // The subscriber connection opens with the first subscription (null: not connected yet).
  expect(before.redis.connectionSubs ?? 0).toBe(0);

  const BATCH = 100;
  for (let done = 0; done < 1_000; done += BATCH) {
    const clients: Client[] = [];
    const subs: LiveSubscription<unknown>[] = [];
    for (let i = 0; i < BATCH; i++) {
      const client = wsClient(live.base, token);
      clients.push(client);
      subs.push(wsSubscribe(client, InvocationUpdated, {}));
    }
    await eventually(() => feed.subscribersOf(accountId) === BATCH);
    // Half complete the subscription and keep the socket for a moment; all sockets then close.
    for (const sub of subs.filter((_, i) => i % 2 === 0)) await sub.close();
    await eventually(() => feed.subscribersOf(accountId) === BATCH / 2);
    await Promise.all(clients.map((c) => c.dispose()));
    await eventually(() => feed.subscribersOf(accountId) === 0 && wss.clients.size === 0);
  }

  for (let done = 0; done < 200; done += BATCH) {
    const subs = await Promise.all(
      Array.from({ length: BATCH }, () => sseSubscribe(live.base, token, InvocationUpdated, {})),
    );
    await eventually(() => feed.subscribersOf(accountId) === BATCH);
    await Promise.all(subs.map((s) => s.close()));
    await eventually(() => feed.subscribersOf(accountId) === 0);
  }

  await eventually(async () => {
    const redis = await redisCounts(inject('redisUrl'), channel, redisNames.subscriber);
    return redis.numsub === 0 && redis.connectionSubs === 0;
  });
  await eventually(async () => (await connections()) === before.connections);
  expect({
    subscribers: feed.stats.subscribers,
    channels: feed.stats.channels,
    sockets: wss.clients.size,
    connections: await connections(),
    redis: await redisCounts(inject('redisUrl'), channel, redisNames.subscriber),
  }).toEqual({ ...before, redis: { numsub: 0, connectionSubs: 0 } });
  // One publisher and one subscriber connection, however many subscriptions came and went.
  expect(await ourRedisClients([redisNames.publisher, redisNames.subscriber])).toBe(2);
});

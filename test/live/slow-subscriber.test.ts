import type { Socket } from 'node:net';
import { describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { ListInvocations } from '../dispatch/operations.js';
import { eventually, json } from '../support/routes.js';
import { sseSubscribe, wsClient, wsSubscribe } from './clients.js';
import { FEED_KINDS, flow, type LiveApp, startLiveApp } from './live-app.js';
import { InvocationUpdated } from './operations.js';

/**
 * A subscriber that never reads must not delay deliveries. The same deliveries run twice in one
 * test, without and then with a graphql-ws subscriber that stops reading its socket; the counts
 * and states must be the same, and the stalled subscriber is dropped (SUBSCRIBER_TOO_SLOW, closed
 * with 4008) instead of buffering without bound.
 *
 * On SQLite only: the store plays no part in what is measured here, and FerretDB's ~30 ms per write
 * would make these 400 deliveries take over a minute (subscriptions.test.ts covers both stores).
 */

const EVENTS = 200;
/** Small, so the stalled subscriber overflows within one run (the default is 1,000). */
const BUFFER = 100;
/** Big updates: the socket buffers fill after a few dozen, then the feed's buffer fills. */
const PADDING = 'x'.repeat(60_000);

const BIG_SELECTION = `subscription {
  invocationUpdated { id status attempts { request { body headers { name value } } response { body } } }
}`;

/** A raw graphql-ws client that subscribes, then stops reading from its socket. */
async function stalledSubscriber(live: LiveApp, token: string, accountId: string) {
  const socket = new WebSocket(`${live.base.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const acked = new Promise((resolve) =>
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') resolve(undefined);
    }),
  );
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await acked;
  const before = live.feed.subscribersOf(accountId);
  socket.send(JSON.stringify({ id: 'stalled', type: 'subscribe', payload: { query: BIG_SELECTION } }));
  await eventually(() => live.feed.subscribersOf(accountId) === before + 1);
  // From here on the client reads nothing: the kernel buffers fill, then the server's sends stall.
  const tcp = (socket as unknown as { _socket: Socket })._socket;
  tcp.pause();
  return { closed, resume: () => tcp.resume() };
}

describe.each(FEED_KINDS)('a subscriber that never reads (%s feed)', (feedKind) => {
  test('does not delay deliveries, and is dropped instead of buffered', { timeout: 60_000 }, async () => {
    const live = await startLiveApp('sqlite', feedKind, { feed: { bufferSize: BUFFER } });
    try {
      const { accountId, token } = await live.account();
      const dispatcher = live.t.dispatcher;
      if (!dispatcher) throw new Error('expected a dispatcher');

      /** Publishes EVENTS events to a new webhook and waits until every invocation has settled. */
      const run = async () => {
        const route = live.routes.route((_req, res) => json(res, 200, { ok: true, padding: PADDING }));
        const flowId = flow();
        const webhookId = await live.createWebhook(token, {
          url: route.url(),
          filters: { accessFlowIds: [flowId] },
        });
        const stats = { ...dispatcher.stats };
        for (let i = 0; i < EVENTS; i += 20) {
          await Promise.all(Array.from({ length: 20 }, () => live.publish(token, flowId)));
        }
        const settled = await eventually(async () => {
          const states = await invocationStates(live, token, webhookId);
          const done = (states.SUCCEEDED ?? 0) + (states.FAILED ?? 0);
          return done === EVENTS ? states : undefined;
        }, 30_000);
        const after = dispatcher.stats;
        return {
          received: route.requests().length,
          states: settled,
          attempts: after.attempts - stats.attempts,
          succeeded: after.succeeded - stats.succeeded,
          retried: after.retried - stats.retried,
          failed: after.failed - stats.failed,
          lostLeases: after.lostLeases - stats.lostLeases,
        };
      };

      const without = await run();
      expect(without).toEqual({
        received: EVENTS,
        states: { SUCCEEDED: EVENTS },
        attempts: EVENTS,
        succeeded: EVENTS,
        retried: 0,
        failed: 0,
        lostLeases: 0,
      });

      const overflowsBefore = live.feed.stats.overflows;
      const stalled = await stalledSubscriber(live, token, accountId);
      // Every delivery finishes while the subscriber is still stalled: nothing waited for it.
      const withStalled = await run();
      expect(withStalled).toEqual(without);

      // It fell more than BUFFER updates behind: dropped, its buffer freed, its socket closed.
      expect(live.feed.stats.overflows).toBe(overflowsBefore + 1);
      expect(live.feed.subscribersOf(accountId)).toBe(0);
      stalled.resume();
      expect(await stalled.closed).toEqual({
        code: 4008,
        reason: `subscriber too slow: more than ${BUFFER} updates waiting`,
      });
      await eventually(() => live.t.app.wss.clients.size === 0);
    } finally {
      await live.close();
    }
  });
});

test('the end of a dropped subscriber: SUBSCRIBER_TOO_SLOW over SSE, close code 4008 over graphql-ws', async () => {
  const live = await startLiveApp('sqlite', 'in-process', { feed: { bufferSize: 2 } });
  try {
    const { accountId, token } = await live.account();
    const route = live.routes.route();
    const flowId = flow();
    for (let i = 0; i < 5; i++) {
      await live.createWebhook(token, { url: route.url(), filters: { accessFlowIds: [flowId] } });
    }
    const overSse = await sseSubscribe(live.base, token, InvocationUpdated, {});
    const client = wsClient(live.base, token);
    const overWs = wsSubscribe(client, InvocationUpdated, {});
    await live.subscribed(accountId, 2);

    // Five invocations created at once: more than two updates wait for each subscriber.
    await live.publish(token, flowId);
    const sseEnd = await overSse.ended;
    expect(sseEnd).toEqual({});
    const last = overSse.results.at(-1);
    expect(last?.data).toBeNull();
    expect(last?.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^subscriber too slow: more than 2 updates were waiting/),
        extensions: { code: 'SUBSCRIBER_TOO_SLOW' },
      }),
    ]);
    expect(await overWs.ended).toMatchObject({
      error: { code: 4008, reason: 'subscriber too slow: more than 2 updates waiting' },
    });
    expect(live.feed.stats).toMatchObject({ subscribers: 0, overflows: 2 });
    await client.dispose();
  } finally {
    await live.close();
  }
});

async function invocationStates(live: LiveApp, token: string, webhookId: string) {
  const states: Record<string, number> = {};
  let after: string | null | undefined;
  for (;;) {
    const res = await live.t.as(token).gql(ListInvocations, { webhookId, first: 100, after });
    const page = res.data?.invocations;
    if (!page) throw new Error(JSON.stringify(res));
    for (const { node } of page.edges) states[node.status] = (states[node.status] ?? 0) + 1;
    if (!page.pageInfo.hasNextPage) return states;
    after = page.pageInfo.endCursor;
  }
}

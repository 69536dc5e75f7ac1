import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { InvocationUpdatedSubscription } from '../gql/graphql.js';
import { json } from '../support/routes.js';
import { STORE_KINDS } from '../support/stores.js';
import { type LiveSubscription, sseSubscribe, steps, wsClient, wsSubscribe } from './clients.js';
import { FEED_KINDS, flow, type LiveApp, startLiveApp } from './live-app.js';
import { InvocationUpdated } from './operations.js';

/**
 * Subscription.invocationUpdated end to end: a real graphql-ws client and a real SSE client, a real
 * dispatcher delivering to HTTPS receivers, on both stores, with the feed in-process and through Redis.
 * Every test uses its own account, so its feed channel is its own.
 */

const matrix = STORE_KINDS.flatMap((store) => FEED_KINDS.map((feed) => [store, feed] as const));

describe.concurrent.each(matrix)('invocationUpdated on %s, %s feed', (kind, feedKind) => {
  let live: LiveApp;
  const clients: Client[] = [];
  beforeAll(async () => {
    live = await startLiveApp(kind, feedKind);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await live?.close();
  });

  function ws(token: string) {
    const client = wsClient(live.base, token);
    clients.push(client);
    return client;
  }

  /** The same subscription over both transports. */
  async function both(
    token: string,
    webhookId?: string,
  ): Promise<[string, LiveSubscription<InvocationUpdatedSubscription>][]> {
    return [
      ['graphql-ws', wsSubscribe(ws(token), InvocationUpdated, { webhookId })],
      ['SSE', await sseSubscribe(live.base, token, InvocationUpdated, { webhookId })],
    ];
  }

  test.concurrent('testWebhook: IN_FLIGHT then SUCCEEDED with its attempt, for that webhook only', async () => {
    const { accountId, token } = await live.account();
    const route = live.routes.route();
    const w1 = await live.createWebhook(token, { url: route.url() });
    const w2 = await live.createWebhook(token, { url: route.url() });
    const subs = await both(token, w1);
    const unfiltered = wsSubscribe(ws(token), InvocationUpdated, {});
    await live.subscribed(accountId, 3);

    const other = await live.testWebhook(token, w2);
    const tested = await live.testWebhook(token, w1);
    expect(tested.success).toBe(true);
    for (const [transport, sub] of subs) {
      const results = await sub.waitFor((r) => r.length >= 2);
      expect(steps(results), transport).toEqual(['IN_FLIGHT/0', 'SUCCEEDED/1']);
      const [inFlight, done] = results.map((r) => r.data?.invocationUpdated);
      expect(inFlight, transport).toMatchObject({ id: tested.invocationId, webhookId: w1, test: true });
      expect(inFlight?.lastAttempt, transport).toBeNull();
      expect(done, transport).toMatchObject({
        id: tested.invocationId,
        webhookId: w1,
        completedAt: expect.any(String),
        lastAttempt: { number: 1, success: true, response: { statusCode: 200 }, error: null },
      });
    }
    // Without a filter: both webhooks, each invocation's updates in order.
    const all = await unfiltered.waitFor((r) => r.length >= 4);
    expect(steps(all, other.invocationId)).toEqual(['IN_FLIGHT/0', 'SUCCEEDED/1']);
    expect(steps(all, tested.invocationId)).toEqual(['IN_FLIGHT/0', 'SUCCEEDED/1']);
    expect(all).toHaveLength(4);
    // The filtered subscribers never saw w2: its updates came first, and only w1's arrived.
    for (const [transport, sub] of subs) {
      expect(
        sub.results.every((r) => r.data?.invocationUpdated.webhookId === w1),
        transport,
      ).toBe(true);
      await sub.close();
    }
    await unfiltered.close();
  });

  test.concurrent('a published event: PENDING, IN_FLIGHT, SUCCEEDED, for the right webhook only', async () => {
    const { accountId, token } = await live.account();
    const route = live.routes.route();
    const flowId = flow();
    const target = await live.createWebhook(token, {
      url: route.url(),
      filters: { accessFlowIds: [flowId] },
    });
    const sibling = await live.createWebhook(token, {
      url: route.url(),
      filters: { accessFlowIds: [flowId] },
    });
    const subs = await both(token, target);
    await live.subscribed(accountId, 2);

    const { invocationIds } = await live.publish(token, flowId);
    expect(invocationIds).toHaveLength(2);
    await route.waitFor(2);
    for (const [transport, sub] of subs) {
      const results = await sub.waitFor((r) => steps(r).includes('SUCCEEDED/1'));
      expect(steps(results), transport).toEqual(['PENDING/0', 'IN_FLIGHT/0', 'SUCCEEDED/1']);
      const ids = new Set(results.map((r) => r.data?.invocationUpdated.id));
      expect(ids.size, transport).toBe(1);
      expect(invocationIds).toContain([...ids][0]);
      expect(results.map((r) => r.data?.invocationUpdated.webhookId)).toEqual([target, target, target]);
      expect(results.at(-1)?.data?.invocationUpdated.lastAttempt, transport).toMatchObject({
        number: 1,
        success: true,
      });
      expect(JSON.stringify(results)).not.toContain(sibling);
      await sub.close();
    }
  });

  test.concurrent('retries: each attempt is an update (RETRYING), then FAILED', async () => {
    const { accountId, token } = await live.account();
    const route = live.routes.route((_req, res) => json(res, 503, { busy: true }));
    const flowId = flow();
    const webhookId = await live.createWebhook(token, {
      url: route.url(),
      filters: { accessFlowIds: [flowId] },
    });
    const subs = await both(token, webhookId);
    await live.subscribed(accountId, 2);

    await live.publish(token, flowId);
    for (const [transport, sub] of subs) {
      const results = await sub.waitFor((r) => steps(r).includes('FAILED/3'));
      expect(steps(results), transport).toEqual([
        'PENDING/0',
        'IN_FLIGHT/0',
        'RETRYING/1',
        'IN_FLIGHT/1',
        'RETRYING/2',
        'IN_FLIGHT/2',
        'FAILED/3',
      ]);
      const retrying = results.map((r) => r.data?.invocationUpdated).filter((u) => u?.status === 'RETRYING');
      for (const [n, u] of retrying.entries()) {
        expect(u?.lastAttempt).toMatchObject({
          number: n + 1,
          success: false,
          response: { statusCode: 503 },
        });
        expect(u?.nextAttemptAt).toEqual(expect.any(String));
      }
      expect(results.at(-1)?.data?.invocationUpdated.lastAttempt?.error?.code).toBe('HTTP_STATUS');
      await sub.close();
    }
  });

  test.concurrent("scoped to the caller's account: another account's webhookId yields nothing", async () => {
    const a = await live.account();
    const b = await live.account();
    const route = live.routes.route();
    const ofA = await live.createWebhook(a.token, { url: route.url() });
    const ofB = await live.createWebhook(b.token, { url: route.url() });
    const client = ws(a.token);
    const aAskingForB = wsSubscribe(client, InvocationUpdated, { webhookId: ofB });
    const aAll = wsSubscribe(client, InvocationUpdated, {});
    const bAll = await sseSubscribe(live.base, b.token, InvocationUpdated, {});
    await live.subscribed(a.accountId, 2);
    await live.subscribed(b.accountId, 1);

    await live.testWebhook(b.token, ofB);
    await bAll.waitFor((r) => r.length >= 2);
    // Then a's own update: once it has arrived, anything of b's would have arrived before it.
    const mine = await live.testWebhook(a.token, ofA);
    const seen = await aAll.waitFor((r) => r.length >= 2);
    expect(steps(seen)).toEqual(['IN_FLIGHT/0', 'SUCCEEDED/1']);
    expect(seen.every((r) => r.data?.invocationUpdated.id === mine.invocationId)).toBe(true);
    expect(aAskingForB.results).toEqual([]);
    expect(bAll.results.every((r) => r.data?.invocationUpdated.webhookId === ofB)).toBe(true);
    await Promise.all([aAskingForB.close(), aAll.close(), bAll.close()]);
  });

  test.concurrent('a webhookId that is not a webhook id is a client error', async () => {
    const { token } = await live.account();
    const sub = wsSubscribe(ws(token), InvocationUpdated, { webhookId: 'inv_0000000000000000000000' });
    const results = await sub.waitFor((r) => r.length >= 1);
    expect(results[0]?.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/not a webhook id/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(await sub.ended).toEqual({});
  });
});

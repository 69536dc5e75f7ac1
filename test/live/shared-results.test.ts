import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { graphql } from '../gql/index.js';
import { type ResultPayload, sseSubscribe, steps, wsClient, wsSubscribe } from './clients.js';
import { type LiveApp, startLiveApp } from './live-app.js';
import { InvocationUpdated } from './operations.js';

const InvocationStatusOnly = graphql(`
  subscription InvocationStatusOnly {
    invocationUpdated { id status }
  }
`);

/**
 * Subscribers asking the same thing share one execution per update
 * (src/server/shared-subscription-results.ts): each must still get exactly what it asked for, and
 * only its own account's updates.
 */
describe('shared subscription results', () => {
  let live: LiveApp;
  const clients: Client[] = [];
  beforeAll(async () => {
    live = await startLiveApp('sqlite', 'in-process');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await live?.close();
  });

  const ws = (token: string) => {
    const client = wsClient(live.base, token);
    clients.push(client);
    return client;
  };

  test('same operation: equal results; other selections, variables, roles and accounts: their own', async () => {
    const { accountId, token } = await live.account();
    const viewer = await live.t.newKey('VIEWER', accountId);
    const other = await live.account();
    const route = live.routes.route();
    const webhookId = await live.createWebhook(token, { url: route.url() });
    const otherWebhookId = await live.createWebhook(token, { url: route.url() });

    const admin = ws(token);
    const same1 = wsSubscribe(admin, InvocationUpdated, {});
    const same2 = wsSubscribe(ws(token), InvocationUpdated, {});
    const sse = await sseSubscribe(live.base, token, InvocationUpdated, {});
    const narrow = wsSubscribe(admin, InvocationStatusOnly, {});
    const filtered = wsSubscribe(admin, InvocationUpdated, { webhookId: otherWebhookId });
    const asViewer = wsSubscribe(ws(viewer.token), InvocationUpdated, {});
    const elsewhere = wsSubscribe(ws(other.token), InvocationUpdated, {});
    await live.subscribed(accountId, 6);
    await live.subscribed(other.accountId, 1);

    const tested = await live.testWebhook(token, webhookId);
    expect(tested.success).toBe(true);
    const done = (r: ResultPayload<unknown>[]) => JSON.stringify(r).includes('SUCCEEDED');
    const first = await same1.waitFor(done);
    expect(steps(first)).toEqual(['IN_FLIGHT/0', 'SUCCEEDED/1']);
    expect(first.at(-1)?.data?.invocationUpdated).toMatchObject({
      id: tested.invocationId,
      webhookId,
      lastAttempt: { number: 1, success: true, response: { statusCode: 200 } },
    });
    for (const sub of [same2, sse, asViewer]) expect(await sub.waitFor(done)).toEqual(first);

    const narrowed = await narrow.waitFor(done);
    expect(narrowed.map((r) => r.data?.invocationUpdated)).toEqual([
      { id: tested.invocationId, status: 'IN_FLIGHT' },
      { id: tested.invocationId, status: 'SUCCEEDED' },
    ]);

    // Another webhook's invocation, then: the filtered subscriber sees it alone.
    const second = await live.testWebhook(token, otherWebhookId);
    const onlyOther = await filtered.waitFor(done);
    expect(onlyOther.map((r) => r.data?.invocationUpdated.id)).toEqual([
      second.invocationId,
      second.invocationId,
    ]);
    await same1.waitFor((r) => r.length === 4);
    expect(elsewhere.results).toEqual([]);
    for (const sub of [same1, same2, sse, narrow, filtered, asViewer, elsewhere]) await sub.close();
  });
});

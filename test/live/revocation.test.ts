import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { graphql } from '../gql/index.js';
import { sseSubscribe, wsClient, wsSubscribe } from './clients.js';
import { type LiveApp, startLiveApp } from './live-app.js';
import { InvocationUpdated } from './operations.js';

const RevokeKey = graphql(`
  mutation RevokeKey($id: ID!) {
    revokeApiKey(id: $id) { __typename ... on RevokeApiKeySuccess { apiKey { id revokedAt } } }
  }
`);

/** Revoking a key ends its open subscriptions at once, over both transports. */
describe('revoking an API key', () => {
  let live: LiveApp;
  beforeAll(async () => {
    live = await startLiveApp('sqlite', 'in-process');
  });
  afterAll(async () => {
    await live?.close();
  });

  test('ends its SSE and graphql-ws subscriptions, and only its own', async () => {
    const { t, base } = live;
    const doomed = await t.newKey('VIEWER');
    const kept = await t.newKey('VIEWER');
    const sse = await sseSubscribe(base, doomed.token, InvocationUpdated, {});
    const client = wsClient(base, doomed.token);
    const ws = wsSubscribe(client, InvocationUpdated, {});
    const other = await sseSubscribe(base, kept.token, InvocationUpdated, {});
    await live.subscribed(t.accountId, 3);

    const res = await t.gql(RevokeKey, { id: doomed.id });
    expect(res.data?.revokeApiKey).toMatchObject({
      __typename: 'RevokeApiKeySuccess',
      apiKey: { id: doomed.id },
    });

    // Nothing but the revocation can end them (the clients stay open, the server ends no stream by
    // itself), so the wait is for that event; the test's timeout bounds it.
    await sse.ended;
    await ws.ended;
    // The other key's subscription is still attached, and still gets what happens after the revocation.
    await live.subscribed(t.accountId, 1);
    let otherEnded = false;
    void other.ended.then(() => {
      otherEnded = true;
    });
    const webhookId = await live.createWebhook(t.token, { url: live.routes.route().url() });
    const { invocationId } = await live.testWebhook(t.token, webhookId);
    await other.waitFor((updates) => updates.some((u) => u.data?.invocationUpdated.id === invocationId));
    expect(otherEnded).toBe(false);
    await other.close();
    await client.dispose();
  });
});

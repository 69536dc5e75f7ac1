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

    const timeout = (ms: number) =>
      new Promise((_, reject) => setTimeout(() => reject(new Error('still open')), ms));
    await Promise.race([sse.ended, timeout(2_000)]);
    await Promise.race([ws.ended, timeout(2_000)]);
    // The other key's subscription is still attached.
    await live.subscribed(t.accountId, 1);
    let otherEnded = false;
    void other.ended.then(() => {
      otherEnded = true;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(otherEnded).toBe(false);
    await other.close();
    await client.dispose();
  });
});

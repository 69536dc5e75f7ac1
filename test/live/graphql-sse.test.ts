import { print } from 'graphql';
import { type Client, createClient } from 'graphql-sse';
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RateLimiter, useApiKeyAuth } from '../../src/server/auth.js';
import { useSingleConnectionSse } from '../../src/server/sse.js';
import type { InvocationUpdatedSubscription } from '../gql/graphql.js';
import { eventually, json } from '../support/routes.js';
import { type ResultPayload, steps } from './clients.js';
import { flow, type LiveApp, startLiveApp } from './live-app.js';
import { InvocationUpdated } from './operations.js';

/**
 * invocationUpdated through the graphql-sse client (the reference client of the GraphQL over SSE
 * protocol), in both of its modes on /graphql: distinct connections (one event stream per operation,
 * yoga's built-in SSE) and single connection (one stream for every operation, reserved with PUT;
 * yoga's graphql-sse plugin).
 */

const MODES = [
  ['distinct connections', false],
  ['single connection', true],
] as const;

type Result = ResultPayload<InvocationUpdatedSubscription>;

describe('graphql-sse client', () => {
  let live: LiveApp;
  const clients: Client[] = [];
  beforeAll(async () => {
    live = await startLiveApp('sqlite', 'in-process');
  });
  afterAll(async () => {
    for (const client of clients) client.dispose();
    await live?.close();
  });

  function sseClient(token: string, singleConnection: boolean): Client {
    const client = createClient({
      url: `${live.base}/graphql`,
      singleConnection,
      headers: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      onMessage: () => {},
    });
    clients.push(client);
    return client;
  }

  /** Collects a subscription's results; `until` resolves once they satisfy the check. */
  function subscribe(client: Client, webhookId: string) {
    const results: Result[] = [];
    const waiters = new Set<() => void>();
    let failure: unknown = null;
    const dispose = client.subscribe<InvocationUpdatedSubscription>(
      { query: print(InvocationUpdated), variables: { webhookId } },
      {
        next: (value) => {
          results.push(value as Result);
          for (const wake of waiters) wake();
        },
        error: (error) => {
          failure = error;
          for (const wake of waiters) wake();
        },
        complete: () => {},
      },
    );
    const until = (check: (r: Result[]) => boolean) =>
      new Promise<Result[]>((resolve, reject) => {
        const wake = () => {
          if (failure) reject(failure);
          else if (check(results)) resolve(results);
          else return;
          waiters.delete(wake);
        };
        waiters.add(wake);
        wake();
      });
    return { results, until, dispose };
  }

  test.concurrent.for(MODES)('%s: a delivery, PENDING → IN_FLIGHT → SUCCEEDED', async ([, single]) => {
    const { accountId, token } = await live.account();
    const route = live.routes.route();
    const flowId = flow();
    const webhookId = await live.createWebhook(token, {
      url: route.url(),
      filters: { accessFlowIds: [flowId] },
    });
    const sub = subscribe(sseClient(token, single), webhookId);
    await live.subscribed(accountId, 1);

    const { invocationIds } = await live.publish(token, flowId);
    const results = await sub.until((r) => steps(r).includes('SUCCEEDED/1'));
    expect(steps(results)).toEqual(['PENDING/0', 'IN_FLIGHT/0', 'SUCCEEDED/1']);
    expect(results.map((r) => r.data?.invocationUpdated.id)).toEqual(Array(3).fill(invocationIds[0]));
    expect(results.at(-1)?.data?.invocationUpdated.lastAttempt).toMatchObject({
      number: 1,
      success: true,
      response: { statusCode: 200 },
    });
    sub.dispose();
  });

  test.concurrent.for(MODES)('%s: retries, every attempt, then FAILED', async ([, single]) => {
    const { accountId, token } = await live.account();
    const route = live.routes.route((_req, res) => json(res, 503, { busy: true }));
    const flowId = flow();
    const webhookId = await live.createWebhook(token, {
      url: route.url(),
      filters: { accessFlowIds: [flowId] },
    });
    const sub = subscribe(sseClient(token, single), webhookId);
    await live.subscribed(accountId, 1);

    await live.publish(token, flowId);
    const results = await sub.until((r) => steps(r).includes('FAILED/3'));
    expect(steps(results)).toEqual([
      'PENDING/0',
      'IN_FLIGHT/0',
      'RETRYING/1',
      'IN_FLIGHT/1',
      'RETRYING/2',
      'IN_FLIGHT/2',
      'FAILED/3',
    ]);
    sub.dispose();
  });

  test.concurrent('single connection: two subscriptions and a query share one stream', async () => {
    const { accountId, token } = await live.account();
    const route = live.routes.route();
    const client = sseClient(token, true);
    const w1 = await live.createWebhook(token, { url: route.url() });
    const w2 = await live.createWebhook(token, { url: route.url() });
    const [s1, s2] = [subscribe(client, w1), subscribe(client, w2)];
    await live.subscribed(accountId, 2);

    const viewer = await new Promise<unknown>((resolve, reject) => {
      let value: unknown;
      client.subscribe(
        { query: '{ viewer { role } }' },
        { next: (v) => (value = v), error: reject, complete: () => resolve(value) },
      );
    });
    expect(viewer).toEqual({ data: { viewer: { role: 'ADMIN' } } });

    const [t1, t2] = [await live.testWebhook(token, w1), await live.testWebhook(token, w2)];
    for (const [sub, tested] of [
      [s1, t1],
      [s2, t2],
    ] as const) {
      const results = await sub.until((r) => steps(r).includes('SUCCEEDED/1'));
      expect(steps(results)).toEqual(['IN_FLIGHT/0', 'SUCCEEDED/1']);
      expect(results.every((r) => r.data?.invocationUpdated.id === tested.invocationId)).toBe(true);
      sub.dispose();
    }
  });

  test.concurrent('single connection: a stream token is its API key’s alone; no key, no stream', async () => {
    const a = await live.account();
    const b = await live.account();
    const reserve = await fetch(`${live.base}/graphql`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect(reserve.status).toBe(201);
    const token = await reserve.text();

    const asB = await fetch(`${live.base}/graphql`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${b.token}`,
        'content-type': 'application/json',
        'x-graphql-event-stream-token': token,
      },
      body: JSON.stringify({ query: '{ viewer { accountId } }', extensions: { operationId: '1' } }),
    });
    expect(asB.status).toBe(404);
    const streamAsB = await fetch(`${live.base}/graphql?token=${encodeURIComponent(token)}`, {
      headers: { authorization: `Bearer ${b.token}`, accept: 'text/event-stream' },
    });
    expect(streamAsB.status).toBe(404);
    await streamAsB.body?.cancel();

    const anonymous = await fetch(`${live.base}/graphql`, { method: 'PUT' });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });
});

test.concurrent('single connection: a reservation nobody opens is dropped after reservationMs', async () => {
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { hello: String }',
      resolvers: { Query: { hello: () => 'hi' } },
    }),
    plugins: [
      useApiKeyAuth({
        authenticate: async () => ({ accountId: 'acct_test', role: 'ADMIN', apiKeyId: 'key_test' }),
        limiter: new RateLimiter(1_000_000),
        graphqlPath: '/graphql',
      }),
      useSingleConnectionSse('/graphql', { reservationMs: 50 }),
    ],
  });
  const authorization = 'Bearer whk_anything';
  const reserved = await yoga.fetch('http://test/graphql', { method: 'PUT', headers: { authorization } });
  expect(reserved.status).toBe(201);
  const token = await reserved.text();
  let operation = 0;
  const post = () =>
    yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json', 'x-graphql-event-stream-token': token },
      body: JSON.stringify({ query: '{ hello }', extensions: { operationId: String(++operation) } }),
    });
  // Reserved: an operation is accepted onto the stream, to be flushed when it opens.
  expect((await post()).status).toBe(202);
  // Then, unopened, the reservation goes: the same request finds no stream.
  await eventually(async () => (await post()).status === 404);
});

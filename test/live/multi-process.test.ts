import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { afterAll, expect, inject, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import { channelOf } from '../../src/live/invocation-feed.js';
import { cleanupProcesses, graphqlData, startServer, stop } from '../support/process.js';
import { eventually, type Routes, startRoutes } from '../support/routes.js';
import { testCa } from '../support/tls.js';
import { redisCounts, sseSubscribe, steps, wsClient, wsSubscribe } from './clients.js';
import { InvocationUpdated } from './operations.js';

/**
 * Two real server processes sharing one MongoDB and one Redis: an `api` process (no dispatcher)
 * and a `worker` process. A subscriber connected to the api process sees the updates the worker
 * made while delivering, through Redis.
 */

afterAll(cleanupProcesses);

const gql = graphqlData;

/** The names of a process's Redis connections and the channels each holds (CLIENT LIST). */
async function redisClientsOf(pid: number): Promise<{ name: string; sub: number }[]> {
  const redis = new Redis(inject('redisUrl'));
  try {
    const list = (await redis.call('CLIENT', 'LIST')) as string;
    return list
      .split('\n')
      .map((line) => ({
        name: /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '',
        sub: Number(/ sub=(\d+)/.exec(line)?.[1]),
      }))
      .filter((c) => c.name.startsWith('access-webhooks:') && c.name.split(':')[2] === String(pid))
      .sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    redis.disconnect();
  }
}

test('a subscriber on the api process receives the updates a worker process made', {
  timeout: 90_000,
}, async ({ onTestFinished }) => {
  const routes: Routes = await startRoutes();
  onTestFinished(() => routes.close());
  const route = routes.route();
  const dbName = `wh_test_${inject('runId')}_live_${randomBytes(3).toString('hex')}`;
  onTestFinished(async () => {
    const client = new MongoClient(inject('mongodbUri'));
    await client.db(dbName).dropDatabase();
    await client.close();
  });
  const env = {
    MONGODB_URI: inject('mongodbUri'),
    MONGODB_DB: dbName,
    REDIS_URL: inject('redisUrl'),
    SECRETS_KEY: randomBytes(32).toString('base64'),
    DISPATCH_ALLOWED_CIDRS: '127.0.0.0/8',
    DISPATCH_RESOLVE: `${routes.receiver.host}:443=127.0.0.1:${routes.receiver.port}`,
    DISPATCH_CA_FILE: testCa().caFile,
    DISPATCH_POLL_INTERVAL: '100ms',
  };
  // One after the other: the first creates the admin key (BOOTSTRAP_ADMIN_KEY), the second finds it.
  const api = await startServer({ ...env, ROLE: 'api' }, onTestFinished);
  const worker = await startServer({ ...env, ROLE: 'worker' }, onTestFinished);

  const { viewer } = await gql<{ viewer: { accountId: string } }>(api, '{ viewer { accountId } }');
  const flowId = `flow_${randomBytes(4).toString('hex')}`;
  const created = await gql<{ createWebhook: { webhook: { id: string } } }>(
    api,
    `mutation($url: String!, $flow: String!) { createWebhook(input: {
      name: "live across processes", url: $url, triggers: [REQUEST_CREATED],
      filters: { accessFlowIds: [$flow] }, bodyTemplate: "{\\"id\\": \\"{{ data.id }}\\"}"
    }) { ... on CreateWebhookSuccess { webhook { id } } ... on Error { message } } }`,
    { url: route.url(), flow: flowId },
  );
  const webhookId = created.createWebhook.webhook.id;

  const client = wsClient(api.url, api.token);
  onTestFinished(() => client.dispose());
  const overWs = wsSubscribe(client, InvocationUpdated, { webhookId });
  const overSse = await sseSubscribe(api.url, api.token, InvocationUpdated, { webhookId });
  onTestFinished(() => overSse.close());
  // The api process has subscribed to the account's channel in Redis.
  await eventually(
    async () => (await redisCounts(inject('redisUrl'), channelOf(viewer.accountId))).numsub === 1,
  );

  const event = sampleEvent('RequestCreated');
  event.data.access_flow = { id: flowId, name: 'Flow under test' };
  const published = await gql<{ publishEvent: { invocations: { id: string }[] } }>(
    api,
    'mutation($e: JSON!) { publishEvent(event: $e) { ... on PublishEventSuccess { invocations { id } } } }',
    { e: event },
  );
  const invocationId = published.publishEvent.invocations[0]?.id as string;

  for (const [transport, sub] of [
    ['graphql-ws', overWs],
    ['SSE', overSse],
  ] as const) {
    const results = await sub.waitFor((r) => steps(r).includes('SUCCEEDED/1'), 20_000);
    // PENDING from the api process's fan-out; IN_FLIGHT and SUCCEEDED from the worker, via Redis.
    expect(steps(results), transport).toEqual(['PENDING/0', 'IN_FLIGHT/0', 'SUCCEEDED/1']);
    expect(new Set(results.map((r) => r.data?.invocationUpdated.id)), transport).toEqual(
      new Set([invocationId]),
    );
    expect(results.at(-1)?.data?.invocationUpdated.lastAttempt, transport).toMatchObject({
      success: true,
      response: { statusCode: 200 },
    });
  }
  expect(route.requests()).toHaveLength(1);

  // At most two Redis connections per process, whatever the subscribers: the api's subscriber holds
  // the one channel its two GraphQL subscriptions need; the worker, with no subscriber, only publishes.
  const apiPid = api.child.pid as number;
  const workerPid = worker.child.pid as number;
  expect((await redisClientsOf(apiPid)).map((c) => [c.name.split(':')[1], c.sub])).toEqual([
    ['pub', 0],
    ['sub', 1],
  ]);
  expect((await redisClientsOf(workerPid)).map((c) => [c.name.split(':')[1], c.sub])).toEqual([['pub', 0]]);

  // A clean shutdown quits both connections.
  expect(await stop(worker)).toEqual({ code: 0, signal: null });
  await eventually(async () => (await redisClientsOf(workerPid)).length === 0);
});

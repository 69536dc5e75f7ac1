import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { type AccessEvent, sampleEvent } from '../../src/domain/event.js';
import {
  cleanupProcesses,
  graphqlData,
  type OnFinished,
  type Server,
  startServer,
  tempDataDir,
} from '../support/process.js';
import type { ReceivedRequest } from '../support/receiver.js';
import { eventually, json, loopbackEnv, type Routes, startRoutes } from '../support/routes.js';
import { STORE_KINDS, type StoreKind } from '../support/stores.js';

/**
 * Delivery controls across processes: an `api` process and two `worker` processes share one store
 * (a SQLite file, or a MongoDB database); FIFO webhooks must see their events in publish order with
 * one delivery in flight at a time, and rate-limited ones no more than their limit, whichever worker
 * delivers.
 */

afterAll(cleanupProcesses);

const gql = graphqlData;

async function startCluster(kind: StoreKind, routes: Routes, onTestFinished: OnFinished) {
  const env: Record<string, string> = {
    ...loopbackEnv(routes),
    SECRETS_KEY: randomBytes(32).toString('base64'),
    DISPATCH_POLL_INTERVAL: '100ms',
  };
  if (kind === 'sqlite') env.DATA_DIR = tempDataDir();
  else {
    const dbName = `wh_test_${inject('runId')}_ctl_${randomBytes(3).toString('hex')}`;
    env.MONGODB_URI = inject('mongodbUri');
    env.MONGODB_DB = dbName;
    onTestFinished(async () => {
      const client = new MongoClient(inject('mongodbUri'));
      await client.db(dbName).dropDatabase();
      await client.close();
    });
  }
  // One after the other: the first creates the admin key, the others find it.
  const api = await startServer({ ...env, ROLE: 'api' }, onTestFinished);
  const workers = [
    await startServer({ ...env, ROLE: 'worker' }, onTestFinished),
    await startServer({ ...env, ROLE: 'worker' }, onTestFinished),
  ];
  return { api, workers };
}

async function createWebhook(api: Server, input: Record<string, unknown>): Promise<string> {
  const data = await gql<{ createWebhook: { webhook?: { id: string }; message?: string } }>(
    api,
    `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) {
      ... on CreateWebhookSuccess { webhook { id } } ... on Error { message } } }`,
    {
      input: {
        name: `controls ${randomBytes(4).toString('hex')}`,
        triggers: ['REQUEST_CREATED'],
        bodyTemplate: '{"id": "{{ data.id }}"}',
        ...input,
      },
    },
  );
  if (!data.createWebhook.webhook) throw new Error(data.createWebhook.message);
  return data.createWebhook.webhook.id;
}

function events(flowId: string, count: number, prefix: string): AccessEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const e = sampleEvent('RequestCreated');
    e.data.id = `${prefix}_${String(i).padStart(3, '0')}`;
    e.data.access_flow = { id: flowId, name: 'Flow under test' };
    return e;
  });
}

async function publish(api: Server, batch: AccessEvent[]) {
  for (let i = 0; i < batch.length; i += 10) {
    await gql(
      api,
      'mutation($events: [PublishEventInput!]!) { publishEvents(events: $events) { __typename } }',
      {
        events: batch.slice(i, i + 10).map((event) => ({ event })),
      },
    );
  }
}

const idOf = (r: ReceivedRequest) => (JSON.parse(r.body) as { id: string }).id;

describe.each(STORE_KINDS)('delivery controls across processes on %s', (kind) => {
  test('FIFO: one delivery in flight, in publish order, a failing one holding the rest until it succeeds or is exhausted', {
    timeout: 120_000,
  }, async ({ onTestFinished }) => {
    const routes = await startRoutes();
    onTestFinished(() => routes.close());
    const { api } = await startCluster(kind, routes, onTestFinished);
    const count = kind === 'sqlite' ? 24 : 10;
    const attempts = new Map<string, number>();
    let inFlight = 0;
    let maxInFlight = 0;
    const answered: { id: string; status: number }[] = [];
    // Every third event fails its first attempt; event 004 always fails (runs out of retries).
    const route = routes.route(async (req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const id = idOf(req);
      const n = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, n);
      const index = Number(id.split('_').at(-1));
      const fail = id.endsWith('_004') || (index % 3 === 0 && n === 1);
      // Answering a little later lets an overlapping delivery (if any) show up as in flight.
      await new Promise((r) => setTimeout(r, 15));
      inFlight--;
      answered.push({ id, status: fail ? 503 : 200 });
      json(res, fail ? 503 : 200, { ok: !fail });
    });
    const flowId = `flow_${randomBytes(4).toString('hex')}`;
    const webhookId = await createWebhook(api, {
      url: route.url(),
      ordering: 'FIFO',
      retrySchedule: [0, 0],
      filters: { accessFlowIds: [flowId] },
    });
    const batch = events(flowId, count, 'fifo');
    await publish(api, batch);
    // Every event ends: delivered, or (004) failed after its 3 attempts.
    await eventually(async () => answered.filter((a) => a.status === 200).length === count - 1, 90_000);
    expect(maxInFlight).toBe(1);
    // Order: no event is sent before every attempt of the one before it has been answered.
    const first = (id: string) => answered.findIndex((a) => a.id === id);
    const last = (id: string) => answered.findLastIndex((a) => a.id === id);
    const ids = batch.map((e) => e.data.id);
    for (let i = 1; i < ids.length; i++) {
      const [before, after] = [ids[i - 1] as string, ids[i] as string];
      expect(
        first(after),
        `${after} was sent before ${before} finished: ${answered.map((a) => `${a.id}:${a.status}`).join(' ')}`,
      ).toBeGreaterThan(last(before));
    }
    expect(answered.filter((a) => a.status === 200).map((a) => a.id)).toEqual(
      ids.filter((id) => !id.endsWith('_004')),
    );
    expect(attempts.get('fifo_004')).toBe(3);

    // The log shows why each waited: the one after the exhausted one waited for it.
    const log = await gql<{
      webhook: {
        invocations: {
          edges: { node: { id: string; eventId: string; status: string; waitedFor: string | null } }[];
        };
      };
    }>(
      api,
      'query($id: ID!) { webhook(id: $id) { invocations(first: 100) { edges { node { id eventId status waitedFor } } } } }',
      { id: webhookId },
    );
    const nodes = log.webhook.invocations.edges.map((e) => e.node).reverse();
    expect(nodes).toHaveLength(count);
    expect(nodes[4]?.status).toBe('FAILED');
    expect(nodes[5]?.waitedFor).toBe(nodes[4]?.id);
    expect(nodes.slice(1).every((n, i) => n.waitedFor === nodes[i]?.id)).toBe(true);
  });

  test('rate limit: deliveries stay within count per window across two workers; throttled ones wait, not fail', {
    timeout: 120_000,
  }, async ({ onTestFinished }) => {
    const routes = await startRoutes();
    onTestFinished(() => routes.close());
    const { api } = await startCluster(kind, routes, onTestFinished);
    const route = routes.route();
    const flowId = `flow_${randomBytes(4).toString('hex')}`;
    const limit = kind === 'sqlite' ? 10 : 4;
    const count = limit * 4;
    const webhookId = await createWebhook(api, {
      url: route.url(),
      rateLimit: { count: limit, perSeconds: 1 },
      filters: { accessFlowIds: [flowId] },
    });
    await publish(api, events(flowId, count, 'rate'));
    const received = await route.waitFor(count, 90_000);
    expect(received).toHaveLength(count);
    // Throttled invocations waited: every one succeeded at its first and only attempt.
    type Log = {
      webhook: { invocations: { edges: { node: { status: string; attempts: { startedAt: string }[] } }[] } };
    };
    const log = await eventually(async () => {
      const read = await gql<Log>(
        api,
        'query($id: ID!) { webhook(id: $id) { invocations(first: 100) { edges { node { status attempts { startedAt } } } } } }',
        { id: webhookId },
      );
      return read.webhook.invocations.edges.every((e) => e.node.status === 'SUCCEEDED') ? read : undefined;
    });
    const nodes = log.webhook.invocations.edges.map((e) => e.node);
    expect(nodes.map((n) => n.attempts.length)).toEqual(Array(count).fill(1));
    // When each delivery left, by the servers' clock (the receiver's clock is the test process's,
    // which a loaded machine can hold up long enough to bunch arrivals): per window of a second, at
    // most the limit, give or take those that left past the end of the window whose slot they took
    // (rendering comes between; on a loaded machine, or FerretDB, that takes a while): never the
    // whole run at once, and the whole run spread over the windows it needs.
    const starts = nodes.map((n) => Date.parse(n.attempts[0]?.startedAt ?? ''));
    const perWindow = new Map<number, number>();
    for (const at of starts)
      perWindow.set(Math.floor(at / 1000), (perWindow.get(Math.floor(at / 1000)) ?? 0) + 1);
    for (const n of perWindow.values()) expect(n).toBeLessThanOrEqual(2 * limit);
    expect(perWindow.size).toBeGreaterThanOrEqual(count / limit);
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThan((count / limit - 2) * 1000);
  });
});

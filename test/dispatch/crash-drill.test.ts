import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import { cleanupProcesses, graphqlData, startServer, tempDataDir } from '../support/process.js';
import { type Receiver, startReceiver } from '../support/receiver.js';
import { json } from '../support/routes.js';
import { isFerretDb, STORE_KINDS } from '../support/stores.js';
import { testCa } from '../support/tls.js';

/**
 * The crash drill: an api process and a worker process share a store; the worker is killed with
 * SIGKILL in the middle of 2,000 deliveries and started again. Every invocation must end SUCCEEDED
 * and every event must reach the receiver at least once.
 */

/**
 * 2,000 deliveries. FerretDB 1.24 (the MongoDB-wire server the tests start when MONGODB_URI is not
 * set) spends about 30 ms on every write, which would make 2,000 deliveries take minutes; on it the
 * drill runs 100. A real MongoDB given by MONGODB_URI runs the full 2,000.
 */
const FULL_DRILL = 2_000;
const FERRETDB_DRILL = 100;

afterAll(cleanupProcesses);

const gql = graphqlData;

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(STORE_KINDS)('crash drill on %s', (kind) => {
  test('a worker killed with SIGKILL mid-delivery, then restarted, loses nothing', {
    timeout: 240_000,
  }, async ({ onTestFinished }) => {
    const EVENTS = kind === 'mongodb' && (await isFerretDb()) ? FERRETDB_DRILL : FULL_DRILL;
    const received = new Map<string, number>();
    const receiver: Receiver = await startReceiver({
      handler: async (req, res) => {
        const id = (JSON.parse(req.body) as { id: string }).id;
        received.set(id, (received.get(id) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 5));
        json(res, 200, { ok: true });
      },
    });
    onTestFinished(() => receiver.close());
    const total = () => [...received.values()].reduce((a, b) => a + b, 0);

    const store: Record<string, string> =
      kind === 'sqlite'
        ? { DATA_DIR: tempDataDir() }
        : { MONGODB_URI: inject('mongodbUri'), MONGODB_DB: `wh_test_${inject('runId')}_crash` };
    if (kind === 'mongodb') {
      onTestFinished(async () => {
        const client = new MongoClient(inject('mongodbUri'));
        await client.db(store.MONGODB_DB).dropDatabase();
        await client.close();
      });
    }
    const env = {
      ...store,
      SECRETS_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'info',
      DISPATCH_ALLOWED_CIDRS: '127.0.0.0/8',
      DISPATCH_RESOLVE: `${receiver.host}:443=127.0.0.1:${receiver.port}`,
      DISPATCH_CA_FILE: testCa().caFile,
      DISPATCH_CONCURRENCY: '16',
      DISPATCH_LEASE_TIMEOUT: '2s',
      DISPATCH_POLL_INTERVAL: '100ms',
      DISPATCH_RETRY_SCHEDULE: '0,200ms,500ms,1s,2s',
    };
    const api = await startServer({ ...env, ROLE: 'api' }, onTestFinished);
    const worker = await startServer({ ...env, ROLE: 'worker' }, onTestFinished);

    const created = await gql<{ createWebhook: { webhook: { id: string } } }>(
      api,
      `mutation($url: String!) { createWebhook(input: {
        name: "crash drill", url: $url, triggers: [REQUEST_CREATED],
        bodyTemplate: "{\\"id\\": \\"{{ data.id }}\\", \\"who\\": \\"{{ data.requester.name }}\\"}"
      }) { ... on CreateWebhookSuccess { webhook { id } } ... on Error { message } } }`,
      { url: receiver.url('/drill') },
    );
    const webhookId = created.createWebhook.webhook.id;

    const ids = Array.from({ length: EVENTS }, (_, i) => `req_drill_${i}`);
    const started = Date.now();
    let killedAt = -1;
    const publishing = (async () => {
      for (let i = 0; i < ids.length; i += 50) {
        await Promise.all(
          ids.slice(i, i + 50).map((id) => {
            const event = sampleEvent('RequestCreated');
            event.data.id = id;
            return gql(api, 'mutation($e: JSON!) { publishEvent(event: $e) { __typename } }', { e: event });
          }),
        );
      }
    })();

    // Kill the worker once a fair share has arrived, while deliveries are still in flight.
    await waitUntil(() => total() >= EVENTS / 6, 60_000, 'the first deliveries');
    worker.child.kill('SIGKILL');
    await worker.exited;
    killedAt = total();
    await publishing;
    const restarted = await startServer({ ...env, ROLE: 'worker' }, onTestFinished);

    await waitUntil(() => ids.every((id) => received.has(id)), 120_000, 'every event to arrive');
    const elapsedS = (Date.now() - started) / 1000;
    const remaining = async (status: string) =>
      (
        await gql<{ invocations: { edges: unknown[] } }>(
          api,
          'query($w: ID!, $s: InvocationStatus) { invocations(webhookId: $w, status: $s, first: 1) { edges { cursor } } }',
          { w: webhookId, s: status },
        )
      ).invocations.edges.length;
    await waitUntil(
      async () =>
        (await Promise.all(['PENDING', 'IN_FLIGHT', 'RETRYING', 'FAILED'].map(remaining))).every(
          (n) => n === 0,
        ),
      60_000,
      'every invocation to settle',
    );
    let succeeded = 0;
    let after: string | null = null;
    for (;;) {
      const page: {
        invocations: { edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      } = await gql(
        api,
        `query($w: ID!, $a: String) { invocations(webhookId: $w, status: SUCCEEDED, first: 100, after: $a) {
            edges { cursor } pageInfo { hasNextPage endCursor } } }`,
        { w: webhookId, a: after },
      );
      succeeded += page.invocations.edges.length;
      if (!page.invocations.pageInfo.hasNextPage) break;
      after = page.invocations.pageInfo.endCursor;
    }

    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(EVENTS);
    expect(succeeded).toBe(EVENTS);
    expect(received.size).toBe(EVENTS);
    const duplicates = total() - EVENTS;
    process.stdout.write(
      `[crash drill ${kind}] ${EVENTS} events, worker killed after ${killedAt} deliveries; ` +
        `all delivered in ${elapsedS.toFixed(1)} s (${(EVENTS / elapsedS).toFixed(0)}/s end to end incl. publish and ` +
        `a ${env.DISPATCH_LEASE_TIMEOUT} lease expiry); ${duplicates} redelivered (at-least-once)\n`,
    );
    void restarted;
  });
});

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import { cleanupProcesses, graphql, logEntry, startServer, tempDataDir } from '../support/process.js';
import { startReceiver } from '../support/receiver.js';
import { json } from '../support/routes.js';
import { testCa } from '../support/tls.js';

afterAll(cleanupProcesses);

const EVENTS = 500;

test('SIGTERM during 500 in-flight deliveries: exit 0, no live lease left, everything finished after a restart', {
  timeout: 120_000,
}, async ({ onTestFinished }) => {
  // The receiver holds every delivery until the server is gone (not for a time): whatever is in
  // flight at SIGTERM stays in flight past the drain timeout, however slow the machine is.
  let stopHolding!: () => void;
  const holding = new Promise<void>((resolve) => {
    stopHolding = resolve;
  });
  const received = new Map<string, number>();
  const receiver = await startReceiver({
    handler: async (req, res) => {
      const id = (JSON.parse(req.body) as { id: string }).id;
      received.set(id, (received.get(id) ?? 0) + 1);
      await holding;
      if (!res.destroyed) json(res, 200, { ok: true });
    },
  });
  onTestFinished(() => receiver.close());
  const arrivals = () => [...received.values()].reduce((a, b) => a + b, 0);

  const dataDir = tempDataDir();
  const env = {
    DATA_DIR: dataDir,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    DISPATCH_ALLOWED_CIDRS: '127.0.0.0/8',
    DISPATCH_RESOLVE: `${receiver.host}:443=127.0.0.1:${receiver.port}`,
    DISPATCH_CA_FILE: testCa().caFile,
    DISPATCH_CONCURRENCY: '500',
    DISPATCH_PER_WEBHOOK_CONCURRENCY: '500',
    // Long enough that only the drain, not lease expiry, can explain what a restart picks up.
    DISPATCH_LEASE_TIMEOUT: '10m',
    DISPATCH_POLL_INTERVAL: '100ms',
    DRAIN_TIMEOUT: '500ms',
  };
  const server = await startServer(env, onTestFinished);
  const created = await graphql(
    server,
    `mutation($url: String!) { createWebhook(input: {
      name: "drain", url: $url, triggers: [REQUEST_CREATED], bodyTemplate: "{\\"id\\": \\"{{ data.id }}\\"}"
    }) { __typename } }`,
    { url: receiver.url('/drain') },
  );
  expect(created.data).toEqual({ createWebhook: { __typename: 'CreateWebhookSuccess' } });
  for (let i = 0; i < EVENTS; i += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, j) => {
        const event = sampleEvent('RequestCreated');
        event.data.id = `req_drain_${i + j}`;
        return graphql(server, 'mutation($e: JSON!) { publishEvent(event: $e) { __typename } }', {
          e: event,
        });
      }),
    );
  }
  // Every delivery is held by the receiver: wait until (nearly) all of them are in flight.
  const deadline = Date.now() + 30_000;
  while (arrivals() < EVENTS * 0.9 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(arrivals()).toBeGreaterThanOrEqual(EVENTS * 0.9);

  server.child.kill('SIGTERM');
  expect(await server.exited).toEqual({ code: 0, signal: null });
  const released = logEntry(server.stdout(), 'released unfinished invocations');
  expect(released?.count).toBeGreaterThan(0);

  const db = new Database(join(dataDir, 'webhooks.db'), { readonly: true });
  const live = db
    .prepare("SELECT count(*) AS n FROM invocations WHERE status = 'IN_FLIGHT' AND lease_until > ?")
    .get(Date.now()) as { n: number };
  const unfinished = db
    .prepare("SELECT count(*) AS n FROM invocations WHERE status IN ('PENDING', 'RETRYING')")
    .get() as { n: number };
  db.close();
  expect(live.n).toBe(0);
  // Released claims, plus any invocation not claimed before the signal, wait for the next worker.
  expect(unfinished.n).toBeGreaterThanOrEqual(released?.count as number);

  stopHolding();
  const restarted = await startServer(env, onTestFinished);
  const settled = async () =>
    (
      (await graphql(restarted, '{ invocations(status: SUCCEEDED, first: 1) { edges { cursor } } }')) as {
        data: unknown;
      }
    ).data;
  const end = Date.now() + 60_000;
  for (;;) {
    const db2 = new Database(join(dataDir, 'webhooks.db'), { readonly: true });
    const done = db2.prepare("SELECT count(*) AS n FROM invocations WHERE status = 'SUCCEEDED'").get() as {
      n: number;
    };
    db2.close();
    if (done.n === EVENTS) break;
    if (Date.now() > end) {
      const db3 = new Database(join(dataDir, 'webhooks.db'), { readonly: true });
      const rows = db3
        .prepare(
          "SELECT status, attempt_count, json_extract(doc, '$.attempts[0].error') AS err, count(*) AS n FROM invocations GROUP BY 1,2,3",
        )
        .all();
      db3.close();
      throw new Error(
        `only ${done.n} of ${EVENTS} succeeded after the restart: ${JSON.stringify(rows)} now=${Date.now()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(await settled()).toBeTruthy();
  expect(received.size).toBe(EVENTS);
});

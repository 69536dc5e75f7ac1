import { afterAll, beforeAll, expect, test } from 'vitest';
import { HOUR_MS } from '../../src/domain/health.js';
import type { Invocation } from '../../src/domain/invocation.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { attemptRecord, invocationRecord, webhookInput } from '../support/factories.js';
import { CreateWebhook } from './operations.js';

/** Webhook.health over GraphQL: the app's clock decides the window; `hours` is checked. */

const H = Date.UTC(2026, 4, 20, 9);
let t: TestApp;
beforeAll(async () => {
  // The clock the workers run on, half past H: health reads the same one.
  t = await createTestApp('sqlite', { now: () => H + 30 * 60_000 });
});
afterAll(async () => {
  await t?.close();
});

const HEALTH = `query($id: ID!, $hours: Int) {
  node(id: $id) { ... on Webhook { health(hours: $hours) {
    hours since succeeded failed retrying attempts p50DurationMs p95DurationMs
    buckets { start succeeded failed attempts p95DurationMs }
  } } }
}`;

type Health = Record<string, unknown> & { buckets: Record<string, unknown>[] };

function healthOf(res: Awaited<ReturnType<TestApp['raw']>>): Health {
  const node = res.data?.node as { health: Health } | undefined;
  if (!node) throw new Error(JSON.stringify(res));
  return node.health;
}

async function webhook() {
  const res = await t.gql(CreateWebhook, { input: webhookInput() });
  const created = res.data?.createWebhook;
  if (created?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(res));
  return created.webhook.id;
}

function delivered(webhookId: string, at: number, durationMs: number, success: boolean): Invocation {
  return invocationRecord(t.accountId, webhookId, {
    status: success ? 'SUCCEEDED' : 'FAILED',
    attempts: [attemptRecord(at, durationMs, success, 400)],
    nextAttemptAt: null,
    createdAt: new Date(at),
    completedAt: new Date(at),
  });
}

test.concurrent('the last 24 hours by default, hour by hour, by the clock of the app', async () => {
  const id = await webhook();
  await t.stores.invocations.insertMany([
    delivered(id, H + 60_000, 40, true),
    delivered(id, H + 120_000, 60, true),
    delivered(id, H - 3 * HOUR_MS, 800, false),
    // Before the 24 hours.
    delivered(id, H - 24 * HOUR_MS, 5, true),
  ]);
  const res = await t.raw(HEALTH, { id });
  expect(res.errors).toBeUndefined();
  const health = healthOf(res);
  expect({ ...health, buckets: undefined }).toEqual({
    hours: 24,
    since: new Date(H - 23 * HOUR_MS).toISOString(),
    succeeded: 2,
    failed: 1,
    retrying: 0,
    attempts: 3,
    p50DurationMs: 60,
    p95DurationMs: 800,
    buckets: undefined,
  });
  expect(health.buckets).toHaveLength(24);
  expect(health.buckets[20]).toEqual({
    start: new Date(H - 3 * HOUR_MS).toISOString(),
    succeeded: 0,
    failed: 1,
    attempts: 1,
    p95DurationMs: 800,
  });
  expect(health.buckets[23]).toEqual({
    start: new Date(H).toISOString(),
    succeeded: 2,
    failed: 0,
    attempts: 2,
    p95DurationMs: 60,
  });
  expect(health.buckets[0]).toEqual({
    start: new Date(H - 23 * HOUR_MS).toISOString(),
    succeeded: 0,
    failed: 0,
    attempts: 0,
    p95DurationMs: null,
  });
  const wider = await t.raw(HEALTH, { id, hours: 25 });
  expect(healthOf(wider).succeeded).toBe(3);
});

test.concurrent('hours out of 1 to 168 is refused with a field error naming it', async () => {
  const id = await webhook();
  for (const hours of [0, 169]) {
    const res = await t.raw(HEALTH, { id, hours });
    expect(res.errors?.[0]?.message).toBe('hours: must be a whole number from 1 to 168');
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ path: ['hours'], message: 'must be a whole number from 1 to 168' }],
    });
  }
});

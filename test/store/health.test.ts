import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { durationKey, HOUR_MS, type WebhookHealth } from '../../src/domain/health.js';
import { webhookHealth } from '../../src/domain/health-use-cases.js';
import { newId } from '../../src/domain/ids.js';
import type { AttemptRecord, Invocation, InvocationStatus } from '../../src/domain/invocation.js';
import { openSqliteStores } from '../../src/store/sqlite/index.js';
import { attemptRecord, invocationRecord } from '../support/factories.js';
import { openTestStores, STORE_KINDS, type TestStores, uniqueAccountId } from '../support/stores.js';

/** Webhook health (domain/health.ts) on both stores: the same invocations give the same numbers. */

// The current hour of the injected clock; "now" is half past.
const H = Date.UTC(2026, 2, 10, 12);
const now = () => new Date(H + 30 * 60_000);
const min = (m: number) => H + m * 60_000;

const attempt = (at: number, durationMs: number, success: boolean) => attemptRecord(at, durationMs, success);

function invocation(
  accountId: string,
  webhookId: string,
  status: InvocationStatus,
  attempts: AttemptRecord[],
  at: number,
  overrides: Partial<Invocation> = {},
): Invocation {
  const finished = status === 'SUCCEEDED' || status === 'FAILED';
  const last = attempts.at(-1);
  const done = last ? last.startedAt.getTime() + last.durationMs : at;
  return invocationRecord(accountId, webhookId, {
    status,
    attempts: attempts.map((a, i) => ({ ...a, number: i + 1 })),
    nextAttemptAt: status === 'RETRYING' ? new Date(done + 60_000) : null,
    createdAt: new Date(at),
    updatedAt: new Date(done),
    completedAt: finished ? new Date(done) : null,
    ...overrides,
  });
}

async function health(t: TestStores, accountId: string, webhookId: string, hours?: number) {
  const result = await webhookHealth(
    { invocations: t.stores.invocations, now },
    { accountId },
    webhookId,
    hours,
  );
  if (!result.ok) throw result.error;
  return result.value;
}

/** The buckets with something in them, by hours before the current one. */
function nonEmpty(h: WebhookHealth) {
  return h.buckets
    .filter((b) => b.succeeded || b.failed || b.attempts)
    .map((b) => ({ ago: (H - b.start.getTime()) / HOUR_MS, ...b, start: undefined }));
}

describe.each(STORE_KINDS)('webhook health on %s', (kind) => {
  test.concurrent('counts finished deliveries by the hour they finished and attempts by the hour they started, through every write', async () => {
    const t = await openTestStores(kind);
    try {
      const store = t.stores.invocations;
      const acct = uniqueAccountId();
      const hook = newId('Webhook');

      // Written finished, at once.
      const a = invocation(acct, hook, 'SUCCEEDED', [attempt(min(-115), 12, true)], min(-115));
      const c = invocation(
        acct,
        hook,
        'FAILED',
        [attempt(min(-40), 30, false), attempt(min(-20), 30, false), attempt(min(2), 5000, false)],
        min(-40),
      );
      // Out of the delivery loop without an attempt (its webhook was deleted): a failure, no duration.
      const undeliverable = invocation(acct, hook, 'FAILED', [], min(5));
      const retrying = invocation(acct, hook, 'RETRYING', [attempt(min(3), 250, false)], min(3));
      // Not counted: a test, another webhook's delivery, one still pending.
      const test = invocation(acct, hook, 'SUCCEEDED', [attempt(min(4), 7, true)], min(4), { test: true });
      const other = invocation(acct, newId('Webhook'), 'SUCCEEDED', [attempt(min(1), 9, true)], min(1));
      const pending = invocation(acct, hook, 'PENDING', [], min(6), { nextAttemptAt: new Date(min(6)) });
      // 30 hours ago: outside 24 hours, inside 48.
      const old = invocation(
        acct,
        hook,
        'SUCCEEDED',
        [attempt(H - 30 * HOUR_MS, 40, true)],
        H - 30 * HOUR_MS,
      );
      await store.insertMany([a, c, undeliverable, retrying, test, other, pending, old]);

      // Through a worker's writes: claimed, failed once, claimed again, then delivered.
      const first = attempt(min(-50), 1234, false);
      const b = invocation(acct, hook, 'PENDING', [], min(-50), { nextAttemptAt: new Date(min(-50)) });
      await store.insertMany([b]);
      const leased = { status: 'IN_FLIGHT' as const, leaseOwner: 'w1', leaseUntil: new Date(min(60)) };
      await store.save({ ...b, ...leased });
      const afterFirst: Invocation = {
        ...b,
        status: 'RETRYING',
        attempts: [first],
        nextAttemptAt: new Date(min(0)),
        updatedAt: new Date(min(-49)),
      };
      expect(await store.saveLeased({ ...afterFirst, leaseOwner: null, leaseUntil: null }, 'w1')).toBe(true);
      await store.save({ ...afterFirst, ...leased });
      const second = { ...attempt(min(1), 101, true), number: 2 };
      const delivered: Invocation = {
        ...afterFirst,
        status: 'SUCCEEDED',
        attempts: [first, second],
        nextAttemptAt: null,
        leaseOwner: null,
        leaseUntil: null,
        updatedAt: new Date(min(1)),
        completedAt: new Date(min(1)),
      };
      expect(await store.saveLeased(delivered, 'w1')).toBe(true);
      // A worker whose lease is gone writes nothing, and a save that changes no outcome adds nothing.
      expect(await store.saveLeased({ ...delivered, status: 'FAILED' }, 'w2')).toBe(false);
      await store.save({ ...c, supersededBy: newId('Invocation'), updatedAt: new Date(min(7)) });

      const h = await health(t, acct, hook);
      expect(h.hours).toBe(24);
      expect(h.since).toEqual(new Date(H - 23 * HOUR_MS));
      expect(h.buckets).toHaveLength(24);
      expect(h.buckets.map((x) => x.start.getTime())).toEqual(
        Array.from({ length: 24 }, (_, i) => H - (23 - i) * HOUR_MS),
      );
      expect({ ...h, buckets: undefined, since: undefined }).toEqual({
        hours: 24,
        succeeded: 2,
        failed: 2,
        retrying: 1,
        attempts: 7,
        // 12, 30, 30, 110 (101), 250, 1300 (1234), 5000: ranks 4 and 7.
        p50DurationMs: 110,
        p95DurationMs: 5000,
        buckets: undefined,
        since: undefined,
      });
      expect(nonEmpty(h)).toEqual([
        {
          ago: 2,
          succeeded: 1,
          failed: 0,
          attempts: 1,
          p50DurationMs: 12,
          p95DurationMs: 12,
          start: undefined,
        },
        {
          ago: 1,
          succeeded: 0,
          failed: 0,
          attempts: 3,
          p50DurationMs: 30,
          p95DurationMs: 1300,
          start: undefined,
        },
        {
          ago: 0,
          succeeded: 1,
          failed: 2,
          attempts: 3,
          p50DurationMs: 250,
          p95DurationMs: 5000,
          start: undefined,
        },
      ]);
      const empty = h.buckets[0];
      expect(empty).toMatchObject({
        succeeded: 0,
        failed: 0,
        attempts: 0,
        p50DurationMs: null,
        p95DurationMs: null,
      });

      const two = await health(t, acct, hook, 48);
      expect(two.buckets).toHaveLength(48);
      expect([two.succeeded, two.failed, two.attempts]).toEqual([3, 2, 8]);
      expect(nonEmpty(two)[0]).toMatchObject({ ago: 30, succeeded: 1, attempts: 1, p95DurationMs: 40 });

      // The retrying one is delivered: it leaves `retrying` and counts as succeeded.
      await store.save({ ...retrying, ...leased });
      await store.saveLeased(
        {
          ...retrying,
          status: 'SUCCEEDED',
          attempts: [...retrying.attempts, { ...attempt(min(8), 20, true), number: 2 }],
          nextAttemptAt: null,
          updatedAt: new Date(min(8)),
          completedAt: new Date(min(8)),
        },
        'w1',
      );
      const later = await health(t, acct, hook);
      expect([later.succeeded, later.failed, later.retrying, later.attempts]).toEqual([3, 2, 0, 8]);

      // Retention deletes the 30-hour-old delivery: health follows the log on both stores.
      expect(await store.deleteFinishedBefore(new Date(H - 29 * HOUR_MS), 100)).toBe(1);
      const swept = await health(t, acct, hook, 48);
      expect([swept.succeeded, swept.attempts]).toEqual([3, 8]);
      expect(nonEmpty(swept)[0]?.ago).toBe(2);
    } finally {
      await t.close();
    }
  });

  test.concurrent('durations are counted rounded up to two significant digits', async () => {
    const t = await openTestStores(kind);
    try {
      const acct = uniqueAccountId();
      const hook = newId('Webhook');
      const durations = [
        0, 7, 99, 100, 101, 109, 110, 111, 999, 1000, 1001, 1234, 9999, 10001, 29_999, 123_456,
      ];
      await t.stores.invocations.insertMany(
        durations.map((d) => invocation(acct, hook, 'SUCCEEDED', [attempt(min(1), d, true)], min(1))),
      );
      const rollup = await t.stores.invocations.health(acct, hook, new Date(H), new Date(H + HOUR_MS));
      const counted = rollup.durations
        .flatMap((d) => Array(d.attempts).fill(d.durationMs))
        .sort((x, y) => x - y);
      expect(counted).toEqual(durations.map(durationKey));
      expect(counted).toEqual([
        0, 7, 99, 100, 110, 110, 110, 120, 1000, 1000, 1100, 1300, 10_000, 11_000, 30_000, 130_000,
      ]);
    } finally {
      await t.close();
    }
  });
});

test.concurrent('hours is validated: a field error naming it', async () => {
  const t = await openTestStores('sqlite');
  try {
    for (const hours of [0, 169, 1.5, -3]) {
      const result = await webhookHealth(
        { invocations: t.stores.invocations, now },
        { accountId: 'a' },
        'w',
        hours,
      );
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.error.fieldErrors).toEqual([
          { path: ['hours'], message: 'must be a whole number from 1 to 168' },
        ]);
    }
  } finally {
    await t.close();
  }
});

test.concurrent('a SQLite store opened by this release fills the rollups from the invocations it holds', async () => {
  const t = await openTestStores('sqlite');
  const file = t.location.file as string;
  const acct = uniqueAccountId();
  const hook = newId('Webhook');
  await t.stores.invocations.insertMany([
    invocation(acct, hook, 'SUCCEEDED', [attempt(min(-70), 15, false), attempt(min(1), 45, true)], min(-70)),
    invocation(acct, hook, 'FAILED', [attempt(min(2), 1500, false)], min(2)),
    invocation(acct, hook, 'RETRYING', [attempt(min(3), 60, false)], min(3)),
  ]);
  const before = await health(t, acct, hook);
  await t.stores.close();
  // Back to the schema before the health migration, as an older release left it.
  const db = new Database(file);
  const version = db.pragma('user_version', { simple: true }) as number;
  db.exec(`DROP TABLE health_outcomes; DROP TABLE health_durations; DROP INDEX invocations_retrying_webhook;
    DROP TRIGGER invocations_health_inserted; DROP TRIGGER invocations_health_outcome;
    DROP TRIGGER invocations_health_attempt; DROP TRIGGER invocations_health_attempts;
    DROP TRIGGER invocations_health_rewritten; DROP TRIGGER invocations_health_deleted;
    ALTER TABLE invocations DROP COLUMN outcome_at; ALTER TABLE invocations DROP COLUMN last_attempt_at;
    ALTER TABLE invocations DROP COLUMN last_attempt_ms;`);
  db.pragma(`user_version = ${version - 2}`);
  db.close();
  const reopened = openSqliteStores(file);
  try {
    const result = await webhookHealth({ invocations: reopened.invocations, now }, { accountId: acct }, hook);
    if (!result.ok) throw result.error;
    expect(result.value).toEqual(before);
    expect([before.succeeded, before.failed, before.retrying, before.attempts, before.p95DurationMs]).toEqual(
      [1, 1, 1, 4, 1500],
    );
  } finally {
    await reopened.close();
    await t.close().catch(() => {});
  }
});

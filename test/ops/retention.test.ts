import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import { newInvocation } from '../../src/domain/event-use-cases.js';
import { newId } from '../../src/domain/ids.js';
import type { InvocationStatus, StoredEvent } from '../../src/domain/invocation.js';
import { sweepRetention } from '../../src/domain/retention.js';
import { openTestStores, STORE_KINDS, type TestStores, uniqueAccountId } from '../support/stores.js';

const DAY = 86_400_000;

describe.each(STORE_KINDS)('retention on %s', (kind) => {
  let s: TestStores;
  beforeAll(async () => {
    s = await openTestStores(kind);
  });
  afterAll(async () => {
    await s?.close();
  });

  test('a sweep deletes exactly the finished invocations past the window and the events left without any', async () => {
    const now = new Date();
    const accountId = uniqueAccountId();
    const webhook = { id: newId('Webhook'), accountId };
    const event = async (ageDays: number) => {
      const e: StoredEvent = {
        id: newId('Event'),
        accountId,
        trigger: 'RequestCreated',
        payload: sampleEvent('RequestCreated'),
        idempotencyKey: null,
        test: false,
        fannedOut: true,
        createdAt: new Date(now.getTime() - ageDays * DAY),
      };
      await s.stores.events.insert(e);
      return e;
    };
    const invocation = async (e: StoredEvent, ageDays: number, status: InvocationStatus) => {
      const created = new Date(now.getTime() - ageDays * DAY);
      const inv = { ...newInvocation(webhook, e, created, { fanout: false }), status };
      await s.stores.invocations.insertMany([inv]);
      return inv;
    };

    const oldOnlyFinished = await event(40); // both its invocations go → the event goes
    const oldSucceeded = await invocation(oldOnlyFinished, 40, 'SUCCEEDED');
    const oldFailed = await invocation(oldOnlyFinished, 35, 'FAILED');
    const oldWithLive = await event(40); // keeps a retrying invocation → the event stays
    const oldRetrying = await invocation(oldWithLive, 40, 'RETRYING');
    const oldFinishedOfLive = await invocation(oldWithLive, 40, 'SUCCEEDED');
    const recent = await event(2);
    const recentDone = await invocation(recent, 2, 'SUCCEEDED');
    const oldBare = await event(31); // no invocation at all (nothing matched) → goes
    const youngBare = await event(29); // inside the window → stays
    await s.stores.events.claimIdempotencyKey(
      accountId,
      'old-key',
      oldBare.id,
      new Date(now.getTime() - 2 * DAY),
      new Date(0),
    );
    await s.stores.events.claimIdempotencyKey(accountId, 'new-key', youngBare.id, now, new Date(0));

    const removed = await sweepRetention(s.stores, {
      now,
      retentionMs: 30 * DAY,
      idempotencyMs: DAY,
      batch: 1,
    });
    expect(removed).toEqual({ invocations: 3, events: 2, idempotencyKeys: 1, operationalEvents: 0 });

    const gone = async (id: string) => (await s.stores.invocations.get(accountId, id)) === null;
    expect(await gone(oldSucceeded.id)).toBe(true);
    expect(await gone(oldFailed.id)).toBe(true);
    expect(await gone(oldFinishedOfLive.id)).toBe(true);
    expect(await gone(oldRetrying.id)).toBe(false);
    expect(await gone(recentDone.id)).toBe(false);
    expect(await s.stores.events.get(accountId, oldOnlyFinished.id)).toBeNull();
    expect(await s.stores.events.get(accountId, oldBare.id)).toBeNull();
    expect(await s.stores.events.get(accountId, oldWithLive.id)).not.toBeNull();
    expect(await s.stores.events.get(accountId, recent.id)).not.toBeNull();
    expect(await s.stores.events.get(accountId, youngBare.id)).not.toBeNull();
    // The forgotten key can be used again; the recent one still answers with its event.
    expect(
      await s.stores.events.claimIdempotencyKey(
        accountId,
        'old-key',
        'evt_x',
        now,
        new Date(now.getTime() - DAY),
      ),
    ).toEqual({ claimed: true });
    expect(
      await s.stores.events.claimIdempotencyKey(
        accountId,
        'new-key',
        'evt_y',
        now,
        new Date(now.getTime() - DAY),
      ),
    ).toEqual({ claimed: false, eventId: youngBare.id });

    // A second sweep finds nothing more.
    expect(await sweepRetention(s.stores, { now, retentionMs: 30 * DAY, idempotencyMs: DAY })).toEqual({
      invocations: 0,
      events: 0,
      idempotencyKeys: 0,
      operationalEvents: 0,
    });
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { OperationalWebhook, StoredOperationalEvent } from '../../src/domain/operational-event.js';
import { newOperationalEvent } from '../../src/domain/operational-event.js';
import { SecretBox } from '../../src/domain/secrets.js';
import { openTestStores, STORE_KINDS, type TestStores, uniqueAccountId } from '../support/stores.js';

const secrets = new SecretBox(randomBytes(32));
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

function event(
  accountId: string,
  delivery: Partial<StoredOperationalEvent['delivery']> = {},
  occurredAt = at(0),
): StoredOperationalEvent {
  return {
    ...newOperationalEvent({
      accountId,
      type: 'WEBHOOK_DISABLED',
      webhookId: 'wh_0000000000000000000000000a',
      invocationId: null,
      reason: 'deactivated: the target answered 410 Gone',
      occurredAt,
    }),
    delivery: {
      status: 'NONE',
      attempts: 0,
      nextAttemptAt: null,
      leaseOwner: null,
      leaseUntil: null,
      lastError: null,
      deliveredAt: null,
      ...delivery,
    },
  };
}

/**
 * The operational store's contract on both stores. Claims look across accounts, so every test has
 * the store to itself (they run one after another on a fresh store per kind).
 */
describe.each(STORE_KINDS)('the operational store on %s', (kind) => {
  let t: TestStores;
  beforeAll(async () => {
    t = await openTestStores(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  test('one operational webhook per account: put replaces, get reads it back, delete removes it', async () => {
    const store = t.stores.operational;
    const [a, b] = [uniqueAccountId(), uniqueAccountId()];
    const hook: OperationalWebhook = {
      accountId: a,
      url: 'https://ops.example.com/events',
      headers: [{ name: 'Authorization', value: secrets.encrypt('Bearer ops-token-123456', a) }],
      signingSecret: secrets.encrypt('whsec_c2VjcmV0', a),
      createdAt: at(1),
      updatedAt: at(1),
    };
    expect(await store.getWebhook(a)).toBeNull();
    await store.putWebhook(hook);
    expect(await store.getWebhook(a)).toEqual(hook);
    expect(await store.getWebhook(b)).toBeNull();
    const changed = { ...hook, url: 'https://ops.example.com/v2', headers: [], updatedAt: at(2) };
    await store.putWebhook(changed);
    expect(await store.getWebhook(a)).toEqual(changed);
    expect(await store.deleteWebhook(b)).toBe(false);
    expect(await store.deleteWebhook(a)).toBe(true);
    expect(await store.getWebhook(a)).toBeNull();
    expect(await store.deleteWebhook(a)).toBe(false);
  });

  test("events list newest first, page by page, each account's own", async () => {
    const store = t.stores.operational;
    const [a, b] = [uniqueAccountId(), uniqueAccountId()];
    const mine = [event(a), event(a), event(a)];
    for (const e of [...mine, event(b)]) await store.insertEvent(e);
    const first = await store.listEvents(a, { first: 2 });
    expect(first.items).toEqual([mine[2], mine[1]]);
    expect(first.hasNextPage).toBe(true);
    const second = await store.listEvents(a, { first: 2, after: mine[1]?.id });
    expect(second).toEqual({ items: [mine[0]], hasNextPage: false });
  });

  test('claims take due and abandoned deliveries once, leased; only the owner writes back', async () => {
    const store = t.stores.operational;
    const accountId = uniqueAccountId();
    const now = at(100);
    const due = event(accountId, { status: 'PENDING', nextAttemptAt: at(90) });
    const later = event(accountId, { status: 'PENDING', nextAttemptAt: at(200) });
    const abandoned = event(accountId, {
      status: 'IN_FLIGHT',
      nextAttemptAt: at(10),
      leaseOwner: 'crashed',
      leaseUntil: at(50),
    });
    const held = event(accountId, {
      status: 'IN_FLIGHT',
      nextAttemptAt: at(10),
      leaseOwner: 'alive',
      leaseUntil: at(150),
    });
    const done = event(accountId, { status: 'SUCCEEDED', attempts: 1, deliveredAt: at(5) });
    for (const e of [due, later, abandoned, held, done]) await store.insertEvent(e);

    const request = { now, leaseUntil: at(160), limit: 10 };
    const claim = (owner: string) => store.claimDueDeliveries({ ...request, owner });
    // Two claimers at once get disjoint sets, on FerretDB too (whose findOneAndUpdate lets both
    // match: the claim token decides).
    const [one, two] = await Promise.all([claim('one'), claim('two')]);
    const claimed = [...one, ...two];
    expect(claimed.map((e) => e.id).sort()).toEqual([due.id, abandoned.id].sort());
    for (const e of claimed) {
      expect(e.delivery).toMatchObject({ status: 'IN_FLIGHT', leaseUntil: at(160) });
      expect(['one', 'two']).toContain(e.delivery.leaseOwner);
    }
    expect(await store.claimDueDeliveries({ ...request, owner: 'three' })).toEqual([]);

    const mine = claimed[0] as StoredOperationalEvent;
    const owner = mine.delivery.leaseOwner as string;
    const finished: StoredOperationalEvent = {
      ...mine,
      delivery: {
        ...mine.delivery,
        status: 'SUCCEEDED',
        attempts: 1,
        leaseOwner: null,
        leaseUntil: null,
        deliveredAt: now,
      },
    };
    expect(await store.saveDelivery(finished, 'someone else')).toBe(false);
    expect(await store.saveDelivery(finished, owner)).toBe(true);
    const listed = (await store.listEvents(accountId, { first: 10 })).items.find((e) => e.id === mine.id);
    expect(listed).toEqual(finished);
    // A saved delivery is no longer leased to anyone: a second write with the old lease is refused.
    expect(await store.saveDelivery(finished, owner)).toBe(false);

    // Retention deletes old events, never one that is due or in flight.
    await store.saveDelivery(
      { ...(claimed[1] as StoredOperationalEvent), delivery: { ...finished.delivery, status: 'FAILED' } },
      (claimed[1] as StoredOperationalEvent).delivery.leaseOwner as string,
    );
    const deleted = await store.deleteEventsBefore(at(1), 100);
    expect(deleted).toBeGreaterThanOrEqual(3);
    const left = (await store.listEvents(accountId, { first: 10 })).items.map((e) => e.id);
    expect(left.sort()).toEqual([later.id, held.id].sort());
  });
});

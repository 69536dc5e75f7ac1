import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import type { Invocation } from '../../src/domain/invocation.js';
import type { InvocationStore } from '../../src/domain/ports.js';
import { openMongoStores } from '../../src/store/mongo/index.js';
import { openSqliteStores } from '../../src/store/sqlite/index.js';
import { invocationRecord } from '../support/factories.js';
import { openTestStores, STORE_KINDS, type TestStores, uniqueAccountId } from '../support/stores.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

const pending = (accountId: string, webhookId: string): Invocation =>
  invocationRecord(accountId, webhookId, { createdAt: at(0), nextAttemptAt: at(1) });

/**
 * Two processes claiming one store's due invocations at once: each invocation goes to one of them,
 * whatever the server (FerretDB applies a compare-and-set as read-modify-write, so there two
 * claimers can both match it), and only that one can write its result back. Claims look across
 * accounts, so the test has a store of its own per kind.
 */
describe.each(STORE_KINDS)('invocation claims on %s', (kind) => {
  let t: TestStores;
  let second: { invocations: InvocationStore; close(): Promise<void> };
  beforeAll(async () => {
    t = await openTestStores(kind);
    const { file, uri, dbName } = t.location;
    second =
      kind === 'sqlite'
        ? openSqliteStores(file as string)
        : await openMongoStores(uri as string, dbName as string);
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  test('two claimers at once: every due invocation is claimed by exactly one, and only its claimer saves it', async () => {
    const accountId = uniqueAccountId();
    const webhookId = newId('Webhook');
    const all = Array.from({ length: 40 }, () => pending(accountId, webhookId));
    await t.stores.invocations.insertMany(all);
    const stores = { one: t.stores.invocations, two: second.invocations };
    const claimedBy = new Map<string, string[]>();
    // Rounds of simultaneous claims, small batches, until nothing is left.
    for (let round = 0; round < 40 && claimedBy.size < all.length; round++) {
      const results = await Promise.all(
        (['one', 'two'] as const).map(async (owner) => {
          const claimed = await stores[owner].claimDue({
            now: at(2),
            owner,
            leaseUntil: at(600),
            limit: 3,
            excludeWebhookIds: [],
          });
          return { owner, claimed };
        }),
      );
      for (const { owner, claimed } of results)
        for (const inv of claimed) claimedBy.set(inv.id, [...(claimedBy.get(inv.id) ?? []), owner]);
    }
    expect([...claimedBy.keys()].sort()).toEqual(all.map((i) => i.id).sort());
    const twice = [...claimedBy].filter(([, owners]) => owners.length > 1);
    expect(twice).toEqual([]);

    // The claimer's save lands (on FerretDB even when the other claimer's losing compare-and-set
    // wrote its name into the lease field last: the won token decides); a later save by the other
    // process is refused and changes nothing.
    const [id, [owner]] = [...claimedBy][0] as [string, [string]];
    const other = owner === 'one' ? 'two' : 'one';
    const claimed = (await t.stores.invocations.get(accountId, id)) as Invocation;
    const done: Invocation = { ...claimed, status: 'SUCCEEDED', leaseOwner: null, leaseUntil: null };
    expect(await stores[owner as 'one' | 'two'].saveLeased(done, owner)).toBe(true);
    expect((await t.stores.invocations.get(accountId, id))?.status).toBe('SUCCEEDED');
    const late: Invocation = { ...claimed, status: 'FAILED', leaseOwner: null, leaseUntil: null };
    expect(await stores[other as 'one' | 'two'].saveLeased(late, other)).toBe(false);
    expect((await t.stores.invocations.get(accountId, id))?.status).toBe('SUCCEEDED');
  });

  test('a lease that ran out and was claimed again: the first holder can no longer save', async () => {
    const accountId = uniqueAccountId();
    const inv = pending(accountId, newId('Webhook'));
    await t.stores.invocations.insertMany([inv]);
    const claim = (store: InvocationStore, owner: string, now: Date, leaseUntil: Date) =>
      store.claimDue({ now, owner, leaseUntil, limit: 50, excludeWebhookIds: [] });
    const first = (await claim(t.stores.invocations, 'one', at(2), at(30))).find((i) => i.id === inv.id);
    expect(first?.leaseOwner).toBe('one');
    const again = (await claim(second.invocations, 'two', at(31), at(90))).find((i) => i.id === inv.id);
    expect(again?.leaseOwner).toBe('two');
    const late: Invocation = {
      ...(first as Invocation),
      status: 'FAILED',
      leaseOwner: null,
      leaseUntil: null,
    };
    expect(await t.stores.invocations.saveLeased(late, 'one')).toBe(false);
    expect(await t.stores.invocations.get(accountId, inv.id)).toMatchObject({
      status: 'IN_FLIGHT',
      leaseOwner: 'two',
    });
    const done: Invocation = {
      ...(again as Invocation),
      status: 'SUCCEEDED',
      leaseOwner: null,
      leaseUntil: null,
    };
    expect(await second.invocations.saveLeased(done, 'two')).toBe(true);
    expect((await t.stores.invocations.get(accountId, inv.id))?.status).toBe('SUCCEEDED');
  });
});

import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import { FilterCatalog, unseenFilterValueWarnings } from '../../src/domain/filter-catalog.js';
import type { FilterSighting } from '../../src/domain/filter-option.js';
import { newId } from '../../src/domain/ids.js';
import type { StoredEvent } from '../../src/domain/invocation.js';
import { eventFilterValues, eventMatchKeys } from '../../src/domain/matching.js';
import type { Stores } from '../../src/domain/ports.js';
import { SecretBox } from '../../src/domain/secrets.js';
import { emptyFilters } from '../../src/domain/webhook.js';
import { openMongoStores } from '../../src/store/mongo/index.js';
import { openSqliteStores } from '../../src/store/sqlite/index.js';
import { storedWebhook } from '../support/factories.js';
import { openTestStores, STORE_KINDS, type TestStores, uniqueAccountId } from '../support/stores.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

function sighting(accountId: string, value: string, seconds: number, label = value): FilterSighting {
  return { accountId, dimension: 'integrationIds', value, label, count: 1, lastSeenAt: at(seconds) };
}

describe.each(STORE_KINDS)('the filter catalog on %s', (kind) => {
  let t: TestStores;
  let stores: Stores;
  beforeAll(async () => {
    t = await openTestStores(kind);
    stores = t.stores;
  });
  afterAll(async () => {
    await t?.close();
  });

  test.concurrent('counts add up; the latest sighting brings its label; newest first', async ({ expect }) => {
    const accountId = uniqueAccountId();
    const options = stores.filterOptions;
    await options.record([sighting(accountId, 'int_a', 1, 'old name'), sighting(accountId, 'int_b', 2)], 100);
    await options.record([{ ...sighting(accountId, 'int_a', 3, 'new name'), count: 4 }], 100);
    // An older sighting (another process's late write) adds its count but not its label or time.
    await options.record([sighting(accountId, 'int_a', 0, 'stale name')], 100);
    const listed = await options.list(accountId, 'integrationIds', { first: 10 });
    expect(listed).toEqual([
      { value: 'int_a', label: 'new name', seenCount: 6, lastSeenAt: at(3) },
      { value: 'int_b', label: 'int_b', seenCount: 1, lastSeenAt: at(2) },
    ]);
    expect(await options.list(accountId, 'integrationTypes', { first: 10 })).toEqual([]);
    expect(await options.list(uniqueAccountId(), 'integrationIds', { first: 10 })).toEqual([]);
  });

  test.concurrent('search matches value or label, case-insensitively, taken literally', async ({
    expect,
  }) => {
    const accountId = uniqueAccountId();
    await stores.filterOptions.record(
      [
        sighting(accountId, 'int_pg_prod', 1, 'prod-orders-db (postgresql)'),
        sighting(accountId, 'int_aws', 2, 'aws-prod (aws-account)'),
        sighting(accountId, 'int_100%', 3, 'percent'),
      ],
      100,
    );
    const values = async (search: string) =>
      (await stores.filterOptions.list(accountId, 'integrationIds', { search, first: 10 })).map(
        (o) => o.value,
      );
    expect(await values('PostgreSQL')).toEqual(['int_pg_prod']);
    expect(await values('PROD')).toEqual(['int_aws', 'int_pg_prod']);
    expect(await values('INT_AWS')).toEqual(['int_aws']);
    expect(await values('%')).toEqual(['int_100%']);
    expect(await values('.*')).toEqual([]);
    expect(await values('_')).toHaveLength(3);
  });

  test.concurrent('keeps the most recently seen values per account and dimension', async ({ expect }) => {
    const accountId = uniqueAccountId();
    const other = uniqueAccountId();
    await stores.filterOptions.record([sighting(other, 'kept elsewhere', 0)], 3);
    for (let i = 0; i < 6; i++) await stores.filterOptions.record([sighting(accountId, `int_${i}`, i)], 3);
    const listed = await stores.filterOptions.list(accountId, 'integrationIds', { first: 10 });
    expect(listed.map((o) => o.value)).toEqual(['int_5', 'int_4', 'int_3']);
    expect((await stores.filterOptions.list(other, 'integrationIds', { first: 10 })).length).toBe(1);
    expect(await stores.filterOptions.known(accountId, 'integrationIds', ['int_0', 'int_4', 'nope'])).toEqual(
      new Set(['int_4']),
    );
  });

  test.concurrent('the catalog learns labelled, folded values from events, written on flush', async ({
    expect,
  }) => {
    const accountId = uniqueAccountId();
    const catalog = new FilterCatalog(stores.filterOptions, { flushMs: 3_600_000 });
    const event = sampleEvent('RequestApproved');
    event.data.access_bundle = { id: 'bundle_db', name: 'DB bundle' };
    catalog.learn(accountId, event, at(1));
    catalog.learn(accountId, event, at(2));
    // Nothing is written until a flush (or a read, which flushes first).
    expect(await stores.filterOptions.list(accountId, 'integrationIds', { first: 10 })).toEqual([]);
    const labels = async (dimension: Parameters<FilterCatalog['list']>[1]) =>
      (await catalog.list(accountId, dimension, { first: 10 })).map((o) => [o.value, o.label, o.seenCount]);
    expect(await labels('integrationIds')).toEqual([
      ['int_aws_prod', 'aws-prod (aws-account)', 2],
      ['int_pg_prod', 'prod-orders-db (postgresql)', 2],
    ]);
    expect(await labels('integrationTypes')).toEqual([
      ['aws-account', 'AWS', 2],
      ['postgresql', 'PostgreSQL', 2],
    ]);
    expect(await labels('resourceTypes')).toEqual([
      ['aws-s3-bucket', 'AWS/S3 Bucket', 2],
      ['postgresql-database', 'PostgreSQL/Database', 2],
    ]);
    expect(await labels('resourceIds')).toEqual([
      ['res_invoices', 'aws-prod/invoices-archive', 2],
      ['res_orders', 'prod-orders-db/orders', 2],
    ]);
    expect(await labels('permissions')).toEqual([
      ['readonly', 'ReadOnly', 2],
      ['s3:getobject', 's3:GetObject', 2],
    ]);
    expect(await labels('accessFlowIds')).toEqual([['flow_prod_db', 'Production databases', 2]]);
    expect(await labels('bundleIds')).toEqual([['bundle_db', 'DB bundle', 2]]);
    expect(await labels('requesterEmails')).toEqual([
      ['dana.obrien@example.com', 'Dana O"Brien <dana.obrien@example.com>', 2],
    ]);
    expect(await labels('granteeTypes')).toEqual([['user', 'user', 2]]);
    expect(await labels('approvalTypes')).toEqual([['manual', 'manual', 2]]);
    const options = await catalog.list(accountId, 'accessFlowIds', { first: 1 });
    expect(options[0]?.lastSeenAt).toEqual(at(2));

    const filters = emptyFilters();
    filters.integrationIds = ['int_pg_prod', 'PostgreSQL'];
    filters.approvalTypes = ['manual'];
    expect(await unseenFilterValueWarnings(catalog, accountId, filters)).toEqual([
      {
        path: ['filters', 'integrationIds', '1'],
        message:
          'no event of this account has carried "PostgreSQL" yet, so this value matches nothing until one does',
      },
    ]);
    await catalog.close();
  });

  test.concurrent('recent events: published ones only, newest first, this account only', async ({
    expect,
  }) => {
    const accountId = uniqueAccountId();
    const event = (test: boolean): StoredEvent => ({
      id: newId('Event'),
      accountId,
      trigger: 'RequestCreated',
      payload: sampleEvent('RequestCreated'),
      idempotencyKey: null,
      test,
      fannedOut: true,
      createdAt: new Date(),
    });
    const stored = [event(false), event(true), event(false), event(false)];
    for (const e of stored) await stores.events.insert(e);
    await stores.events.insert({ ...event(false), accountId: uniqueAccountId() });
    const recent = await stores.events.listRecent(accountId, 2);
    expect(recent.map((e) => e.id)).toEqual([stored[3]?.id, stored[2]?.id]);
    expect((await stores.events.listRecent(accountId, 10)).map((e) => e.id)).toEqual(
      [stored[3], stored[2], stored[0]].map((e) => e?.id),
    );
  });

  test('webhooks saved before type-like filters ignored case are folded when the store opens', async ({
    expect,
  }) => {
    const box = new SecretBox(randomBytes(32));
    const accountId = uniqueAccountId();
    const filters = {
      ...emptyFilters(),
      integrationTypes: ['PostgreSQL', 'postgresql'],
      integrationIds: ['INT_X'],
    };
    const webhook = storedWebhook(box, { accountId, triggers: ['RequestApproved'], filters });
    expect(await stores.webhooks.insert(webhook)).toBe('ok');
    // Back to how an older release left it: the filters as typed, the keys made from them.
    const { file, uri, dbName } = t.location;
    let reopened: Stores;
    if (kind === 'sqlite') {
      if (!file) throw new Error('no SQLite file');
      const db = new Database(file);
      db.pragma('user_version = 7');
      db.close();
      reopened = openSqliteStores(file);
    } else {
      if (!uri || !dbName) throw new Error('no MongoDB location');
      const client = new MongoClient(uri);
      await client
        .db(dbName)
        .collection<{ _id: string }>('webhooks')
        .updateOne({ _id: webhook.id }, { $unset: { filtersFolded: '' } });
      await client.close();
      reopened = await openMongoStores(uri, dbName);
    }
    try {
      const read = await reopened.webhooks.get(accountId, webhook.id);
      expect(read?.filters).toEqual({
        ...emptyFilters(),
        integrationTypes: ['postgresql'],
        integrationIds: ['INT_X'],
      });
      const event = sampleEvent('RequestApproved');
      const group = event.data.access_groups[0];
      if (group) group.integration.id = 'INT_X';
      const keys = eventMatchKeys(eventFilterValues(event));
      const candidates = await reopened.webhooks.listMatchCandidates(accountId, 'RequestApproved', keys);
      expect(candidates.map((w) => w.id)).toEqual([webhook.id]);
    } finally {
      await reopened.close();
    }
  });
});

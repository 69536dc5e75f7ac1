import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { attemptDelivery } from '../../src/dispatch/deliver.js';
import type { HttpClient } from '../../src/dispatch/http-client.js';
import { OAuthTokens } from '../../src/dispatch/oauth.js';
import { createApiKey } from '../../src/domain/api-key-use-cases.js';
import type { Trigger } from '../../src/domain/event.js';
import { newId } from '../../src/domain/ids.js';
import { testWebhook } from '../../src/domain/invocation-use-cases.js';
import { eventMatchKeys } from '../../src/domain/matching.js';
import type { Stores, WebhookListQuery, WebhookStore } from '../../src/domain/ports.js';
import { newSigningSecret, SecretBox } from '../../src/domain/secrets.js';
import { emptyFilters, type FilterDimension, type Webhook } from '../../src/domain/webhook.js';
import { createWebhook } from '../../src/domain/webhook-use-cases.js';
import { createSandbox, type SandboxPool } from '../../src/sandbox/index.js';
import { openMongoStores } from '../../src/store/mongo/index.js';
import { openSqliteStores } from '../../src/store/sqlite/index.js';
import { storedWebhook } from '../support/factories.js';
import {
  openTestStores,
  STORE_KINDS,
  type TestStores,
  uniqueAccountId,
  uniqueName,
} from '../support/stores.js';

const box = new SecretBox(randomBytes(32));

/** A valid stored webhook; secrets are encrypted for the (possibly overridden) account. */
const buildWebhook = (overrides: Partial<Webhook> = {}): Webhook => storedWebhook(box, overrides);

/** Every field set to a non-default value: nested secrets, OAuth, filters, a previous signing secret. */
function buildFullWebhook(accountId = uniqueAccountId()): Webhook {
  const filters = emptyFilters();
  filters.integrationIds = ['int-1', 'int-2'];
  filters.requesterEmails = ['a@example.com'];
  filters.approvalTypes = ['manual'];
  return buildWebhook({
    accountId,
    status: 'INACTIVE',
    method: 'PUT',
    url: 'https://hooks.example.com/a/b?c=d',
    bodyTemplate: '{"id": "{{ data.id }}", "who": "{{ data.requester.email }}"}',
    headers: [
      { name: 'X-One', value: box.encrypt('first header value', accountId) },
      { name: 'X-Two', value: box.encrypt('second', accountId) },
    ],
    oauth: {
      clientId: 'client-123',
      clientSecret: box.encrypt('oauth client secret value', accountId),
      tokenEndpointUrl: 'https://auth.example.com/oauth/token',
      scopes: ['read', 'write:hooks'],
    },
    triggers: ['RequestApproved', 'RequestGranted', 'RequestRejected'],
    filters,
    timeoutSeconds: 45,
    responseValidators: [
      { jsonPath: '$.data.status', expectedValues: ['ok', 'accepted'] },
      { jsonPath: "$.data['x-y'][0]", expectedValues: ['1'] },
    ],
    customValidationErrorMessage: 'the receiver did not accept it',
    disabledReason: 'disabled after 10 failures',
    signingSecrets: {
      current: box.encrypt(newSigningSecret(), accountId),
      previous: [
        {
          secret: box.encrypt(newSigningSecret(), accountId),
          expiresAt: new Date(Date.UTC(2024, 5, 1, 0, 0, 0, 5)),
        },
        {
          secret: box.encrypt(newSigningSecret(), accountId),
          expiresAt: new Date(Date.UTC(2024, 5, 1, 0, 0, 0, 999)),
        },
      ],
    },
    version: 7,
    createdAt: new Date(Date.UTC(2023, 11, 31, 23, 59, 59, 1)),
    updatedAt: new Date(Date.UTC(2024, 1, 29, 12, 0, 0, 500)),
  });
}

async function insertAll(store: WebhookStore, webhooks: Webhook[]): Promise<void> {
  // Sequential: ids are created in order, and insertion order must not matter for "newest first".
  for (const w of webhooks) {
    const result = await store.insert(w);
    if (result !== 'ok') throw new Error(`insert of ${w.name} returned ${result}`);
  }
}

async function listIds(store: WebhookStore, accountId: string, query: Partial<WebhookListQuery> = {}) {
  const page = await store.list(accountId, { first: 100, ...query });
  return page.items.map((w) => w.id);
}

function newestFirst(webhooks: Webhook[]): string[] {
  return webhooks.map((w) => w.id).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
}

/**
 * Everything a store holds, as text: the SQLite file (and its WAL) plus every row of every table,
 * or every document of every MongoDB collection.
 */
async function rawStorage(kind: string, location: TestStores['location']): Promise<string> {
  if (kind === 'sqlite') {
    const file = location.file;
    if (!file) throw new Error('no SQLite file location');
    let raw = readFileSync(file).toString('latin1');
    if (existsSync(`${file}-wal`)) raw += readFileSync(`${file}-wal`).toString('latin1');
    const db = new Database(file, { readonly: true });
    try {
      const tables = db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all();
      for (const { name } of tables) {
        raw += `\n${JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())}`;
      }
    } finally {
      db.close();
    }
    return raw;
  }
  const { uri, dbName } = location;
  if (!uri || !dbName) throw new Error('no MongoDB location');
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    const db = client.db(dbName);
    let raw = '';
    for (const { name } of await db.listCollections().toArray()) {
      raw += `\n${JSON.stringify(await db.collection(name).find({}).toArray())}`;
    }
    return raw;
  } finally {
    await client.close();
  }
}

describe.each(STORE_KINDS)('webhook store on %s', (kind) => {
  let t: TestStores;
  let store: WebhookStore;
  let sandbox: SandboxPool;

  /** The same storage through another connection, as another process (or a restart) opens it. */
  async function openAgain(): Promise<Stores> {
    const { file, uri, dbName } = t.location;
    if (kind === 'sqlite') {
      if (!file) throw new Error('no SQLite file location');
      return openSqliteStores(file);
    }
    if (!uri || !dbName) throw new Error('no MongoDB location');
    return openMongoStores(uri, dbName);
  }

  beforeAll(async () => {
    t = await openTestStores(kind);
    store = t.stores.webhooks;
    sandbox = createSandbox(loadConfig({}));
  });

  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  /** Rewrites a stored webhook as a release before `description` left it (SQLite: `id`, not `_id`). */
  async function storeAsBeforeDescription(id: string): Promise<void> {
    const { file, uri, dbName } = t.location;
    if (kind === 'sqlite') {
      if (!file) throw new Error('no SQLite file location');
      const db = new Database(file);
      try {
        const changed = db
          .prepare(
            "UPDATE webhooks SET doc = json_set(json_remove(doc, '$.description', '$._id'), '$.id', id) WHERE id = ?",
          )
          .run(id).changes;
        if (changed !== 1) throw new Error(`rewrote ${changed} rows`);
      } finally {
        db.close();
      }
      return;
    }
    if (!uri || !dbName) throw new Error('no MongoDB location');
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
    try {
      await client.connect();
      const res = await client
        .db(dbName)
        .collection<{ _id: string }>('webhooks')
        .updateOne({ _id: id }, { $unset: { description: '' } });
      if (res.modifiedCount !== 1) throw new Error(`rewrote ${res.modifiedCount} documents`);
    } finally {
      await client.close();
    }
  }

  test.concurrent('a webhook stored before description existed reads back with description null', async ({
    expect,
  }) => {
    const w = buildWebhook({ description: 'will be forgotten' });
    expect(await store.insert(w)).toBe('ok');
    await storeAsBeforeDescription(w.id);
    const read = await store.get(w.accountId, w.id);
    expect(read).toEqual({ ...w, description: null });
    const listed = await store.list(w.accountId, { first: 10 });
    expect(listed.items.map((x) => x.description)).toEqual([null]);
  });

  test.concurrent('a webhook stored with one previous secret (before rotations overlapped) reads back with a list', async ({
    expect,
  }) => {
    const w = buildFullWebhook();
    const [older, kept] = w.signingSecrets.previous;
    if (!older || !kept) throw new Error('the full webhook has two previous secrets');
    const alone = buildWebhook({ accountId: w.accountId });
    expect(await store.insert(w)).toBe('ok');
    expect(await store.insert(alone)).toBe('ok');
    const { file, uri, dbName } = t.location;
    const single = { secret: kept.secret, expiresAt: kept.expiresAt.toISOString() };
    if (kind === 'sqlite') {
      const db = new Database(file as string);
      try {
        const rewrite = db.prepare(
          "UPDATE webhooks SET doc = json_set(doc, '$.signingSecrets.previous', json(?)) WHERE id = ?",
        );
        rewrite.run(JSON.stringify(single), w.id);
        rewrite.run('null', alone.id);
      } finally {
        db.close();
      }
    } else {
      const client = new MongoClient(uri as string, { serverSelectionTimeoutMS: 10_000 });
      try {
        const col = client.db(dbName).collection<{ _id: string }>('webhooks');
        await col.updateOne(
          { _id: w.id },
          { $set: { 'signingSecrets.previous': { ...single, expiresAt: kept.expiresAt } } },
        );
        await col.updateOne({ _id: alone.id }, { $set: { 'signingSecrets.previous': null } });
      } finally {
        await client.close();
      }
    }
    expect((await store.get(w.accountId, w.id))?.signingSecrets.previous).toEqual([kept]);
    expect((await store.get(alone.accountId, alone.id))?.signingSecrets.previous).toEqual([]);
  });

  describe('insert and get', () => {
    test.concurrent('round-trips a fully populated webhook exactly', async ({ expect }) => {
      const w = buildFullWebhook();
      const expected = structuredClone(w);
      expect(await store.insert(w)).toBe('ok');
      const got = await store.get(w.accountId, w.id);
      expect(got).toStrictEqual(expected);
      expect(got?.createdAt).toBeInstanceOf(Date);
      expect(got?.updatedAt).toBeInstanceOf(Date);
      expect(got?.signingSecrets.previous[1]?.expiresAt).toBeInstanceOf(Date);
      expect(got?.signingSecrets.previous.map((p) => p.expiresAt.getTime())).toEqual([
        Date.UTC(2024, 5, 1, 0, 0, 0, 5),
        Date.UTC(2024, 5, 1, 0, 0, 0, 999),
      ]);
    });

    test.concurrent('round-trips a minimal webhook (no OAuth, no previous secret, no headers)', async ({
      expect,
    }) => {
      const w = buildWebhook({ headers: [], customValidationErrorMessage: null });
      const expected = structuredClone(w);
      expect(await store.insert(w)).toBe('ok');
      const got = await store.get(w.accountId, w.id);
      expect(got).toStrictEqual(expected);
      expect(got?.oauth).toBeNull();
      expect(got?.signingSecrets.previous).toEqual([]);
    });

    test.concurrent('stored secrets still decrypt after the round-trip', async ({ expect }) => {
      const w = buildFullWebhook();
      await store.insert(w);
      const got = await store.get(w.accountId, w.id);
      if (!got?.oauth) throw new Error('webhook or its oauth is missing');
      expect(box.decrypt(got.oauth.clientSecret, w.accountId)).toBe('oauth client secret value');
      expect(got.headers.map((h) => box.decrypt(h.value, w.accountId))).toEqual([
        'first header value',
        'second',
      ]);
    });

    test.concurrent('get returns null for an unknown id', async ({ expect }) => {
      const w = buildWebhook();
      await store.insert(w);
      expect(await store.get(w.accountId, newId('Webhook'))).toBeNull();
    });

    test.concurrent('get with another account id returns null (tenant isolation)', async ({ expect }) => {
      const w = buildWebhook();
      expect(await store.insert(w)).toBe('ok');
      expect(await store.get(uniqueAccountId(), w.id)).toBeNull();
      expect((await store.get(w.accountId, w.id))?.id).toBe(w.id);
    });

    test.concurrent('rejects a duplicate name differing only in case and surrounding spaces', async ({
      expect,
    }) => {
      const accountId = uniqueAccountId();
      const base = uniqueName('Alpha Hook');
      const first = buildWebhook({ accountId, name: base });
      const second = buildWebhook({
        accountId,
        name: `  ${base.toUpperCase()}  `,
        triggers: ['RequestFailed'],
      });
      expect(await store.insert(first)).toBe('ok');
      expect(await store.insert(second)).toBe('duplicate_name');
      expect(await store.get(accountId, second.id)).toBeNull();
      expect(await listIds(store, accountId)).toEqual([first.id]);
      // Nothing of the rejected webhook lingers in the trigger index either.
      expect(await listIds(store, accountId, { trigger: 'RequestFailed' })).toEqual([]);
    });

    test.concurrent('allows the same name in another account', async ({ expect }) => {
      const name = uniqueName('Shared');
      const a = buildWebhook({ name });
      const b = buildWebhook({ name });
      expect(await store.insert(a)).toBe('ok');
      expect(await store.insert(b)).toBe('ok');
      expect((await store.get(a.accountId, a.id))?.name).toBe(name);
      expect((await store.get(b.accountId, b.id))?.name).toBe(name);
    });
  });

  describe('list', () => {
    test.concurrent('is newest first, and an empty account lists nothing', async ({ expect }) => {
      const accountId = uniqueAccountId();
      const webhooks = Array.from({ length: 5 }, () => buildWebhook({ accountId }));
      await insertAll(store, webhooks);
      const page = await store.list(accountId, { first: 10 });
      expect(page.items.map((w) => w.id)).toEqual(webhooks.map((w) => w.id).reverse());
      expect(page.items.map((w) => w.id)).toEqual(newestFirst(webhooks));
      expect(page.hasNextPage).toBe(false);
      expect(page.items[0]).toStrictEqual(webhooks[4]);
      expect(await store.list(uniqueAccountId(), { first: 10 })).toEqual({ items: [], hasNextPage: false });
    });

    test.concurrent('first + after pages through every item exactly once', async ({ expect }) => {
      const accountId = uniqueAccountId();
      const webhooks = Array.from({ length: 7 }, () => buildWebhook({ accountId }));
      // Inserted out of order: the order comes from the ids, not from insertion.
      await insertAll(store, [...webhooks.slice(3), ...webhooks.slice(0, 3)]);

      const pages: { ids: string[]; hasNextPage: boolean }[] = [];
      let after: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await store.list(accountId, { first: 3, after });
        pages.push({ ids: page.items.map((w) => w.id), hasNextPage: page.hasNextPage });
        if (!page.hasNextPage) break;
        after = page.items.at(-1)?.id;
      }
      const expected = newestFirst(webhooks);
      expect(pages).toEqual([
        { ids: expected.slice(0, 3), hasNextPage: true },
        { ids: expected.slice(3, 6), hasNextPage: true },
        { ids: expected.slice(6), hasNextPage: false },
      ]);
    });

    test.concurrent('hasNextPage is false when the last page is exactly full', async ({ expect }) => {
      const accountId = uniqueAccountId();
      const webhooks = Array.from({ length: 4 }, () => buildWebhook({ accountId }));
      await insertAll(store, webhooks);
      const expected = newestFirst(webhooks);
      const p1 = await store.list(accountId, { first: 2 });
      expect(p1.items.map((w) => w.id)).toEqual(expected.slice(0, 2));
      expect(p1.hasNextPage).toBe(true);
      const p2 = await store.list(accountId, { first: 2, after: expected[1] });
      expect(p2.items.map((w) => w.id)).toEqual(expected.slice(2));
      expect(p2.hasNextPage).toBe(false);
      const p3 = await store.list(accountId, { first: 2, after: expected[3] });
      expect(p3).toEqual({ items: [], hasNextPage: false });
      const all = await store.list(accountId, { first: 4 });
      expect(all.items).toHaveLength(4);
      expect(all.hasNextPage).toBe(false);
    });

    test.concurrent('never returns another account’s webhooks', async ({ expect }) => {
      const mine = uniqueAccountId();
      const theirs = uniqueAccountId();
      const name = uniqueName('Same');
      const a = buildWebhook({ accountId: mine, name });
      const b = buildWebhook({ accountId: theirs, name });
      const c = buildWebhook({ accountId: mine });
      await insertAll(store, [a, b, c]);
      expect(await listIds(store, mine)).toEqual([c.id, a.id]);
      expect(await listIds(store, theirs)).toEqual([b.id]);
      expect(await listIds(store, mine, { trigger: 'RequestCreated' })).toEqual([c.id, a.id]);
      expect(await listIds(store, mine, { nameContains: 'same' })).toEqual([a.id]);
      expect(await listIds(store, mine, { status: 'ACTIVE', after: c.id })).toEqual([a.id]);
    });

    describe('filters', () => {
      const accountId = uniqueAccountId();
      const hooks = {
        aUnderscoreB: buildWebhook({
          accountId,
          name: 'a_b',
          triggers: ['RequestCreated', 'RequestApproved'],
        }),
        axb: buildWebhook({ accountId, name: 'axb', status: 'INACTIVE', triggers: ['RequestApproved'] }),
        aDotB: buildWebhook({ accountId, name: 'a.b', triggers: ['RequestExpired'] }),
        percent: buildWebhook({ accountId, name: 'Discount 100%', triggers: ['RequestRejected'] }),
        thousand: buildWebhook({ accountId, name: '1000 items', triggers: ['RequestCreated'] }),
        mixed: buildWebhook({
          accountId,
          name: 'Mixed CASE Name',
          status: 'INACTIVE',
          triggers: ['RequestCreated', 'RequestGranted'],
        }),
        regexy: buildWebhook({ accountId, name: 'x(y)[z]*+?^$|{1}', triggers: ['RequestGranted'] }),
        backslash: buildWebhook({ accountId, name: 'back\\slash', triggers: ['RequestGranted'] }),
      };
      const all = Object.values(hooks);
      const ids = (...ws: Webhook[]) => newestFirst(ws);

      beforeAll(async () => {
        await insertAll(store, all);
      });

      test.concurrent('status', async ({ expect }) => {
        expect(await listIds(store, accountId, { status: 'INACTIVE' })).toEqual(ids(hooks.axb, hooks.mixed));
        expect(await listIds(store, accountId, { status: 'ACTIVE' })).toEqual(
          ids(...all.filter((w) => w.status === 'ACTIVE')),
        );
      });

      test.concurrent('trigger: only webhooks having that trigger', async ({ expect }) => {
        const having = (tr: Trigger) => ids(...all.filter((w) => w.triggers.includes(tr)));
        expect(await listIds(store, accountId, { trigger: 'RequestCreated' })).toEqual(
          ids(hooks.aUnderscoreB, hooks.thousand, hooks.mixed),
        );
        expect(await listIds(store, accountId, { trigger: 'RequestApproved' })).toEqual(
          ids(hooks.aUnderscoreB, hooks.axb),
        );
        for (const tr of ['RequestExpired', 'RequestRejected', 'RequestGranted'] as const) {
          expect(await listIds(store, accountId, { trigger: tr })).toEqual(having(tr));
        }
        expect(await listIds(store, accountId, { trigger: 'RequestFailed' })).toEqual([]);
      });

      test.concurrent('nameContains is case-insensitive (caller passes it lowercased)', async ({
        expect,
      }) => {
        expect(await listIds(store, accountId, { nameContains: 'case na' })).toEqual(ids(hooks.mixed));
        expect(await listIds(store, accountId, { nameContains: 'mixed case name' })).toEqual(
          ids(hooks.mixed),
        );
        expect(await listIds(store, accountId, { nameContains: 'discount' })).toEqual(ids(hooks.percent));
        expect(await listIds(store, accountId, { nameContains: 'no such name' })).toEqual([]);
      });

      test.concurrent('nameContains treats LIKE and regex special characters literally', async ({
        expect,
      }) => {
        // Unescaped, `_` (LIKE) and `.` (regex) would match axb, a_b and a.b alike.
        expect(await listIds(store, accountId, { nameContains: 'a_b' })).toEqual(ids(hooks.aUnderscoreB));
        expect(await listIds(store, accountId, { nameContains: 'a.b' })).toEqual(ids(hooks.aDotB));
        // Unescaped, `100%` would also match "1000 items".
        expect(await listIds(store, accountId, { nameContains: '100%' })).toEqual(ids(hooks.percent));
        expect(await listIds(store, accountId, { nameContains: '100' })).toEqual(
          ids(hooks.percent, hooks.thousand),
        );
        expect(await listIds(store, accountId, { nameContains: '%' })).toEqual(ids(hooks.percent));
        expect(await listIds(store, accountId, { nameContains: '_' })).toEqual(ids(hooks.aUnderscoreB));
        expect(await listIds(store, accountId, { nameContains: '.' })).toEqual(ids(hooks.aDotB));
        expect(await listIds(store, accountId, { nameContains: '(y)[z]*+?^$|{1}' })).toEqual(
          ids(hooks.regexy),
        );
        expect(await listIds(store, accountId, { nameContains: '*' })).toEqual(ids(hooks.regexy));
        expect(await listIds(store, accountId, { nameContains: '\\' })).toEqual(ids(hooks.backslash));
        expect(await listIds(store, accountId, { nameContains: 'k\\s' })).toEqual(ids(hooks.backslash));
      });

      test.concurrent('combined filters, with pagination', async ({ expect }) => {
        expect(
          await listIds(store, accountId, { status: 'ACTIVE', trigger: 'RequestCreated', nameContains: 'a' }),
        ).toEqual(ids(hooks.aUnderscoreB));
        expect(await listIds(store, accountId, { status: 'INACTIVE', trigger: 'RequestCreated' })).toEqual(
          ids(hooks.mixed),
        );
        expect(await listIds(store, accountId, { status: 'INACTIVE', nameContains: 'a_b' })).toEqual([]);
        expect(await listIds(store, accountId, { trigger: 'RequestGranted', nameContains: 's' })).toEqual(
          ids(hooks.mixed, hooks.backslash),
        );

        const expected = ids(hooks.mixed, hooks.regexy, hooks.backslash);
        const p1 = await store.list(accountId, { first: 2, trigger: 'RequestGranted' });
        expect(p1.items.map((w) => w.id)).toEqual(expected.slice(0, 2));
        expect(p1.hasNextPage).toBe(true);
        const p2 = await store.list(accountId, { first: 2, trigger: 'RequestGranted', after: expected[1] });
        expect(p2.items.map((w) => w.id)).toEqual(expected.slice(2));
        expect(p2.hasNextPage).toBe(false);
      });
    });
  });

  describe('listMatchCandidates', () => {
    test.concurrent('returns the active webhooks of the trigger that share a key with the event, only those', async ({
      expect,
    }) => {
      const accountId = uniqueAccountId();
      const filtered = (dimension: FilterDimension, values: string[]) => {
        const filters = emptyFilters();
        filters[dimension] = values;
        return buildWebhook({ accountId, filters });
      };
      const unfiltered = buildWebhook({ accountId, triggers: ['RequestApproved', 'RequestCreated'] });
      const hit = filtered('integrationIds', ['int_a', 'int_b']);
      const miss = filtered('integrationIds', ['int_z']);
      const otherDimension = filtered('resourceIds', ['int_b']);
      const otherTrigger = buildWebhook({ accountId, triggers: ['RequestApproved'] });
      const inactive = buildWebhook({ accountId, status: 'INACTIVE' });
      const otherAccount = buildWebhook();
      await insertAll(store, [unfiltered, hit, miss, otherDimension, otherTrigger, inactive, otherAccount]);
      const values = emptyFilters();
      values.integrationIds = ['int_b', 'int_c'];
      const candidates = async () =>
        (await store.listMatchCandidates(accountId, 'RequestCreated', eventMatchKeys(values)))
          .map((w) => w.id)
          .sort();
      expect(await candidates()).toEqual([unfiltered.id, hit.id].sort());
      expect((await store.listMatchCandidates(accountId, 'RequestCreated', [])).length).toBe(0);

      // The keys follow updates and deletes.
      const widened = {
        ...miss,
        filters: { ...miss.filters, integrationIds: ['int_z', 'int_c'] },
        version: 2,
      };
      expect(await store.update(widened, 1)).toBe('ok');
      expect(await store.delete(accountId, hit.id)).toBe(true);
      expect(await candidates()).toEqual([unfiltered.id, miss.id].sort());
      expect(await store.update({ ...unfiltered, status: 'INACTIVE', version: 2 }, 1)).toBe('ok');
      expect(await candidates()).toEqual([miss.id]);
    });

    test.concurrent('sees at once what another process changed (no stale candidates)', async ({ expect }) => {
      const accountId = uniqueAccountId();
      const other = await openAgain();
      try {
        const first = buildWebhook({ accountId });
        await insertAll(store, [first]);
        const candidates = async () =>
          (await store.listMatchCandidates(accountId, 'RequestCreated', ['*'])).map((w) => w.id).sort();
        // Read here first (a store may keep what it read), then changed over there.
        expect(await candidates()).toEqual([first.id]);
        const second = buildWebhook({ accountId });
        expect(await other.webhooks.insert(second)).toBe('ok');
        expect(await candidates()).toEqual([first.id, second.id].sort());
        expect(await other.webhooks.update({ ...first, status: 'INACTIVE', version: 2 }, 1)).toBe('ok');
        expect(await candidates()).toEqual([second.id]);
        expect(await other.webhooks.update({ ...second, triggers: ['RequestApproved'], version: 2 }, 1)).toBe(
          'ok',
        );
        expect(await candidates()).toEqual([]);
        expect(await other.webhooks.update({ ...first, status: 'ACTIVE', version: 3 }, 2)).toBe('ok');
        expect(await candidates()).toEqual([first.id]);
        expect(await other.webhooks.delete(accountId, first.id)).toBe(true);
        expect(await candidates()).toEqual([]);
      } finally {
        await other.close();
      }
    });
  });

  describe('update', () => {
    test.concurrent('with the right version replaces the stored webhook and its trigger index', async ({
      expect,
    }) => {
      const w = buildWebhook({ triggers: ['RequestCreated', 'RequestApproved'] });
      await insertAll(store, [w]);
      const full = buildFullWebhook(w.accountId);
      const updated: Webhook = {
        ...full,
        id: w.id,
        name: uniqueName('Renamed'),
        status: 'ACTIVE',
        triggers: ['RequestApproved', 'RequestGranted'],
        version: 2,
        createdAt: w.createdAt,
        updatedAt: new Date(w.updatedAt.getTime() + 61_000),
      };
      const expected = structuredClone(updated);
      expect(await store.update(updated, 1)).toBe('ok');
      expect(await store.get(w.accountId, w.id)).toStrictEqual(expected);
      expect(await listIds(store, w.accountId, { trigger: 'RequestCreated' })).toEqual([]);
      expect(await listIds(store, w.accountId, { trigger: 'RequestApproved' })).toEqual([w.id]);
      expect(await listIds(store, w.accountId, { trigger: 'RequestGranted' })).toEqual([w.id]);
      expect(await listIds(store, w.accountId, { nameContains: 'renamed' })).toEqual([w.id]);
      expect(await listIds(store, w.accountId, { nameContains: w.name.toLowerCase() })).toEqual([]);

      // The old name is free again; the new one is taken.
      expect(await store.insert(buildWebhook({ accountId: w.accountId, name: w.name }))).toBe('ok');
      expect(await store.insert(buildWebhook({ accountId: w.accountId, name: updated.name }))).toBe(
        'duplicate_name',
      );
    });

    test.concurrent('status change is seen by the status filter', async ({ expect }) => {
      const w = buildWebhook();
      await insertAll(store, [w]);
      expect(await store.update({ ...w, status: 'INACTIVE', version: 2 }, 1)).toBe('ok');
      expect(await listIds(store, w.accountId, { status: 'ACTIVE' })).toEqual([]);
      expect(await listIds(store, w.accountId, { status: 'INACTIVE' })).toEqual([w.id]);
    });

    test.concurrent('renaming to its own name in another case is not a conflict', async ({ expect }) => {
      const w = buildWebhook({ name: uniqueName('Self') });
      await insertAll(store, [w]);
      const renamed = { ...w, name: ` ${w.name.toUpperCase()} `, version: 2 };
      expect(await store.update(renamed, 1)).toBe('ok');
      expect((await store.get(w.accountId, w.id))?.name).toBe(renamed.name);
    });

    test.concurrent('with a stale version → stale, and the stored webhook is unchanged', async ({
      expect,
    }) => {
      const w = buildWebhook({ triggers: ['RequestCreated'] });
      await insertAll(store, [w]);
      const original = structuredClone(w);

      const first = { ...w, name: uniqueName('First'), version: 2 };
      const second = { ...w, name: uniqueName('Second'), triggers: ['RequestFailed' as const], version: 2 };
      expect(await store.update(first, 1)).toBe('ok');
      // Read at version 1 like `first`, written after it: must not overwrite.
      expect(await store.update(second, 1)).toBe('stale');
      expect(await store.get(w.accountId, w.id)).toStrictEqual({ ...original, name: first.name, version: 2 });
      expect(await listIds(store, w.accountId, { trigger: 'RequestFailed' })).toEqual([]);
      expect(await listIds(store, w.accountId, { trigger: 'RequestCreated' })).toEqual([w.id]);

      // A version from the future is stale too.
      expect(await store.update({ ...first, name: uniqueName('Future'), version: 10 }, 9)).toBe('stale');
      expect((await store.get(w.accountId, w.id))?.name).toBe(first.name);
    });

    test.concurrent('of a missing id → not_found, and nothing is created', async ({ expect }) => {
      const w = buildWebhook();
      expect(await store.update({ ...w, version: 2 }, 1)).toBe('not_found');
      expect(await store.get(w.accountId, w.id)).toBeNull();
      expect(await listIds(store, w.accountId)).toEqual([]);
    });

    test.concurrent('from another account → not_found, and the owner’s webhook is unchanged', async ({
      expect,
    }) => {
      const w = buildWebhook();
      await insertAll(store, [w]);
      const original = structuredClone(w);
      const other = uniqueAccountId();
      expect(await store.update({ ...w, accountId: other, name: uniqueName('Hijack'), version: 2 }, 1)).toBe(
        'not_found',
      );
      expect(await store.get(w.accountId, w.id)).toStrictEqual(original);
      expect(await store.get(other, w.id)).toBeNull();
    });

    test.concurrent('renaming onto another webhook’s name → duplicate_name, and nothing changes', async ({
      expect,
    }) => {
      const accountId = uniqueAccountId();
      const a = buildWebhook({ accountId, name: uniqueName('Taken Name') });
      const b = buildWebhook({ accountId, triggers: ['RequestExpired'] });
      await insertAll(store, [a, b]);
      const originalA = structuredClone(a);
      const originalB = structuredClone(b);
      const clash = {
        ...b,
        name: `  ${a.name.toUpperCase()} `,
        status: 'INACTIVE' as const,
        triggers: ['RequestFailed' as const],
        version: 2,
      };
      expect(await store.update(clash, 1)).toBe('duplicate_name');
      expect(await store.get(accountId, b.id)).toStrictEqual(originalB);
      expect(await store.get(accountId, a.id)).toStrictEqual(originalA);
      expect(await listIds(store, accountId, { trigger: 'RequestExpired' })).toEqual([b.id]);
      expect(await listIds(store, accountId, { trigger: 'RequestFailed' })).toEqual([]);
      expect(await listIds(store, accountId, { status: 'INACTIVE' })).toEqual([]);
      // The failed update did not consume the version.
      expect(await store.update({ ...b, name: uniqueName('Fine'), version: 2 }, 1)).toBe('ok');
    });
  });

  describe('delete', () => {
    test.concurrent('deletes: get is null and list (also by trigger) excludes it', async ({ expect }) => {
      const accountId = uniqueAccountId();
      const keep = buildWebhook({ accountId });
      const gone = buildWebhook({ accountId, triggers: ['RequestCreated', 'RequestRejected'] });
      await insertAll(store, [keep, gone]);
      expect(await store.delete(accountId, gone.id)).toBe(true);
      expect(await store.get(accountId, gone.id)).toBeNull();
      expect(await listIds(store, accountId)).toEqual([keep.id]);
      expect(await listIds(store, accountId, { trigger: 'RequestCreated' })).toEqual([keep.id]);
      expect(await listIds(store, accountId, { trigger: 'RequestRejected' })).toEqual([]);
      // The name is free again.
      expect(await store.insert(buildWebhook({ accountId, name: gone.name }))).toBe('ok');
    });

    test.concurrent('from the wrong account → false, and it still exists', async ({ expect }) => {
      const w = buildWebhook();
      await insertAll(store, [w]);
      expect(await store.delete(uniqueAccountId(), w.id)).toBe(false);
      expect(await store.get(w.accountId, w.id)).toStrictEqual(w);
      expect(await listIds(store, w.accountId, { trigger: 'RequestCreated' })).toEqual([w.id]);
    });

    test.concurrent('twice → true then false', async ({ expect }) => {
      const w = buildWebhook();
      await insertAll(store, [w]);
      expect(await store.delete(w.accountId, w.id)).toBe(true);
      expect(await store.delete(w.accountId, w.id)).toBe(false);
      expect(await store.delete(w.accountId, newId('Webhook'))).toBe(false);
    });
  });

  test.concurrent('opening the same storage again (a restart) works and sees the data', async ({
    expect,
  }) => {
    const w = buildFullWebhook();
    await insertAll(store, [w]);
    // Migrations (SQLite) and index creation (MongoDB) run again on existing data: they must be idempotent.
    const reopened = await openAgain();
    try {
      expect(reopened.kind).toBe(kind);
      await reopened.ping();
      expect(await reopened.webhooks.get(w.accountId, w.id)).toStrictEqual(w);
      expect(await reopened.webhooks.insert(buildWebhook({ accountId: w.accountId, name: w.name }))).toBe(
        'duplicate_name',
      );
    } finally {
      await reopened.close();
    }
  });

  test.concurrent('raw storage holds secrets only encrypted', async ({ expect }) => {
    const key = randomBytes(32);
    const secrets = new SecretBox(key);
    const accountId = uniqueAccountId();
    const random = randomBytes(12).toString('hex');
    const headerValue = `Bearer s3cr3t-${random}`;
    const clientSecret = `cs-${randomBytes(12).toString('hex')}`;
    const name = uniqueName('Secret');
    const created = await createWebhook(
      { webhooks: store, secrets, sandbox },
      { accountId },
      {
        name,
        url: 'https://example.com/hook',
        bodyTemplate: '{"id": "{{ data.id }}"}',
        triggers: ['RequestCreated'],
        headers: [{ name: 'X-Custom-Auth', value: headerValue }],
        oauth: {
          clientId: 'client-id-1',
          clientSecret,
          tokenEndpointUrl: 'https://auth.example.com/token',
          scopes: ['hooks'],
        },
      },
    );
    if (!created.ok) throw new Error(`createWebhook failed: ${JSON.stringify(created)}`);
    const { webhook, signingSecret } = created.value;
    const plaintexts = [headerValue, clientSecret, signingSecret];

    let raw: string;
    let stored: Webhook;
    if (kind === 'sqlite') {
      const file = t.location.file;
      if (!file) throw new Error('no SQLite file location');
      raw = readFileSync(file).toString('latin1');
      if (existsSync(`${file}-wal`)) raw += readFileSync(`${file}-wal`).toString('latin1');
      const db = new Database(file, { readonly: true });
      try {
        const docs = db.prepare<[], { doc: string }>('SELECT doc FROM webhooks').all();
        const own = docs.map((d) => d.doc).filter((d) => d.includes(webhook.id));
        expect(own).toHaveLength(1);
        raw += `\n${docs.map((d) => d.doc).join('\n')}`;
        stored = JSON.parse(own[0] as string) as Webhook;
      } finally {
        db.close();
      }
    } else {
      const { uri, dbName } = t.location;
      if (!uri || !dbName) throw new Error('no MongoDB location');
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
      try {
        await client.connect();
        const docs = await client.db(dbName).collection<{ _id: string }>('webhooks').find({}).toArray();
        const own = docs.filter((d) => d._id === webhook.id);
        expect(own).toHaveLength(1);
        raw = JSON.stringify(docs);
        stored = own[0] as unknown as Webhook;
      } finally {
        await client.close();
      }
    }

    // The raw storage does hold this webhook (so an absent secret is not an absent record)…
    expect(raw).toContain(webhook.id);
    expect(raw).toContain(name);
    expect(raw).toContain(webhook.signingSecrets.current.ciphertext);
    // …but none of its secrets in plain text.
    for (const secret of [...plaintexts, random]) expect(raw).not.toContain(secret);

    // Encrypted, not dropped: the stored ciphertexts decrypt back to the plaintexts.
    const header = stored.headers[0];
    if (!header || !stored.oauth) throw new Error('stored webhook lacks its header or oauth');
    expect(header.value.ciphertext).toMatch(/^v1\./);
    expect(secrets.decrypt(header.value, accountId)).toBe(headerValue);
    expect(secrets.decrypt(stored.oauth.clientSecret, accountId)).toBe(clientSecret);
    expect(secrets.decrypt(stored.signingSecrets.current, accountId)).toBe(signingSecret);
    // Bound to the account: the same ciphertext does not decrypt for another one.
    expect(() => secrets.decrypt(header.value, uniqueAccountId())).toThrow();

    // API keys are stored as a hash; invocation logs hold the headers and the OAuth token masked.
    const apiKey = await createApiKey(
      { apiKeys: t.stores.apiKeys },
      { accountId },
      { name: 'raw check', role: 'ADMIN' },
    );
    if (!apiKey.ok) throw apiKey.error;
    const accessToken = `at-${randomBytes(12).toString('hex')}`;
    const http: Pick<HttpClient, 'send'> = {
      send: async (req) => ({
        statusCode: 200,
        headers: [['content-type', 'application/json']],
        body: Buffer.from(
          JSON.stringify(
            req.url === 'https://auth.example.com/token'
              ? { access_token: accessToken, expires_in: 3600 }
              : { ok: true },
          ),
        ),
        bodyComplete: true,
      }),
    };
    const delivery = { http, oauth: new OAuthTokens(http), secrets, sandbox };
    const tested = await testWebhook(
      {
        webhooks: store,
        events: t.stores.events,
        invocations: t.stores.invocations,
        secrets,
        sandbox,
        deliverer: { attempt: (input) => attemptDelivery(delivery, input) },
        notifyWork: () => {},
      },
      { accountId },
      { id: webhook.id },
    );
    if (!tested.ok) throw tested.error;
    expect(tested.value.success).toBe(true);
    const logged = tested.value.invocation.attempts[0]?.request.headers ?? [];
    expect(logged).toEqual(
      expect.arrayContaining([
        { name: 'X-Custom-Auth', value: header.value.masked },
        { name: 'authorization', value: `Bearer ••••${accessToken.slice(-4)}` },
      ]),
    );

    const everything = await rawStorage(kind, t.location);
    // The records are there…
    expect(everything).toContain(apiKey.value.apiKey.hash);
    expect(everything).toContain(tested.value.invocation.id);
    expect(everything).toContain(`••••${accessToken.slice(-4)}`);
    // …their secrets are not.
    for (const plaintext of [...plaintexts, random, apiKey.value.token, accessToken]) {
      expect(everything).not.toContain(plaintext);
    }
  });
});

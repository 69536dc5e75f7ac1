import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import { eventFilterValues, eventMatchKeys } from '../../src/domain/matching.js';
import { SecretBox } from '../../src/domain/secrets.js';
import { emptyFilters, type Webhook } from '../../src/domain/webhook.js';
import { openSqliteStores } from '../../src/store/sqlite/index.js';
import { storedWebhook } from '../support/factories.js';

const dir = mkdtempSync(join(tmpdir(), 'wh-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('webhooks stored before match keys existed get them from their filters when the store opens', async () => {
  const file = join(dir, 'webhooks.db');
  const box = new SecretBox(randomBytes(32));
  const accountId = 'acct_migrate';
  const webhook = (filters = emptyFilters()): Webhook =>
    storedWebhook(box, { accountId, triggers: ['RequestCreated', 'RequestApproved'], filters });
  const unfiltered = webhook();
  const hit = webhook({ ...emptyFilters(), integrationIds: ['int_pg_prod', 'int_x'] });
  const miss = webhook({ ...emptyFilters(), integrationIds: ['int_x'] });

  const stores = openSqliteStores(file);
  for (const w of [unfiltered, hit, miss]) expect(await stores.webhooks.insert(w)).toBe('ok');
  await stores.close();
  // Back to the schema before the match-key migration, as an older release left it.
  const db = new Database(file);
  db.exec('DROP TABLE webhook_match_keys');
  db.pragma('user_version = 3');
  db.close();

  const reopened = openSqliteStores(file);
  try {
    const keys = eventMatchKeys(eventFilterValues(sampleEvent('RequestApproved')));
    const ids = (await reopened.webhooks.listMatchCandidates(accountId, 'RequestApproved', keys)).map(
      (w) => w.id,
    );
    expect(ids.sort()).toEqual([unfiltered.id, hit.id].sort());
  } finally {
    await reopened.close();
  }
});

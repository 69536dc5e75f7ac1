import { join } from 'node:path';
import type { Stores } from '../../domain/ports.js';
import { SqliteApiKeyStore } from './api-key-store.js';
import { Checkpointer, FALLBACK_AUTOCHECKPOINT_PAGES } from './checkpointer.js';
import { openDatabase } from './database.js';
import { SqliteEventStore } from './event-store.js';
import { SqliteFilterOptionStore } from './filter-option-store.js';
import { GroupCommit } from './group-commit.js';
import { SqliteInvocationStore } from './invocation-store.js';
import { SqliteOperationalStore } from './operational-store.js';
import { SqliteQuotaStore } from './quota-store.js';
import { SqliteWebhookStore } from './webhook-store.js';
import { WorkSignal } from './work-signal.js';

/** The embedded store: one SQLite file in WAL mode. */
export function openSqliteStores(file: string): Stores {
  const db = openDatabase(file);
  // Checkpoints run on a thread of their own; a commit checkpoints only if the WAL grows far.
  const checkpointer = file === ':memory:' ? null : new Checkpointer(file);
  if (checkpointer) db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const invocations = new SqliteInvocationStore(db);
  const workSignal = file === ':memory:' ? undefined : new WorkSignal(`${file}.workers`);
  return {
    kind: 'sqlite',
    workSignal,
    webhooks: new SqliteWebhookStore(db),
    events: new SqliteEventStore(db, invocations),
    invocations,
    apiKeys: new SqliteApiKeyStore(db),
    filterOptions: new SqliteFilterOptionStore(db),
    operational: new SqliteOperationalStore(db),
    quotas: new SqliteQuotaStore(db),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (!db.open) return;
      workSignal?.close();
      // Writes of the current turn are committed, not lost with the connection.
      GroupCommit.of(db).flush();
      db.close();
      await checkpointer?.stop();
    },
  };
}

export function sqliteFileIn(dataDir: string): string {
  return join(dataDir, 'webhooks.db');
}

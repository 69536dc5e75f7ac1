import { join } from 'node:path';
import type { Stores } from '../ports.js';
import { SqliteApiKeyStore } from './api-key-store.js';
import { openDatabase } from './database.js';
import { SqliteEventStore } from './event-store.js';
import { GroupCommit } from './group-commit.js';
import { SqliteInvocationStore } from './invocation-store.js';
import { SqliteWebhookStore } from './webhook-store.js';

/** The embedded store: one SQLite file in WAL mode. */
export function openSqliteStores(file: string): Stores {
  const db = openDatabase(file);
  return {
    kind: 'sqlite',
    webhooks: new SqliteWebhookStore(db),
    events: new SqliteEventStore(db),
    invocations: new SqliteInvocationStore(db),
    apiKeys: new SqliteApiKeyStore(db),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (!db.open) return;
      // Writes of the current turn are committed, not lost with the connection.
      GroupCommit.of(db).flush();
      db.close();
    },
  };
}

export function sqliteFileIn(dataDir: string): string {
  return join(dataDir, 'webhooks.db');
}

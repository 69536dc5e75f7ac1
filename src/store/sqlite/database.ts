import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Migrations, applied in order at open; `PRAGMA user_version` records how many have run.
 * Append only: a released migration is never edited.
 */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE webhooks (
    account_id TEXT NOT NULL,
    id         TEXT NOT NULL,
    name_key   TEXT NOT NULL,
    status     TEXT NOT NULL,
    version    INTEGER NOT NULL,
    doc        TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX webhooks_name ON webhooks (account_id, name_key);
  CREATE TABLE webhook_triggers (
    account_id TEXT NOT NULL,
    trigger    TEXT NOT NULL,
    webhook_id TEXT NOT NULL,
    PRIMARY KEY (account_id, trigger, webhook_id)
  ) WITHOUT ROWID;
  `,
];

export type Db = Database.Database;

export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits).
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const apply = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (let i = current; i < MIGRATIONS.length; i++) db.exec(MIGRATIONS[i] as string);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  });
  apply.immediate();
}

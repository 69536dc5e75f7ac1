import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { webhookMatchKeys } from '../../domain/matching.js';
import { FILTER_DIMENSIONS, foldFilterValue, type WebhookFilters } from '../../domain/webhook.js';

/**
 * Migrations, applied in order at open; `PRAGMA user_version` records how many have run.
 * Append only: a released migration is never edited. A migration is SQL, or a function for what
 * SQL cannot say the way the domain does (folding text the way JavaScript does, say).
 */
const MIGRATIONS: (string | ((db: Database.Database) => void))[] = [
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
  `
  CREATE TABLE events (
    account_id      TEXT NOT NULL,
    id              TEXT NOT NULL,
    fanned_out      INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    doc             TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX events_unfanned ON events (fanned_out, created_at);
  CREATE TABLE idempotency_keys (
    account_id TEXT NOT NULL,
    key        TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, key)
  ) WITHOUT ROWID;
  CREATE TABLE invocations (
    account_id      TEXT NOT NULL,
    id              TEXT NOT NULL UNIQUE,
    webhook_id      TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    status          TEXT NOT NULL,
    test            INTEGER NOT NULL,
    attempt_count   INTEGER NOT NULL,
    next_attempt_at INTEGER,
    lease_owner     TEXT,
    lease_until     INTEGER,
    fanout_key      TEXT UNIQUE,
    superseded      INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    doc             TEXT NOT NULL
  );
  CREATE INDEX invocations_due ON invocations (status, next_attempt_at);
  CREATE INDEX invocations_lease ON invocations (status, lease_until);
  CREATE INDEX invocations_account ON invocations (account_id, id);
  CREATE INDEX invocations_webhook ON invocations (account_id, webhook_id, id);
  CREATE INDEX invocations_status ON invocations (account_id, status, id);
  CREATE INDEX invocations_event ON invocations (account_id, event_id);
  CREATE INDEX invocations_owner ON invocations (lease_owner);
  `,
  `
  CREATE TABLE accounts (
    id         TEXT PRIMARY KEY,
    doc        TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE api_keys (
    account_id TEXT NOT NULL,
    id         TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    doc        TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
  ) WITHOUT ROWID;
  CREATE TABLE bootstrap (
    id         TEXT PRIMARY KEY
  ) WITHOUT ROWID;
  `,
  // Matching by filter values (domain/matching.ts match keys), so a publish reads only the webhooks
  // that may match; existing webhooks get their keys from their stored filters.
  `
  CREATE TABLE webhook_match_keys (
    account_id TEXT NOT NULL,
    trigger    TEXT NOT NULL,
    match_key  TEXT NOT NULL,
    webhook_id TEXT NOT NULL,
    PRIMARY KEY (account_id, trigger, match_key, webhook_id)
  ) WITHOUT ROWID;
  INSERT OR IGNORE INTO webhook_match_keys (account_id, trigger, match_key, webhook_id)
    SELECT w.account_id, t.value, d.key || char(31) || v.value, w.id
    FROM webhooks w, json_each(w.doc, '$.triggers') t, json_each(w.doc, '$.filters') d, json_each(d.value) v;
  INSERT OR IGNORE INTO webhook_match_keys (account_id, trigger, match_key, webhook_id)
    SELECT w.account_id, t.value, '*', w.id
    FROM webhooks w, json_each(w.doc, '$.triggers') t
    WHERE NOT EXISTS (SELECT 1 FROM json_each(w.doc, '$.filters') d, json_each(d.value) v);
  `,
  // A counter that every change to webhooks bumps, in the same transaction: a process may keep what
  // it read from webhooks and learn with one primary-key read whether any process changed them since.
  `
  CREATE TABLE IF NOT EXISTS change_counters (
    name TEXT PRIMARY KEY,
    n    INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT OR IGNORE INTO change_counters (name, n) VALUES ('webhooks', 0);
  CREATE TRIGGER IF NOT EXISTS webhooks_inserted AFTER INSERT ON webhooks
    BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'webhooks'; END;
  CREATE TRIGGER IF NOT EXISTS webhooks_updated AFTER UPDATE ON webhooks
    BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'webhooks'; END;
  CREATE TRIGGER IF NOT EXISTS webhooks_deleted AFTER DELETE ON webhooks
    BEGIN UPDATE change_counters SET n = n + 1 WHERE name = 'webhooks'; END;
  `,
  // The queue's indexes hold only queued rows (one partial index per state the claim reads), so a
  // finished invocation leaves them: the claim's index stays the size of the queue, not of the log,
  // and finishing an attempt deletes an index entry instead of moving it. Retention finds old rows
  // by creation time, an index written once per row (in order) and never on a status change.
  `
  DROP INDEX IF EXISTS invocations_due;
  DROP INDEX IF EXISTS invocations_lease;
  DROP INDEX IF EXISTS invocations_owner;
  CREATE INDEX IF NOT EXISTS invocations_pending ON invocations (next_attempt_at) WHERE status = 'PENDING';
  CREATE INDEX IF NOT EXISTS invocations_retrying ON invocations (next_attempt_at) WHERE status = 'RETRYING';
  CREATE INDEX IF NOT EXISTS invocations_leased ON invocations (lease_until) WHERE status = 'IN_FLIGHT';
  CREATE INDEX IF NOT EXISTS invocations_owner ON invocations (lease_owner) WHERE lease_owner IS NOT NULL;
  CREATE INDEX IF NOT EXISTS invocations_created ON invocations (created_at);
  `,
  // The filter catalog (domain/filter-catalog.ts): the values each account's events carried.
  `
  CREATE TABLE IF NOT EXISTS filter_options (
    account_id   TEXT NOT NULL,
    dimension    TEXT NOT NULL,
    value        TEXT NOT NULL,
    label        TEXT NOT NULL,
    seen_count   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, dimension, value)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS filter_options_recent ON filter_options (account_id, dimension, last_seen_at);
  `,
  // Type-like filter dimensions became case-insensitive: saved values are folded to lower case (as
  // events' values are when compared) and the match keys made from them again.
  foldSavedFilters,
  // Delivery controls: FIFO queues (held invocations are PENDING with no next_attempt_at; a queue's
  // row names its head) and rate-limit windows (one row per webhook: the current window's count).
  (db) => {
    const columns = db.prepare<[], { name: string }>('PRAGMA table_info(invocations)').all();
    if (!columns.some((c) => c.name === 'ordering_key')) {
      db.exec('ALTER TABLE invocations ADD COLUMN ordering_key TEXT');
    }
    db.exec(`
      CREATE INDEX IF NOT EXISTS invocations_held ON invocations (ordering_key, id)
        WHERE status = 'PENDING' AND next_attempt_at IS NULL;
      CREATE TABLE IF NOT EXISTS fifo_queues (
        ordering_key TEXT PRIMARY KEY,
        holder       TEXT
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS rate_windows (
        account_id   TEXT NOT NULL,
        webhook_id   TEXT NOT NULL,
        window_start INTEGER NOT NULL,
        used         INTEGER NOT NULL,
        PRIMARY KEY (account_id, webhook_id)
      ) WITHOUT ROWID;
    `);
  },
  // Operational events (domain/operational-event.ts) with their delivery to the account's operational
  // webhook (a small queue: due and leased rows in partial indexes), and that webhook, one per account.
  `
  CREATE TABLE IF NOT EXISTS operational_webhooks (
    account_id TEXT PRIMARY KEY,
    doc        TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS operational_events (
    account_id      TEXT NOT NULL,
    id              TEXT NOT NULL,
    delivery_status TEXT NOT NULL,
    next_attempt_at INTEGER,
    lease_owner     TEXT,
    lease_until     INTEGER,
    occurred_at     INTEGER NOT NULL,
    doc             TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS operational_events_due ON operational_events (next_attempt_at)
    WHERE delivery_status = 'PENDING';
  CREATE INDEX IF NOT EXISTS operational_events_leased ON operational_events (lease_until)
    WHERE delivery_status = 'IN_FLIGHT';
  CREATE INDEX IF NOT EXISTS operational_events_occurred ON operational_events (occurred_at);
  `,
  // What the health triggers below read on a worker's save, as columns the store writes (NULL on rows
  // saved before them, where the triggers read the JSON instead): when a finished delivery finished
  // (completedAt, else updatedAt; ms), and the last attempt's start (ms) and duration.
  (db) => {
    const columns = new Set((db.pragma('table_info(invocations)') as { name: string }[]).map((c) => c.name));
    for (const column of ['outcome_at', 'last_attempt_at', 'last_attempt_ms'])
      if (!columns.has(column)) db.exec(`ALTER TABLE invocations ADD COLUMN ${column} INTEGER`);
  },
  // Webhook health (domain/health.ts): hourly rollups that triggers keep equal to what the stored
  // invocations say, in the transaction of every write to them (inserts, saves, retention's deletes),
  // so a crash loses or doubles nothing; filled here from the invocations already stored. And the
  // deliveries retrying now, per webhook, from a partial index of the queue's size.
  `
  CREATE TABLE IF NOT EXISTS health_outcomes (
    account_id TEXT NOT NULL,
    webhook_id TEXT NOT NULL,
    hour       INTEGER NOT NULL,
    succeeded  INTEGER NOT NULL,
    failed     INTEGER NOT NULL,
    PRIMARY KEY (account_id, webhook_id, hour)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS health_durations (
    account_id  TEXT NOT NULL,
    webhook_id  TEXT NOT NULL,
    hour        INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    attempts    INTEGER NOT NULL,
    PRIMARY KEY (account_id, webhook_id, hour, duration_ms)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS invocations_retrying_webhook ON invocations (account_id, webhook_id)
    WHERE attempt_count > 0 AND status IN ('RETRYING', 'IN_FLIGHT');
  CREATE TRIGGER IF NOT EXISTS invocations_health_inserted AFTER INSERT ON invocations
    WHEN NEW.test = 0 AND (NEW.attempt_count > 0 OR NEW.status IN ('SUCCEEDED', 'FAILED'))
    BEGIN ${healthRollup('NEW', 1)} END;
  -- Updates pay only for what changes the rollups, so claims and lease moves cost nothing: a delivery
  -- finishing (or leaving a finished state), attempts added (a worker's save adds one: read from the
  -- columns, no JSON; more at once: only the new ones are read), and the rare rewrite (the test flag,
  -- or fewer attempts than before), which counts the row again whole.
  CREATE TRIGGER IF NOT EXISTS invocations_health_outcome AFTER UPDATE ON invocations
    WHEN (OLD.test = 0 OR NEW.test = 0)
      AND (OLD.status IN ('SUCCEEDED', 'FAILED') OR NEW.status IN ('SUCCEEDED', 'FAILED'))
      AND (OLD.status IS NOT NEW.status OR OLD.test IS NOT NEW.test OR OLD.outcome_at IS NOT NEW.outcome_at)
    BEGIN ${outcomeRollup('OLD', -1)} ${outcomeRollup('NEW', 1)} END;
  CREATE TRIGGER IF NOT EXISTS invocations_health_attempt AFTER UPDATE ON invocations
    WHEN OLD.test = 0 AND NEW.test = 0 AND NEW.attempt_count = OLD.attempt_count + 1
      AND NEW.last_attempt_at IS NOT NULL
    BEGIN ${durationRollup('NEW', 1, { lastAttemptColumns: true })} END;
  CREATE TRIGGER IF NOT EXISTS invocations_health_attempts AFTER UPDATE ON invocations
    WHEN OLD.test = 0 AND NEW.test = 0 AND NEW.attempt_count > OLD.attempt_count
      AND NOT (NEW.attempt_count = OLD.attempt_count + 1 AND NEW.last_attempt_at IS NOT NULL)
    BEGIN ${durationRollup('NEW', 1, { fromAttempt: 'OLD.attempt_count' })} END;
  CREATE TRIGGER IF NOT EXISTS invocations_health_rewritten AFTER UPDATE ON invocations
    WHEN OLD.test IS NOT NEW.test OR NEW.attempt_count < OLD.attempt_count
    BEGIN ${durationRollup('OLD', -1)} ${durationRollup('NEW', 1)} END;
  CREATE TRIGGER IF NOT EXISTS invocations_health_deleted AFTER DELETE ON invocations
    WHEN OLD.test = 0 AND (OLD.attempt_count > 0 OR OLD.status IN ('SUCCEEDED', 'FAILED'))
    BEGIN ${healthRollup('OLD', -1)} END;
  ${healthRollup('invocations', 1, 'FROM invocations WHERE true')}
  `,
];

/**
 * What the rows of `row` (NEW or OLD in a trigger; a table for the backfill) add to the health
 * rollups, times `sign`: a finished delivery to its hour's outcome (completedAt), each attempt to
 * its hour and rounded duration (durationKey in domain/health.ts, in integer SQL). Times are the
 * ISO text JSON.stringify writes; strftime('%s') reads them to the second.
 */
function healthRollup(row: string, sign: 1 | -1, from = 'WHERE true'): string {
  return `${outcomeRollup(row, sign, from)} ${durationRollup(row, sign, { from })}`;
}

/** A finished delivery's outcome, in the hour it finished (see healthRollup). */
function hourSql(iso: string): string {
  return `(CAST(strftime('%s', ${iso}) AS INTEGER) / 3600) * 3600000`;
}

function outcomeRollup(row: string, sign: 1 | -1, from = 'WHERE true'): string {
  return `
    INSERT INTO health_outcomes (account_id, webhook_id, hour, succeeded, failed)
      SELECT ${row}.account_id, ${row}.webhook_id,
        coalesce((${row}.outcome_at / 3600000) * 3600000,
          ${hourSql(`coalesce(json_extract(${row}.doc, '$.completedAt'), json_extract(${row}.doc, '$.updatedAt'))`)}) AS h,
        sum(${sign} * (${row}.status = 'SUCCEEDED')), sum(${sign} * (${row}.status = 'FAILED'))
      ${from} AND ${row}.test = 0 AND ${row}.status IN ('SUCCEEDED', 'FAILED')
      GROUP BY 1, 2, 3
      ON CONFLICT DO UPDATE SET succeeded = succeeded + excluded.succeeded, failed = failed + excluded.failed;`;
}

/**
 * Attempts' durations, each in the hour it started (see healthRollup); with `fromAttempt`, only the
 * attempts from that index on (those an update added).
 */
function durationRollup(
  row: string,
  sign: 1 | -1,
  o: { from?: string; fromAttempt?: string; lastAttemptColumns?: boolean } = {},
): string {
  const attempts =
    (o.from ?? 'WHERE true') === 'WHERE true'
      ? `json_each(${row}.doc, '$.attempts') a WHERE ${row}.test = 0${o.fromAttempt ? ` AND a.key >= ${o.fromAttempt}` : ''}`
      : `invocations, json_each(invocations.doc, '$.attempts') a WHERE invocations.test = 0`;
  const source = o.lastAttemptColumns
    ? `SELECT ${row}.account_id AS account_id, ${row}.webhook_id AS webhook_id,
            (${row}.last_attempt_at / 3600000) * 3600000 AS h, max(0, ${row}.last_attempt_ms) AS d
          WHERE ${row}.test = 0`
    : `SELECT ${row}.account_id AS account_id, ${row}.webhook_id AS webhook_id,
            ${hourSql("json_extract(a.value, '$.startedAt')")} AS h,
            max(0, CAST(json_extract(a.value, '$.durationMs') AS INTEGER)) AS d
          FROM ${attempts}`;
  return `
    INSERT INTO health_durations (account_id, webhook_id, hour, duration_ms, attempts)
      SELECT account_id, webhook_id, h,
        CASE WHEN d < 100 THEN d
          ELSE ((d + step - 1) / step) * step END AS k,
        ${sign} * count(*)
      FROM (
        SELECT account_id, webhook_id, h, d,
          CAST(substr('1000000000000000000', 1, length(d) - 1) AS INTEGER) AS step
        FROM (
          ${source}
        )
      )
      WHERE true
      GROUP BY 1, 2, 3, 4
      ON CONFLICT DO UPDATE SET attempts = attempts + excluded.attempts;`;
}

function foldSavedFilters(db: Database.Database): void {
  const rows = db.prepare<[], { account_id: string; id: string; doc: string }>(
    'SELECT account_id, id, doc FROM webhooks',
  );
  const save = db.prepare('UPDATE webhooks SET doc = ? WHERE account_id = ? AND id = ?');
  const dropKeys = db.prepare('DELETE FROM webhook_match_keys WHERE account_id = ? AND webhook_id = ?');
  const addKey = db.prepare(
    'INSERT OR IGNORE INTO webhook_match_keys (account_id, trigger, match_key, webhook_id) VALUES (?, ?, ?, ?)',
  );
  for (const row of rows.all()) {
    const doc = JSON.parse(row.doc) as { triggers?: string[]; filters?: Partial<WebhookFilters> };
    if (!doc.filters) continue;
    const filters = {} as WebhookFilters;
    for (const d of FILTER_DIMENSIONS) {
      filters[d] = [...new Set((doc.filters[d] ?? []).map((v) => foldFilterValue(d, v)))];
    }
    doc.filters = filters;
    save.run(JSON.stringify(doc), row.account_id, row.id);
    dropKeys.run(row.account_id, row.id);
    for (const trigger of doc.triggers ?? []) {
      for (const key of webhookMatchKeys(filters)) addKey.run(row.account_id, trigger, key, row.id);
    }
  }
}

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
    for (let i = current; i < MIGRATIONS.length; i++) {
      const migration = MIGRATIONS[i];
      if (typeof migration === 'function') migration(db);
      else db.exec(migration as string);
    }
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  });
  apply.immediate();
}

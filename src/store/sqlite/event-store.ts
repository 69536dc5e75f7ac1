import type { StoredEvent } from '../../domain/invocation.js';
import type { EventStore, FannedOutEvent, IdempotencyClaim } from '../../domain/ports.js';
import { eventCodec } from '../codecs.js';
import type { Db } from './database.js';
import { GroupCommit } from './group-commit.js';
import type { SqliteInvocationStore } from './invocation-store.js';

/** The fan-out mark is a column only (the truth), so marking an event does not rewrite its JSON. */
interface Row {
  doc: string;
  fanned_out: number;
}

function fromRow(row: Row): StoredEvent {
  const e = eventCodec.fromDocument(JSON.parse(row.doc));
  e.fannedOut = row.fanned_out === 1;
  return e;
}

export class SqliteEventStore implements EventStore {
  readonly #writes: GroupCommit;
  readonly #insert;
  readonly #get;
  readonly #markFannedOut;
  readonly #unfanned;
  readonly #recent;
  readonly #getKey;
  readonly #insertKey;
  readonly #replaceKey;
  readonly #deleteOrphans;
  readonly #deleteKeys;

  readonly #invocations: SqliteInvocationStore;

  constructor(db: Db, invocations: SqliteInvocationStore) {
    this.#invocations = invocations;
    this.#writes = GroupCommit.of(db);
    this.#insert = db.prepare(
      'INSERT INTO events (account_id, id, fanned_out, created_at, doc) VALUES (?, ?, ?, ?, ?)',
    );
    this.#get = db.prepare<[string, string], Row>(
      'SELECT doc, fanned_out FROM events WHERE account_id = ? AND id = ?',
    );
    this.#markFannedOut = db.prepare('UPDATE events SET fanned_out = 1 WHERE account_id = ? AND id = ?');
    this.#unfanned = db.prepare<[number, number], Row>(
      'SELECT doc, fanned_out FROM events WHERE fanned_out = 0 AND created_at < ? ORDER BY created_at LIMIT ?',
    );
    // Ids sort by time: the primary key, walked backwards, skipping the few test events.
    this.#recent = db.prepare<[string, number], Row>(
      `SELECT doc, fanned_out FROM events WHERE account_id = ? AND json_extract(doc, '$.test') = 0
       ORDER BY id DESC LIMIT ?`,
    );
    this.#getKey = db.prepare<[string, string], { event_id: string; created_at: number }>(
      'SELECT event_id, created_at FROM idempotency_keys WHERE account_id = ? AND key = ?',
    );
    this.#insertKey = db.prepare(
      'INSERT INTO idempotency_keys (account_id, key, event_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.#deleteOrphans = db.prepare(
      `DELETE FROM events WHERE (account_id, id) IN (
         SELECT e.account_id, e.id FROM events e
         WHERE e.created_at < ? AND e.fanned_out = 1
           AND NOT EXISTS (SELECT 1 FROM invocations i WHERE i.account_id = e.account_id AND i.event_id = e.id)
         LIMIT ?)`,
    );
    this.#deleteKeys = db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?');
    this.#replaceKey = db.prepare(
      'UPDATE idempotency_keys SET event_id = ?, created_at = ? WHERE account_id = ? AND key = ? AND (created_at < ? OR event_id = ?)',
    );
  }

  async listRecent(accountId: string, limit: number): Promise<StoredEvent[]> {
    return this.#recent.all(accountId, limit).map(fromRow);
  }

  async insert(e: StoredEvent): Promise<void> {
    const doc = JSON.stringify(eventCodec.toDocument(e));
    await this.#writes.statement(() =>
      this.#insert.run(e.accountId, e.id, e.fannedOut ? 1 : 0, e.createdAt.getTime(), doc),
    );
  }

  async insertFannedOut(batch: FannedOutEvent[]): Promise<void> {
    // One write (savepoint) per event: a failing event undoes only itself; the batch shares a commit.
    await Promise.all(
      batch.map(({ event, invocations }) => {
        const doc = JSON.stringify(eventCodec.toDocument({ ...event, fannedOut: true }));
        return this.#writes.run(() => {
          this.#insert.run(event.accountId, event.id, 1, event.createdAt.getTime(), doc);
          this.#invocations.insertNow(invocations);
        });
      }),
    );
  }

  async get(accountId: string, id: string): Promise<StoredEvent | null> {
    const row = this.#get.get(accountId, id);
    return row ? fromRow(row) : null;
  }

  async markFannedOut(accountId: string, id: string): Promise<void> {
    await this.#writes.statement(() => this.#markFannedOut.run(accountId, id));
  }

  async claimIdempotencyKey(
    accountId: string,
    key: string,
    eventId: string,
    now: Date,
    expiresBefore: Date,
    orphanEventId?: string,
  ): Promise<IdempotencyClaim> {
    return this.#writes.run((): IdempotencyClaim => {
      if (this.#insertKey.run(accountId, key, eventId, now.getTime()).changes === 1) return { claimed: true };
      const replaced = this.#replaceKey.run(
        eventId,
        now.getTime(),
        accountId,
        key,
        expiresBefore.getTime(),
        orphanEventId ?? null,
      );
      if (replaced.changes === 1) {
        return { claimed: true };
      }
      const existing = this.#getKey.get(accountId, key);
      return existing ? { claimed: false, eventId: existing.event_id } : { claimed: true };
    });
  }

  async deleteOrphansBefore(before: Date, limit: number): Promise<number> {
    return this.#writes.statement(() => this.#deleteOrphans.run(before.getTime(), limit).changes);
  }

  async deleteIdempotencyKeysBefore(before: Date): Promise<number> {
    return this.#writes.statement(() => this.#deleteKeys.run(before.getTime()).changes);
  }

  async listUnfannedOut(before: Date, limit: number): Promise<StoredEvent[]> {
    return this.#unfanned.all(before.getTime(), limit).map(fromRow);
  }
}

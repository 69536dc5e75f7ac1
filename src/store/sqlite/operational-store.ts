import type { OperationalWebhook, StoredOperationalEvent } from '../../domain/operational-event.js';
import type { Page } from '../../domain/pagination.js';
import type { ClaimRequest, OperationalStore } from '../../domain/ports.js';
import { operationalEventCodec, operationalWebhookCodec } from '../codecs.js';
import type { Db } from './database.js';
import { GroupCommit } from './group-commit.js';

interface Row {
  doc: string;
}

const fromRow = (row: Row): StoredOperationalEvent => operationalEventCodec.fromDocument(JSON.parse(row.doc));

/** The columns that the claim and retention read, beside the whole record in `doc`. */
function eventParams(e: StoredOperationalEvent) {
  return {
    account_id: e.accountId,
    id: e.id,
    delivery_status: e.delivery.status,
    next_attempt_at: e.delivery.nextAttemptAt?.getTime() ?? null,
    lease_owner: e.delivery.leaseOwner,
    lease_until: e.delivery.leaseUntil?.getTime() ?? null,
    occurred_at: e.occurredAt.getTime(),
    doc: JSON.stringify(operationalEventCodec.toDocument(e)),
  };
}

export class SqliteOperationalStore implements OperationalStore {
  readonly #writes: GroupCommit;
  readonly #getWebhook;
  readonly #putWebhook;
  readonly #deleteWebhook;
  readonly #insert;
  readonly #list;
  readonly #listAfter;
  readonly #anyDue;
  readonly #due;
  readonly #save;
  readonly #saveLeased;
  readonly #deleteBefore;

  constructor(db: Db) {
    this.#writes = GroupCommit.of(db);
    this.#getWebhook = db.prepare<[string], Row>('SELECT doc FROM operational_webhooks WHERE account_id = ?');
    this.#putWebhook = db.prepare(
      `INSERT INTO operational_webhooks (account_id, doc) VALUES (?, ?)
       ON CONFLICT (account_id) DO UPDATE SET doc = excluded.doc`,
    );
    this.#deleteWebhook = db.prepare('DELETE FROM operational_webhooks WHERE account_id = ?');
    const columns =
      'account_id, id, delivery_status, next_attempt_at, lease_owner, lease_until, occurred_at, doc';
    this.#insert = db.prepare(
      `INSERT INTO operational_events (${columns})
       VALUES (@account_id, @id, @delivery_status, @next_attempt_at, @lease_owner, @lease_until, @occurred_at, @doc)`,
    );
    this.#list = db.prepare<[string, number], Row>(
      'SELECT doc FROM operational_events WHERE account_id = ? ORDER BY id DESC LIMIT ?',
    );
    this.#listAfter = db.prepare<[string, string, number], Row>(
      'SELECT doc FROM operational_events WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?',
    );
    // A read first: an idle poll takes no write lock.
    this.#anyDue = db
      .prepare<{ now: number }, number>(
        `SELECT EXISTS (SELECT 1 FROM operational_events WHERE delivery_status = 'PENDING' AND next_attempt_at <= @now)
             OR EXISTS (SELECT 1 FROM operational_events WHERE delivery_status = 'IN_FLIGHT' AND lease_until < @now)`,
      )
      .pluck();
    this.#due = db.prepare<{ now: number; limit: number }, Row>(
      `SELECT doc FROM (
         SELECT * FROM (SELECT doc, next_attempt_at AS due FROM operational_events
           WHERE delivery_status = 'PENDING' AND next_attempt_at <= @now ORDER BY next_attempt_at LIMIT @limit)
         UNION ALL
         SELECT * FROM (SELECT doc, lease_until AS due FROM operational_events
           WHERE delivery_status = 'IN_FLIGHT' AND lease_until < @now ORDER BY lease_until LIMIT @limit)
       ) ORDER BY due LIMIT @limit`,
    );
    const set = `delivery_status = @delivery_status, next_attempt_at = @next_attempt_at,
      lease_owner = @lease_owner, lease_until = @lease_until, doc = @doc`;
    this.#save = db.prepare(
      `UPDATE operational_events SET ${set} WHERE account_id = @account_id AND id = @id`,
    );
    this.#saveLeased = db.prepare(
      `UPDATE operational_events SET ${set}
       WHERE account_id = @account_id AND id = @id AND lease_owner = @expected_owner`,
    );
    this.#deleteBefore = db.prepare(
      `DELETE FROM operational_events WHERE (account_id, id) IN (
         SELECT account_id, id FROM operational_events
         WHERE occurred_at < ? AND delivery_status NOT IN ('PENDING', 'IN_FLIGHT') LIMIT ?)`,
    );
  }

  async getWebhook(accountId: string): Promise<OperationalWebhook | null> {
    const row = this.#getWebhook.get(accountId);
    return row ? operationalWebhookCodec.fromDocument(JSON.parse(row.doc)) : null;
  }

  async putWebhook(webhook: OperationalWebhook): Promise<void> {
    const doc = JSON.stringify(operationalWebhookCodec.toDocument(webhook));
    await this.#writes.statement(() => this.#putWebhook.run(webhook.accountId, doc));
  }

  async deleteWebhook(accountId: string): Promise<boolean> {
    return this.#writes.statement(() => this.#deleteWebhook.run(accountId).changes === 1);
  }

  async insertEvent(event: StoredOperationalEvent): Promise<void> {
    const row = eventParams(event);
    await this.#writes.statement(() => this.#insert.run(row));
  }

  async listEvents(
    accountId: string,
    q: { first: number; after?: string },
  ): Promise<Page<StoredOperationalEvent>> {
    const rows = q.after
      ? this.#listAfter.all(accountId, q.after, q.first + 1)
      : this.#list.all(accountId, q.first + 1);
    return { items: rows.slice(0, q.first).map(fromRow), hasNextPage: rows.length > q.first };
  }

  async claimDueDeliveries(r: Omit<ClaimRequest, 'excludeWebhookIds'>): Promise<StoredOperationalEvent[]> {
    const now = r.now.getTime();
    if (!this.#anyDue.get({ now })) return [];
    // Read and lease in one transaction (BEGIN IMMEDIATE): no other process claims the same rows.
    return this.#writes.run(() =>
      this.#due.all({ now, limit: r.limit }).map((row) => {
        const event = fromRow(row);
        const leased: StoredOperationalEvent = {
          ...event,
          delivery: { ...event.delivery, status: 'IN_FLIGHT', leaseOwner: r.owner, leaseUntil: r.leaseUntil },
        };
        this.#save.run(eventParams(leased));
        return leased;
      }),
    );
  }

  async saveDelivery(event: StoredOperationalEvent, owner: string): Promise<boolean> {
    const row = { ...eventParams(event), expected_owner: owner };
    return this.#writes.statement(() => this.#saveLeased.run(row).changes === 1);
  }

  async deleteEventsBefore(before: Date, limit: number): Promise<number> {
    return this.#writes.statement(() => this.#deleteBefore.run(before.getTime(), limit).changes);
  }
}

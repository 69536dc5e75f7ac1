import type { Trigger } from '../../domain/event.js';
import { nameKey, type Webhook } from '../../domain/webhook.js';
import type { InsertResult, Page, UpdateResult, WebhookListQuery, WebhookStore } from '../ports.js';
import type { Db } from './database.js';

interface Row {
  doc: string;
}

function toDoc(webhook: Webhook): string {
  return JSON.stringify(webhook);
}

function fromDoc(row: Row): Webhook {
  const w = JSON.parse(row.doc) as Webhook;
  w.createdAt = new Date(w.createdAt);
  w.updatedAt = new Date(w.updatedAt);
  if (w.signingSecrets.previous)
    w.signingSecrets.previous.expiresAt = new Date(w.signingSecrets.previous.expiresAt);
  if (w.failingSince) w.failingSince = new Date(w.failingSince);
  return w;
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export class SqliteWebhookStore implements WebhookStore {
  readonly #db: Db;
  readonly #insert;
  readonly #insertTrigger;
  readonly #deleteTriggers;
  readonly #get;
  readonly #update;
  readonly #delete;
  readonly #activeByTrigger;
  readonly #count;
  readonly #setFailingSince;

  constructor(db: Db) {
    this.#db = db;
    this.#insert = db.prepare(
      'INSERT INTO webhooks (account_id, id, name_key, status, version, doc) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#insertTrigger = db.prepare(
      'INSERT INTO webhook_triggers (account_id, trigger, webhook_id) VALUES (?, ?, ?)',
    );
    this.#deleteTriggers = db.prepare('DELETE FROM webhook_triggers WHERE account_id = ? AND webhook_id = ?');
    this.#get = db.prepare<[string, string], Row>('SELECT doc FROM webhooks WHERE account_id = ? AND id = ?');
    this.#update = db.prepare(
      'UPDATE webhooks SET name_key = ?, status = ?, version = ?, doc = ? WHERE account_id = ? AND id = ? AND version = ?',
    );
    this.#delete = db.prepare('DELETE FROM webhooks WHERE account_id = ? AND id = ?');
    this.#setFailingSince = db.prepare(
      "UPDATE webhooks SET doc = json_set(doc, '$.failingSince', json(?)) WHERE account_id = ? AND id = ?",
    );
    this.#count = db.prepare('SELECT count(*) AS n FROM webhooks WHERE account_id = ?');
    this.#activeByTrigger = db.prepare<[string, string], Row>(
      `SELECT w.doc FROM webhook_triggers t JOIN webhooks w ON w.account_id = t.account_id AND w.id = t.webhook_id
       WHERE t.account_id = ? AND t.trigger = ? AND w.status = 'ACTIVE'`,
    );
  }

  async insert(w: Webhook): Promise<InsertResult> {
    try {
      this.#db.transaction(() => {
        this.#insert.run(w.accountId, w.id, nameKey(w.name), w.status, w.version, toDoc(w));
        this.#writeTriggers(w.accountId, w.id, w.triggers);
      })();
      return 'ok';
    } catch (err) {
      if (isUniqueViolation(err)) return 'duplicate_name';
      throw err;
    }
  }

  async get(accountId: string, id: string): Promise<Webhook | null> {
    const row = this.#get.get(accountId, id);
    return row ? fromDoc(row) : null;
  }

  async list(accountId: string, q: WebhookListQuery): Promise<Page<Webhook>> {
    const where = ['w.account_id = ?'];
    const params: unknown[] = [accountId];
    if (q.after !== undefined) {
      where.push('w.id < ?');
      params.push(q.after);
    }
    if (q.status) {
      where.push('w.status = ?');
      params.push(q.status);
    }
    if (q.nameContains) {
      where.push("w.name_key LIKE ? ESCAPE '\\'");
      params.push(`%${q.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    let from = 'webhooks w';
    if (q.trigger) {
      from = 'webhook_triggers t JOIN webhooks w ON w.account_id = t.account_id AND w.id = t.webhook_id';
      where.push('t.account_id = ? AND t.trigger = ?');
      params.push(accountId, q.trigger);
    }
    const rows = this.#db
      .prepare<unknown[], Row>(
        `SELECT w.doc FROM ${from} WHERE ${where.join(' AND ')} ORDER BY w.id DESC LIMIT ?`,
      )
      .all(...params, q.first + 1);
    return { items: rows.slice(0, q.first).map(fromDoc), hasNextPage: rows.length > q.first };
  }

  async update(w: Webhook, expectedVersion: number): Promise<UpdateResult> {
    try {
      return this.#db.transaction((): UpdateResult => {
        const changed = this.#update.run(
          nameKey(w.name),
          w.status,
          w.version,
          toDoc(w),
          w.accountId,
          w.id,
          expectedVersion,
        ).changes;
        if (changed === 0) return this.#get.get(w.accountId, w.id) ? 'stale' : 'not_found';
        this.#deleteTriggers.run(w.accountId, w.id);
        this.#writeTriggers(w.accountId, w.id, w.triggers);
        return 'ok';
      })();
    } catch (err) {
      if (isUniqueViolation(err)) return 'duplicate_name';
      throw err;
    }
  }

  async delete(accountId: string, id: string): Promise<boolean> {
    return this.#db.transaction(() => {
      this.#deleteTriggers.run(accountId, id);
      return this.#delete.run(accountId, id).changes > 0;
    })();
  }

  async setFailingSince(accountId: string, id: string, at: Date | null): Promise<void> {
    this.#setFailingSince.run(at ? JSON.stringify(at.toISOString()) : 'null', accountId, id);
  }

  async count(accountId: string): Promise<number> {
    return (this.#count.get(accountId) as { n: number }).n;
  }

  async listActiveByTrigger(accountId: string, trigger: Trigger): Promise<Webhook[]> {
    return this.#activeByTrigger.all(accountId, trigger).map(fromDoc);
  }

  #writeTriggers(accountId: string, id: string, triggers: Trigger[]) {
    for (const t of triggers) this.#insertTrigger.run(accountId, t, id);
  }
}

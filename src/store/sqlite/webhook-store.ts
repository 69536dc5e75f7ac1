import type { Trigger } from '../../domain/event.js';
import { webhookMatchKeys } from '../../domain/matching.js';
import type { Page } from '../../domain/pagination.js';
import type { InsertResult, UpdateResult, WebhookListQuery, WebhookStore } from '../../domain/ports.js';
import { nameKey, type Webhook } from '../../domain/webhook.js';
import { webhookCodec } from '../codecs.js';
import type { Db } from './database.js';
import { GroupCommit } from './group-commit.js';

interface Row {
  doc: string;
}

function toDoc(webhook: Webhook): string {
  return JSON.stringify(webhookCodec.toDocument(webhook));
}

function fromDoc(row: Row): Webhook {
  return webhookCodec.fromDocument(JSON.parse(row.doc));
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** What the match cache may hold (keys, answers and the webhooks in them) before it starts over. */
const MAX_CACHED_MATCH_ENTRIES = 100_000;

interface MatchCache {
  /** The webhooks change counter these answers were read at. */
  version: number;
  /** Per `account␀trigger`: the match keys its active and inactive webhooks use. */
  usedKeys: Map<string, Set<string>>;
  /** Per `account␀trigger␀used event keys`: the candidates. */
  candidates: Map<string, readonly Webhook[]>;
  size: number;
}

function newMatchCache(version: number): MatchCache {
  return { version, usedKeys: new Map(), candidates: new Map(), size: 0 };
}

export class SqliteWebhookStore implements WebhookStore {
  readonly #db: Db;
  readonly #writes: GroupCommit;
  readonly #insert;
  readonly #insertTrigger;
  readonly #deleteTriggers;
  readonly #insertMatchKey;
  readonly #deleteMatchKeys;
  readonly #get;
  readonly #update;
  readonly #delete;
  readonly #matchCandidates;
  readonly #webhooksVersion;
  readonly #usedKeys;
  #matchCache = newMatchCache(-1);
  readonly #count;
  readonly #setFailingSince;

  constructor(db: Db) {
    this.#db = db;
    this.#writes = GroupCommit.of(db);
    this.#insert = db.prepare(
      'INSERT INTO webhooks (account_id, id, name_key, status, version, doc) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#insertTrigger = db.prepare(
      'INSERT INTO webhook_triggers (account_id, trigger, webhook_id) VALUES (?, ?, ?)',
    );
    this.#deleteTriggers = db.prepare('DELETE FROM webhook_triggers WHERE account_id = ? AND webhook_id = ?');
    this.#insertMatchKey = db.prepare(
      'INSERT OR IGNORE INTO webhook_match_keys (account_id, trigger, match_key, webhook_id) VALUES (?, ?, ?, ?)',
    );
    this.#deleteMatchKeys = db.prepare(
      'DELETE FROM webhook_match_keys WHERE account_id = ? AND webhook_id = ?',
    );
    this.#get = db.prepare<[string, string], Row>('SELECT doc FROM webhooks WHERE account_id = ? AND id = ?');
    this.#update = db.prepare(
      'UPDATE webhooks SET name_key = ?, status = ?, version = ?, doc = ? WHERE account_id = ? AND id = ? AND version = ?',
    );
    this.#delete = db.prepare('DELETE FROM webhooks WHERE account_id = ? AND id = ?');
    this.#setFailingSince = db.prepare(
      "UPDATE webhooks SET doc = json_set(doc, '$.failingSince', json(?)) WHERE account_id = ? AND id = ?",
    );
    this.#count = db.prepare('SELECT count(*) AS n FROM webhooks WHERE account_id = ?');
    this.#webhooksVersion = db
      .prepare<[], number>("SELECT n FROM change_counters WHERE name = 'webhooks'")
      .pluck();
    this.#usedKeys = db
      .prepare<[string, string], string>(
        'SELECT DISTINCT match_key FROM webhook_match_keys WHERE account_id = ? AND trigger = ?',
      )
      .pluck();
    // One primary-key probe per event key: webhooks whose keys the event lacks are never read.
    this.#matchCandidates = db.prepare<{ account: string; trigger: string; keys: string }, Row>(
      `SELECT w.doc FROM webhooks w
       WHERE w.account_id = @account AND w.status = 'ACTIVE' AND w.id IN (
         SELECT k.webhook_id FROM webhook_match_keys k
         WHERE k.account_id = @account AND k.trigger = @trigger
           AND k.match_key IN (SELECT value FROM json_each(@keys)))`,
    );
  }

  async insert(w: Webhook): Promise<InsertResult> {
    try {
      await this.#writes.run(() => {
        this.#insert.run(w.accountId, w.id, nameKey(w.name), w.status, w.version, toDoc(w));
        this.#writeIndexRows(w);
      });
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
      return await this.#writes.run((): UpdateResult => {
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
        this.#deleteIndexRows(w.accountId, w.id);
        this.#writeIndexRows(w);
        return 'ok';
      });
    } catch (err) {
      if (isUniqueViolation(err)) return 'duplicate_name';
      throw err;
    }
  }

  async delete(accountId: string, id: string): Promise<boolean> {
    return this.#writes.run(() => {
      this.#deleteIndexRows(accountId, id);
      return this.#delete.run(accountId, id).changes > 0;
    });
  }

  async setFailingSince(accountId: string, id: string, at: Date | null): Promise<void> {
    await this.#writes.statement(() =>
      this.#setFailingSince.run(at ? JSON.stringify(at.toISOString()) : 'null', accountId, id),
    );
  }

  async count(accountId: string): Promise<number> {
    return (this.#count.get(accountId) as { n: number }).n;
  }

  /**
   * Kept in memory until any process changes any webhook (the change counter, read before anything
   * else, so a change committed meanwhile makes the next call read again). Only the event's keys
   * that some webhook of the account and trigger uses can change the answer, so answers are kept by
   * those: events that differ only in values nobody filters on (requesters, resources...) share one,
   * and a publish costs a primary-key read instead of index probes and a JSON parse per candidate.
   * The webhooks returned are frozen: callers share them.
   */
  async listMatchCandidates(accountId: string, trigger: Trigger, eventKeys: string[]): Promise<Webhook[]> {
    const version = this.#webhooksVersion.get() as number;
    if (version !== this.#matchCache.version || this.#matchCache.size >= MAX_CACHED_MATCH_ENTRIES) {
      this.#matchCache = newMatchCache(version);
    }
    const cache = this.#matchCache;
    const scope = `${accountId}\u0000${trigger}`;
    let used = cache.usedKeys.get(scope);
    if (!used) {
      used = new Set(this.#usedKeys.all(accountId, trigger));
      cache.usedKeys.set(scope, used);
      cache.size += used.size + 1;
    }
    const keys = [...new Set(eventKeys.filter((k) => used.has(k)))].sort();
    const query = `${scope}\u0000${keys.join('\u0000')}`;
    let candidates = cache.candidates.get(query);
    if (!candidates) {
      const read = keys.length
        ? this.#matchCandidates.all({ account: accountId, trigger, keys: JSON.stringify(keys) }).map(fromDoc)
        : [];
      candidates = Object.freeze(read.map((w) => Object.freeze(w)));
      cache.candidates.set(query, candidates);
      cache.size += candidates.length + 1;
    }
    return candidates as Webhook[];
  }

  /** The rows that index a webhook by trigger (lists) and by trigger and match key (matching). */
  #writeIndexRows(w: Webhook) {
    const keys = webhookMatchKeys(w.filters);
    for (const t of w.triggers) {
      this.#insertTrigger.run(w.accountId, t, w.id);
      for (const key of keys) this.#insertMatchKey.run(w.accountId, t, key, w.id);
    }
  }

  #deleteIndexRows(accountId: string, id: string) {
    this.#deleteTriggers.run(accountId, id);
    this.#deleteMatchKeys.run(accountId, id);
  }
}

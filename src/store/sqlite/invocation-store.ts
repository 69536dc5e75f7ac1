import type { Statement } from 'better-sqlite3';
import type { HealthRollup } from '../../domain/health.js';
import type { Invocation, InvocationStatus } from '../../domain/invocation.js';
import type { Page } from '../../domain/pagination.js';
import type { ClaimRequest, InvocationListQuery, InvocationStore } from '../../domain/ports.js';
import { invocationCodec } from '../codecs.js';
import type { Db } from './database.js';
import { GroupCommit } from './group-commit.js';

/**
 * Invocations: the fields that queues and lists filter on are columns; the rest (attempt log
 * included) is one JSON document. The columns are the truth for the volatile queue fields.
 */
interface Row {
  doc: string;
  status: InvocationStatus;
  next_attempt_at: number | null;
  lease_owner: string | null;
  lease_until: number | null;
}

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

function fromRow(row: Row): Invocation {
  const inv = invocationCodec.fromDocument(JSON.parse(row.doc));
  // The columns are the truth for the queue fields (claims and lease releases write only those).
  inv.status = row.status;
  inv.nextAttemptAt = date(row.next_attempt_at);
  inv.leaseOwner = row.lease_owner;
  inv.leaseUntil = date(row.lease_until);
  return inv;
}

function params(inv: Invocation) {
  const finished = inv.status === 'SUCCEEDED' || inv.status === 'FAILED';
  const last = inv.attempts.at(-1);
  return {
    account_id: inv.accountId,
    id: inv.id,
    webhook_id: inv.webhookId,
    event_id: inv.eventId,
    status: inv.status,
    test: inv.test ? 1 : 0,
    attempt_count: inv.attempts.length,
    next_attempt_at: inv.nextAttemptAt?.getTime() ?? null,
    lease_owner: inv.leaseOwner,
    lease_until: inv.leaseUntil?.getTime() ?? null,
    fanout_key: inv.fanoutKey,
    superseded: inv.supersededBy ? 1 : 0,
    ordering_key: inv.orderingKey ?? null,
    created_at: inv.createdAt.getTime(),
    // Read by the health triggers (database.ts), so they parse no JSON on a worker's save.
    outcome_at: finished ? (inv.completedAt ?? inv.updatedAt).getTime() : null,
    last_attempt_at: last ? last.startedAt.getTime() : null,
    last_attempt_ms: last ? Math.trunc(last.durationMs) : null,
    doc: JSON.stringify(invocationCodec.toDocument(inv)),
  };
}

const COLUMNS = 'doc, status, next_attempt_at, lease_owner, lease_until';

interface QueueRow {
  ordering_key: string;
  holder: string | null;
  status: InvocationStatus | null;
  next_attempt_at: number | null;
}

interface ClaimParams {
  now: number;
  owner: string;
  lease_until: number;
  limit: number;
  excluded: string;
}

export class SqliteInvocationStore implements InvocationStore {
  readonly #db: Db;
  readonly #writes: GroupCommit;
  readonly #insert;
  readonly #get;
  readonly #claim;
  readonly #claimAny;
  readonly #anyDue;
  readonly #saveLeased;
  readonly #save;
  readonly #release;
  readonly #recoverable;
  readonly #deleteFinished;
  readonly #countByStatus;
  readonly #enqueueFifo;
  readonly #anyNeedingHead;
  readonly #needingHead;
  readonly #oldestHeld;
  readonly #makeDue;
  readonly #setHolder;
  readonly #dropQueue;
  readonly #healthOutcomes;
  readonly #healthDurations;
  readonly #retrying;
  readonly #dropEmptyHealth;
  /** One read transaction: the rollups and the retrying count of one moment. */
  readonly #healthRead;
  /** list() statements by their SQL: one per combination of filters (at most 32), prepared once. */
  readonly #lists = new Map<string, Statement<unknown[], Row>>();

  constructor(db: Db) {
    this.#db = db;
    this.#writes = GroupCommit.of(db);
    this.#insert = db.prepare(
      `INSERT INTO invocations (account_id, id, webhook_id, event_id, status, test, attempt_count, next_attempt_at,
         lease_owner, lease_until, fanout_key, superseded, ordering_key, created_at, outcome_at, last_attempt_at,
         last_attempt_ms, doc)
       VALUES (@account_id, @id, @webhook_id, @event_id, @status, @test, @attempt_count, @next_attempt_at,
         @lease_owner, @lease_until, @fanout_key, @superseded, @ordering_key, @created_at, @outcome_at,
         @last_attempt_at, @last_attempt_ms, @doc)
       ON CONFLICT (fanout_key) DO NOTHING`,
    );
    this.#enqueueFifo = db.prepare(
      'INSERT INTO fifo_queues (ordering_key, holder) VALUES (?, NULL) ON CONFLICT DO NOTHING',
    );
    // Queues that need a head: none yet, or the head finished, was deleted (retention) or is held
    // (a head is made due in the same write that names it, so only a crash elsewhere leaves that).
    const needingHead = `SELECT q.ordering_key AS ordering_key, q.holder AS holder, i.status AS status,
           i.next_attempt_at AS next_attempt_at
         FROM fifo_queues q LEFT JOIN invocations i ON i.id = q.holder
         WHERE q.holder IS NULL OR i.id IS NULL OR i.status IN ('SUCCEEDED', 'FAILED')
           OR (i.status = 'PENDING' AND i.next_attempt_at IS NULL)`;
    this.#anyNeedingHead = db.prepare<[], number>(`SELECT EXISTS (${needingHead})`).pluck();
    this.#needingHead = db.prepare<[], QueueRow>(`${needingHead} LIMIT 500`);
    this.#oldestHeld = db
      .prepare<[string], string>(
        `SELECT id FROM invocations WHERE ordering_key = ? AND status = 'PENDING' AND next_attempt_at IS NULL
         ORDER BY id LIMIT 1`,
      )
      .pluck();
    this.#makeDue = db.prepare<{ id: string; now: number; waited: string | null }, Row>(
      `UPDATE invocations SET next_attempt_at = @now, doc = json_set(doc, '$.waitedFor', @waited)
       WHERE id = @id RETURNING ${COLUMNS}`,
    );
    this.#setHolder = db.prepare('UPDATE fifo_queues SET holder = ? WHERE ordering_key = ?');
    this.#dropQueue = db.prepare('DELETE FROM fifo_queues WHERE ordering_key = ?');
    this.#get = db.prepare<[string, string], Row>(
      `SELECT ${COLUMNS} FROM invocations WHERE account_id = ? AND id = ?`,
    );
    // Three index range scans (due work, due retries, expired leases), each read in due order and
    // stopped after `limit` rows, so a claim costs O(limit), not O(backlog); then the oldest `limit`
    // of those. The outer UPDATE leases them.
    const claim = (exclude: boolean) => {
      const due = (status: string, column: string, op: string) =>
        `SELECT * FROM (SELECT id, ${column} AS due FROM invocations
           WHERE status = '${status}' AND ${column} ${op} @now
             ${exclude ? 'AND webhook_id NOT IN (SELECT value FROM json_each(@excluded))' : ''}
           ORDER BY ${column} LIMIT @limit)`;
      return db.prepare<ClaimParams, Row>(
        `UPDATE invocations SET status = 'IN_FLIGHT', lease_owner = @owner, lease_until = @lease_until
         WHERE id IN (
           SELECT id FROM (
             ${due('PENDING', 'next_attempt_at', '<=')}
             UNION ALL
             ${due('RETRYING', 'next_attempt_at', '<=')}
             UNION ALL
             ${due('IN_FLIGHT', 'lease_until', '<')}
           )
           ORDER BY due LIMIT @limit
         )
         RETURNING ${COLUMNS}`,
      );
    };
    this.#claim = claim(true);
    this.#claimAny = claim(false);
    // A read first: a worker polling an idle queue takes no write lock (and no commit).
    this.#anyDue = db
      .prepare<{ now: number }, number>(
        `SELECT EXISTS (SELECT 1 FROM invocations WHERE status = 'PENDING' AND next_attempt_at <= @now)
             OR EXISTS (SELECT 1 FROM invocations WHERE status = 'RETRYING' AND next_attempt_at <= @now)
             OR EXISTS (SELECT 1 FROM invocations WHERE status = 'IN_FLIGHT' AND lease_until < @now)`,
      )
      .pluck();
    this.#saveLeased = db.prepare(
      `UPDATE invocations SET status = @status, attempt_count = @attempt_count, next_attempt_at = @next_attempt_at,
         lease_owner = @lease_owner, lease_until = @lease_until, superseded = @superseded, outcome_at = @outcome_at,
         last_attempt_at = @last_attempt_at, last_attempt_ms = @last_attempt_ms, doc = @doc
       WHERE id = @id AND account_id = @account_id AND lease_owner = @expected_owner`,
    );
    this.#save = db.prepare(
      `UPDATE invocations SET status = @status, attempt_count = @attempt_count, next_attempt_at = @next_attempt_at,
         lease_owner = @lease_owner, lease_until = @lease_until, superseded = @superseded, outcome_at = @outcome_at,
         last_attempt_at = @last_attempt_at, last_attempt_ms = @last_attempt_ms, doc = @doc
       WHERE id = @id AND account_id = @account_id`,
    );
    this.#release = db.prepare(
      `UPDATE invocations
         SET status = CASE WHEN attempt_count = 0 THEN 'PENDING' ELSE 'RETRYING' END,
             next_attempt_at = @now, lease_owner = NULL, lease_until = NULL
       WHERE lease_owner = @owner AND status = 'IN_FLIGHT'`,
    );
    this.#deleteFinished = db.prepare(
      `DELETE FROM invocations WHERE id IN (
         SELECT id FROM invocations WHERE status IN ('SUCCEEDED', 'FAILED') AND created_at < ? LIMIT ?)`,
    );
    this.#countByStatus = db.prepare<[], { status: InvocationStatus; n: number }>(
      'SELECT status, count(*) AS n FROM invocations GROUP BY status',
    );
    // Health (domain/health.ts): the rollups the triggers of the health migration keep (database.ts).
    type Window = { account_id: string; webhook_id: string; from: number; to: number };
    this.#healthOutcomes = db
      .prepare<Window, [number, number, number]>(
        `SELECT hour, succeeded, failed FROM health_outcomes
         WHERE account_id = @account_id AND webhook_id = @webhook_id AND hour >= @from AND hour < @to
           AND (succeeded != 0 OR failed != 0)`,
      )
      .raw(true);
    // A few thousand rows for a day of a busy webhook: read as arrays, the cheapest shape to read.
    this.#healthDurations = db
      .prepare<Window, [number, number, number]>(
        `SELECT hour, duration_ms, attempts FROM health_durations
         WHERE account_id = @account_id AND webhook_id = @webhook_id AND hour >= @from AND hour < @to
           AND attempts != 0`,
      )
      .raw(true);
    this.#retrying = db
      .prepare<[string, string], number>(
        `SELECT count(*) FROM invocations INDEXED BY invocations_retrying_webhook
         WHERE account_id = ? AND webhook_id = ? AND attempt_count > 0 AND status IN ('RETRYING', 'IN_FLIGHT')`,
      )
      .pluck();
    // Retention's deletes bring rollup rows to zero; they go with it.
    const dropOutcomes = db.prepare<[number]>(
      'DELETE FROM health_outcomes WHERE hour < ? AND succeeded = 0 AND failed = 0',
    );
    const dropDurations = db.prepare<[number]>(
      'DELETE FROM health_durations WHERE hour < ? AND attempts = 0',
    );
    this.#dropEmptyHealth = (before: number) => {
      dropOutcomes.run(before);
      dropDurations.run(before);
    };
    this.#healthRead = db.transaction(
      (w: Window): HealthRollup => ({
        outcomes: this.#healthOutcomes
          .all(w)
          .map(([hour, succeeded, failed]) => ({ hour, succeeded, failed })),
        durations: this.#healthDurations
          .all(w)
          .map(([hour, durationMs, attempts]) => ({ hour, durationMs, attempts })),
        retrying: this.#retrying.get(w.account_id, w.webhook_id) ?? 0,
      }),
    );
    this.#recoverable = db.prepare<[string, string, number, number], Row>(
      `SELECT ${COLUMNS} FROM invocations
       WHERE account_id = ? AND webhook_id = ? AND status = 'FAILED' AND test = 0 AND superseded = 0 AND created_at >= ?
       ORDER BY id LIMIT ?`,
    );
  }

  /** Inserts now, inside the caller's transaction (the event store's atomic publish). */
  insertNow(invocations: Invocation[]): void {
    for (const invocation of invocations) {
      this.#insert.run(params(invocation));
      if (invocation.orderingKey) this.#enqueueFifo.run(invocation.orderingKey);
    }
  }

  async insertMany(invocations: Invocation[]): Promise<void> {
    if (invocations.length === 0) return;
    if (invocations.length === 1 && !invocations[0]?.orderingKey) {
      const row = params(invocations[0] as Invocation);
      await this.#writes.statement(() => this.#insert.run(row));
      return;
    }
    await this.#writes.run(() => this.insertNow(invocations));
  }

  async promoteFifoHeads(now: Date): Promise<Invocation[]> {
    // A read first: with no queue needing a head (the usual case) no write lock is taken.
    if (!this.#anyNeedingHead.get()) return [];
    const at = now.getTime();
    return this.#writes.run(() => {
      const promoted: Invocation[] = [];
      for (const q of this.#needingHead.all()) {
        if (q.holder && q.status === 'PENDING' && q.next_attempt_at === null) {
          const row = this.#makeDue.get({ id: q.holder, now: at, waited: null });
          if (row) promoted.push(fromRow(row));
          continue;
        }
        const head = this.#oldestHeld.get(q.ordering_key);
        if (!head) {
          this.#dropQueue.run(q.ordering_key);
          continue;
        }
        const row = this.#makeDue.get({ id: head, now: at, waited: q.holder });
        this.#setHolder.run(head, q.ordering_key);
        if (row) promoted.push(fromRow(row));
      }
      return promoted;
    });
  }

  async get(accountId: string, id: string): Promise<Invocation | null> {
    const row = this.#get.get(accountId, id);
    return row ? fromRow(row) : null;
  }

  async list(accountId: string, q: InvocationListQuery): Promise<Page<Invocation>> {
    const where = ['account_id = ?'];
    const args: unknown[] = [accountId];
    if (q.after !== undefined) {
      where.push('id < ?');
      args.push(q.after);
    }
    if (q.webhookId !== undefined) {
      where.push('webhook_id = ?');
      args.push(q.webhookId);
    }
    if (q.status !== undefined) {
      where.push('status = ?');
      args.push(q.status);
    }
    if (q.eventId !== undefined) {
      where.push('event_id = ?');
      args.push(q.eventId);
    }
    if (q.test !== undefined) {
      where.push('test = ?');
      args.push(q.test ? 1 : 0);
    }
    const sql = `SELECT ${COLUMNS} FROM invocations WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`;
    let statement = this.#lists.get(sql);
    if (!statement) {
      statement = this.#db.prepare<unknown[], Row>(sql);
      this.#lists.set(sql, statement);
    }
    const rows = statement.all(...args, q.first + 1);
    return { items: rows.slice(0, q.first).map(fromRow), hasNextPage: rows.length > q.first };
  }

  async claimDue(r: ClaimRequest): Promise<Invocation[]> {
    const now = r.now.getTime();
    if (!this.#anyDue.get({ now })) return [];
    const params: ClaimParams = {
      now,
      owner: r.owner,
      lease_until: r.leaseUntil.getTime(),
      limit: r.limit,
      excluded: JSON.stringify(r.excludeWebhookIds),
    };
    const statement = r.excludeWebhookIds.length ? this.#claim : this.#claimAny;
    const rows = await this.#writes.statement(() => statement.all(params));
    return rows.map(fromRow);
  }

  async saveLeased(inv: Invocation, owner: string): Promise<boolean> {
    const row = { ...params(inv), expected_owner: owner };
    return this.#writes.statement(() => this.#saveLeased.run(row).changes === 1);
  }

  async save(inv: Invocation): Promise<void> {
    const row = params(inv);
    await this.#writes.statement(() => this.#save.run(row));
  }

  async releaseLeases(owner: string, now: Date): Promise<number> {
    return this.#writes.statement(() => this.#release.run({ owner, now: now.getTime() }).changes);
  }

  async deleteFinishedBefore(before: Date, limit: number): Promise<number> {
    return this.#writes.run(() => {
      const deleted = this.#deleteFinished.run(before.getTime(), limit).changes;
      this.#dropEmptyHealth(before.getTime());
      return deleted;
    });
  }

  async countByStatus(): Promise<Record<InvocationStatus, number>> {
    const counts = { PENDING: 0, IN_FLIGHT: 0, RETRYING: 0, SUCCEEDED: 0, FAILED: 0 };
    for (const row of this.#countByStatus.all()) counts[row.status] = row.n;
    return counts;
  }

  async listRecoverable(
    accountId: string,
    webhookId: string,
    since: Date,
    limit: number,
  ): Promise<Invocation[]> {
    return this.#recoverable.all(accountId, webhookId, since.getTime(), limit).map(fromRow);
  }

  async health(accountId: string, webhookId: string, from: Date, to: Date): Promise<HealthRollup> {
    return this.#healthRead({
      account_id: accountId,
      webhook_id: webhookId,
      from: from.getTime(),
      to: to.getTime(),
    });
  }
}

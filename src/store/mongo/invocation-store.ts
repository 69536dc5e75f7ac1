import { randomBytes } from 'node:crypto';
import type { AnyBulkWriteOperation, Collection, Db, Filter } from 'mongodb';
import { type HealthRollup, healthContribution, rollUp } from '../../domain/health.js';
import { INVOCATION_STATUSES, type Invocation, type InvocationStatus } from '../../domain/invocation.js';
import type { Page } from '../../domain/pagination.js';
import type { ClaimRequest, InvocationListQuery, InvocationStore } from '../../domain/ports.js';
import { type Document, invocationCodec } from '../codecs.js';
import { ClaimTokens } from './claim-tokens.js';
import { isDuplicateKey } from './errors.js';
import { ensureIndexes } from './indexes.js';

type InvocationDoc = Document<Invocation> & { attemptCount: number; superseded: boolean };

function toDoc(inv: Invocation): InvocationDoc {
  return {
    ...invocationCodec.toDocument(inv),
    attemptCount: inv.attempts.length,
    superseded: inv.supersededBy !== null,
  };
}

const fromDoc = (doc: InvocationDoc): Invocation => invocationCodec.fromDocument(doc);

/** How long a named head may stay held before another promoter takes it for a crash's leftover. */
const STUCK_PROMOTION_MS = 5_000;

/** A FIFO queue with held invocations: its head (null: none named yet) and how many enqueues it saw. */
interface QueueDoc {
  _id: string;
  holder: string | null;
  seq: number;
  /** New each time the queue document is created: turns of an earlier life of the queue do not count. */
  gen: string;
}

export class MongoInvocationStore implements InvocationStore {
  readonly #col: Collection<InvocationDoc>;
  readonly #queues: Collection<QueueDoc>;
  readonly #claims: ClaimTokens;
  /** Turns of FIFO queues (see promoteFifoHeads). */
  readonly #turns: Collection<{ _id: string; head: string; at: Date }>;

  constructor(db: Db) {
    this.#col = db.collection<InvocationDoc>('invocations');
    this.#queues = db.collection<QueueDoc>('fifo_queues');
    this.#claims = new ClaimTokens(db, 'invocation_claims');
    this.#turns = db.collection<{ _id: string; head: string; at: Date }>('fifo_turns');
  }

  async ensureIndexes(): Promise<void> {
    await ensureIndexes(this.#col, [
      { key: { fanoutKey: 1 }, name: 'fanout_key', unique: true },
      { key: { status: 1, nextAttemptAt: 1 }, name: 'due' },
      { key: { status: 1, leaseUntil: 1 }, name: 'lease' },
      { key: { leaseOwner: 1 }, name: 'owner' },
      { key: { accountId: 1, _id: -1 }, name: 'account_newest' },
      { key: { accountId: 1, webhookId: 1, _id: -1 }, name: 'webhook_newest' },
      { key: { accountId: 1, status: 1, _id: -1 }, name: 'status_newest' },
      { key: { accountId: 1, eventId: 1 }, name: 'event' },
      { key: { orderingKey: 1, _id: 1 }, name: 'ordering' },
      { key: { accountId: 1, webhookId: 1, updatedAt: 1 }, name: 'webhook_updated' },
    ]);
    // Retention drops claim tokens and turns by age (deleteFinishedBefore).
    await this.#claims.ensureIndexes();
    await ensureIndexes(this.#turns, [{ key: { at: 1 }, name: 'at' }]);
  }

  async insertMany(invocations: Invocation[]): Promise<void> {
    if (invocations.length === 0) return;
    try {
      // Unordered: a fan-out that is re-run skips the invocations that already exist, inserts the rest.
      await this.#col.insertMany(invocations.map(toDoc), { ordered: false });
    } catch (err) {
      const writeErrors = (err as { writeErrors?: unknown[] | unknown }).writeErrors;
      const errors = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [err];
      if (!errors.every((e) => isDuplicateKey(e) || isDuplicateKey((e as { err?: unknown }).err))) throw err;
    }
    // After the invocations: a queue seen empty by a promoter is only dropped if no enqueue came since.
    const keys = new Set(invocations.flatMap((i) => (i.orderingKey ? [i.orderingKey] : [])));
    for (const key of keys) await this.#enqueue(key);
  }

  /**
   * Without transactions, and on servers that apply updates as read-modify-write (FerretDB), no
   * update can arbitrate between two promoters: an insert can (the unique `_id`). Each turn of a
   * queue is a token, `<queue>:<generation>:<the invocation whose turn ended>`, holding the head
   * chosen for the next turn: one promoter inserts it, and every promoter (the winner, the others,
   * and one that finds a crash left the turn half-done) then names that head and makes it due, both
   * idempotent. So each turn has one head, and a head is due only once the one before has finished.
   */
  async promoteFifoHeads(now: Date): Promise<Invocation[]> {
    const queues = await this.#queues.find({}).limit(500).toArray();
    const promoted: Invocation[] = [];
    for (const q of queues) {
      if (q.holder) {
        const holder = await this.#col.findOne(
          { _id: q.holder },
          { projection: { status: 1, nextAttemptAt: 1, updatedAt: 1 } },
        );
        if (holder && holder.status !== 'SUCCEEDED' && holder.status !== 'FAILED') {
          // Named but not yet due: its promoter is making it due right now, or crashed before it
          // did. Only the second is repaired (a write racing the promoter's could undo its waitedFor).
          const stuck = now.getTime() - holder.updatedAt.getTime() > STUCK_PROMOTION_MS;
          if (holder.status === 'PENDING' && holder.nextAttemptAt === null && stuck) {
            const due = await this.#makeDue(q.holder, now, undefined);
            if (due) promoted.push(due);
          }
          continue;
        }
      }
      const [oldest] = await this.#col
        .find({ orderingKey: q._id, status: 'PENDING', nextAttemptAt: null }, { projection: { _id: 1 } })
        .sort({ _id: 1 })
        .limit(1)
        .toArray();
      if (!oldest) {
        await this.#queues.deleteOne({ _id: q._id, seq: q.seq });
        // An enqueue that raced the delete re-creates the queue.
        const late = await this.#col.findOne({ orderingKey: q._id, status: 'PENDING', nextAttemptAt: null });
        if (late) await this.#enqueue(q._id);
        continue;
      }
      const turn = `${q._id}:${q.gen}:${q.holder ?? '-'}`;
      let head = oldest._id;
      try {
        await this.#turns.insertOne({ _id: turn, head, at: now });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const taken = await this.#turns.findOne({ _id: turn });
        if (!taken) continue;
        head = taken.head;
      }
      await this.#queues.updateOne({ _id: q._id, holder: q.holder }, { $set: { holder: head } });
      const due = await this.#makeDue(head, now, q.holder);
      if (due) promoted.push(due);
    }
    return promoted;
  }

  async #enqueue(key: string): Promise<void> {
    await this.#queues.updateOne(
      { _id: key },
      { $inc: { seq: 1 }, $setOnInsert: { holder: null, gen: randomBytes(6).toString('hex') } },
      { upsert: true },
    );
  }

  async #makeDue(id: string, now: Date, waitedFor: string | null | undefined): Promise<Invocation | null> {
    const doc = await this.#col.findOneAndUpdate(
      { _id: id, status: 'PENDING', nextAttemptAt: null },
      { $set: { nextAttemptAt: now, ...(waitedFor !== undefined && { waitedFor }) } },
      { returnDocument: 'after' },
    );
    return doc ? fromDoc(doc) : null;
  }

  async get(accountId: string, id: string): Promise<Invocation | null> {
    const doc = await this.#col.findOne({ _id: id, accountId });
    return doc ? fromDoc(doc) : null;
  }

  async list(accountId: string, q: InvocationListQuery): Promise<Page<Invocation>> {
    const filter: Filter<InvocationDoc> = { accountId };
    if (q.after !== undefined) filter._id = { $lt: q.after };
    if (q.webhookId !== undefined) filter.webhookId = q.webhookId;
    if (q.status !== undefined) filter.status = q.status;
    if (q.eventId !== undefined) filter.eventId = q.eventId;
    if (q.test !== undefined) filter.test = q.test;
    const docs = await this.#col
      .find(filter)
      .sort({ _id: -1 })
      .limit(q.first + 1)
      .toArray();
    return { items: docs.slice(0, q.first).map(fromDoc), hasNextPage: docs.length > q.first };
  }

  /**
   * Candidates first (one sorted, index-backed query per due state, each with an equality on status
   * that FerretDB can push down, unlike an $or), then a compare-and-set per candidate and its claim
   * token: two workers may see the same candidate, and on FerretDB both may match it; only one wins
   * the token (ClaimTokens), so an invocation is in flight at one worker only.
   */
  async claimDue(r: ClaimRequest): Promise<Invocation[]> {
    const due: { status: Invocation['status']; field: 'nextAttemptAt' | 'leaseUntil'; op: '$lte' | '$lt' }[] =
      [
        { status: 'PENDING', field: 'nextAttemptAt', op: '$lte' },
        { status: 'RETRYING', field: 'nextAttemptAt', op: '$lte' },
        { status: 'IN_FLIGHT', field: 'leaseUntil', op: '$lt' },
      ];
    const filters = due.map(({ status, field, op }) => {
      const filter: Filter<InvocationDoc> = { status, [field]: { [op]: r.now } };
      if (r.excludeWebhookIds.length) filter.webhookId = { $nin: r.excludeWebhookIds };
      return { filter, field };
    });
    const candidates = (
      await Promise.all(
        filters.map(async ({ filter, field }) =>
          (
            await this.#col
              .find(filter, { projection: { _id: 1, [field]: 1 } })
              .sort({ [field]: 1 })
              .limit(r.limit)
              .toArray()
          ).map((doc) => ({ id: doc._id, due: (doc[field] as Date).getTime(), filter })),
        ),
      )
    )
      .flat()
      .sort((a, b) => a.due - b.due)
      .slice(0, r.limit);
    const claimed: Invocation[] = [];
    for (const c of candidates) {
      const doc = await this.#col.findOneAndUpdate(
        { ...c.filter, _id: c.id },
        { $set: { status: 'IN_FLIGHT', leaseOwner: r.owner, leaseUntil: r.leaseUntil } },
        { returnDocument: 'after' },
      );
      if (!doc) continue;
      if (!(await this.#claims.win(c.id, `${c.filter.status}:${c.due}`, r.owner, r.now))) continue;
      // The winner's lease, whatever a loser's late compare-and-set wrote.
      await this.#col.updateOne({ _id: c.id }, { $set: { leaseOwner: r.owner, leaseUntil: r.leaseUntil } });
      claimed.push(fromDoc(doc));
    }
    return claimed;
  }

  async saveLeased(inv: Invocation, owner: string): Promise<boolean> {
    const doc = toDoc(inv);
    const claimedAt = this.#claims.claimedAt(inv.id, owner);
    const mine = await this.#col.replaceOne(
      { _id: inv.id, accountId: inv.accountId, leaseOwner: owner },
      doc,
    );
    if (mine.matchedCount === 1) return true;
    // A won claim whose lease field a losing claimer's late write took: still this worker's, unless
    // another claim was won since (its lease expired and another worker took it over).
    if (!claimedAt || (await this.#claims.claimedSince(inv.id, 'IN_FLIGHT:', claimedAt))) return false;
    const res = await this.#col.replaceOne(
      { _id: inv.id, accountId: inv.accountId, status: 'IN_FLIGHT' },
      doc,
    );
    return res.matchedCount === 1;
  }

  async save(inv: Invocation): Promise<void> {
    await this.#col.replaceOne({ _id: inv.id, accountId: inv.accountId }, toDoc(inv));
  }

  async releaseLeases(owner: string, now: Date): Promise<number> {
    const base = { leaseOwner: owner, status: 'IN_FLIGHT' as const };
    const unset = { leaseOwner: null, leaseUntil: null, nextAttemptAt: now };
    const ops: AnyBulkWriteOperation<InvocationDoc>[] = [
      {
        updateMany: {
          filter: { ...base, attemptCount: 0 },
          update: { $set: { ...unset, status: 'PENDING' } },
        },
      },
      {
        updateMany: {
          filter: { ...base, attemptCount: { $gt: 0 } },
          update: { $set: { ...unset, status: 'RETRYING' } },
        },
      },
    ];
    const res = await this.#col.bulkWrite(ops, { ordered: true });
    return res.modifiedCount;
  }

  async deleteFinishedBefore(before: Date, limit: number): Promise<number> {
    await this.#claims.deleteBefore(before);
    await this.#turns.deleteMany({ at: { $lt: before } });
    const ids = (
      await this.#col
        .find(
          { status: { $in: ['SUCCEEDED', 'FAILED'] }, createdAt: { $lt: before } },
          { projection: { _id: 1 } },
        )
        .limit(limit)
        .toArray()
    ).map((d) => d._id);
    if (ids.length === 0) return 0;
    return (await this.#col.deleteMany({ _id: { $in: ids } })).deletedCount;
  }

  /** One count per status: equality filters, which every MongoDB-compatible server answers from an index. */
  async countByStatus(): Promise<Record<InvocationStatus, number>> {
    const counts = await Promise.all(
      INVOCATION_STATUSES.map((status) => this.#col.countDocuments({ status })),
    );
    return Object.fromEntries(INVOCATION_STATUSES.map((s, i) => [s, counts[i] ?? 0])) as Record<
      InvocationStatus,
      number
    >;
  }

  async listRecoverable(
    accountId: string,
    webhookId: string,
    since: Date,
    limit: number,
  ): Promise<Invocation[]> {
    const docs = await this.#col
      .find({
        accountId,
        webhookId,
        status: 'FAILED',
        test: false,
        superseded: false,
        createdAt: { $gte: since },
      })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map(fromDoc);
  }

  /**
   * Computed from the log, by the rules of domain/health.ts: every invocation of the webhook written
   * since the window began (a delivery finished in it, or an attempt made in it, was written then),
   * with only the fields that count, summed here. FerretDB 1.24 cannot truncate dates or group by
   * more than one key in an aggregation, so the pipeline matches and projects, and the sums are ours.
   */
  async health(accountId: string, webhookId: string, from: Date, to: Date): Promise<HealthRollup> {
    const [docs, retrying] = await Promise.all([
      this.#col
        .aggregate<Pick<Invocation, 'status' | 'completedAt' | 'updatedAt' | 'attempts'>>([
          { $match: { accountId, webhookId, test: false, updatedAt: { $gte: from } } },
          {
            $project: {
              _id: 0,
              status: 1,
              completedAt: 1,
              updatedAt: 1,
              'attempts.startedAt': 1,
              'attempts.durationMs': 1,
            },
          },
        ])
        .toArray(),
      this.#col.countDocuments({
        accountId,
        webhookId,
        status: { $in: ['RETRYING', 'IN_FLIGHT'] },
        attemptCount: { $gt: 0 },
      }),
    ]);
    return rollUp(
      docs.map((d) => healthContribution({ ...d, test: false, attempts: d.attempts ?? [] })),
      from,
      to,
      retrying,
    );
  }
}

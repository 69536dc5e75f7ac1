import type { AnyBulkWriteOperation, Collection, Db, Filter } from 'mongodb';
import { INVOCATION_STATUSES, type Invocation, type InvocationStatus } from '../../domain/invocation.js';
import type { Page } from '../../domain/pagination.js';
import type { ClaimRequest, InvocationListQuery, InvocationStore } from '../../domain/ports.js';
import { type Document, invocationCodec } from '../codecs.js';
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

/** A FIFO queue with held invocations: its head (null: none named yet) and how many enqueues it saw. */
interface QueueDoc {
  _id: string;
  holder: string | null;
  seq: number;
}

export class MongoInvocationStore implements InvocationStore {
  readonly #col: Collection<InvocationDoc>;
  readonly #queues: Collection<QueueDoc>;

  constructor(db: Db) {
    this.#col = db.collection<InvocationDoc>('invocations');
    this.#queues = db.collection<QueueDoc>('fifo_queues');
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
    ]);
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
    for (const key of keys) {
      await this.#queues.updateOne(
        { _id: key },
        { $inc: { seq: 1 }, $setOnInsert: { holder: null } },
        { upsert: true },
      );
    }
  }

  /**
   * Without transactions, each step is a compare-and-set on the queue document: whoever moves the
   * holder first does the promotion, and a step a crash skipped is done by the next promoter (a
   * holder left held is made due; a holder finished is replaced). Holders are made due after they
   * are named, so two invocations of a queue are never due at once.
   */
  async promoteFifoHeads(now: Date): Promise<Invocation[]> {
    const queues = await this.#queues.find({}).limit(500).toArray();
    const promoted: Invocation[] = [];
    for (const q of queues) {
      let previous: string | null = null;
      if (q.holder) {
        const holder = await this.#col.findOne(
          { _id: q.holder },
          { projection: { status: 1, nextAttemptAt: 1 } },
        );
        if (holder && holder.status !== 'SUCCEEDED' && holder.status !== 'FAILED') {
          if (holder.status === 'PENDING' && holder.nextAttemptAt === null) {
            const due = await this.#makeDue(q.holder, now, undefined);
            if (due) promoted.push(due);
          }
          continue;
        }
        const freed = await this.#queues.updateOne(
          { _id: q._id, holder: q.holder },
          { $set: { holder: null } },
        );
        if (freed.modifiedCount !== 1) continue;
        previous = q.holder;
      }
      const [head] = await this.#col
        .find({ orderingKey: q._id, status: 'PENDING', nextAttemptAt: null }, { projection: { _id: 1 } })
        .sort({ _id: 1 })
        .limit(1)
        .toArray();
      if (!head) {
        await this.#queues.deleteOne({ _id: q._id, holder: null, seq: q.seq });
        continue;
      }
      const named = await this.#queues.updateOne(
        { _id: q._id, holder: null },
        { $set: { holder: head._id } },
      );
      if (named.modifiedCount !== 1) continue;
      const due = await this.#makeDue(head._id, now, previous);
      if (due) promoted.push(due);
    }
    return promoted;
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
   * that FerretDB can push down, unlike an $or), then one atomic compare-and-set per candidate:
   * two workers may see the same candidate, but only one lease write matches.
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
      if (doc) claimed.push(fromDoc(doc));
    }
    return claimed;
  }

  async saveLeased(inv: Invocation, owner: string): Promise<boolean> {
    const res = await this.#col.replaceOne(
      { _id: inv.id, accountId: inv.accountId, leaseOwner: owner },
      toDoc(inv),
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
}

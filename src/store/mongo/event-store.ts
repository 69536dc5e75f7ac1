import type { Collection, Db, Filter } from 'mongodb';
import type { StoredEvent } from '../../domain/invocation.js';
import type { EventStore, FannedOutEvent, IdempotencyClaim } from '../../domain/ports.js';
import { type Document, eventCodec } from '../codecs.js';
import { isDuplicateKey } from './errors.js';
import { ensureIndexes } from './indexes.js';
import type { MongoInvocationStore } from './invocation-store.js';

/**
 * The payload is kept as JSON text: producers may send any JSON in the fields the schema leaves open
 * (custom_fields), and keys starting with "$" or containing "." are not storable as document keys on
 * every MongoDB-compatible server. Nothing queries inside a payload, so text costs nothing.
 */
type EventDoc = Omit<Document<StoredEvent>, 'payload'> & { payloadJson: string };
interface KeyDoc {
  _id: string;
  eventId: string;
  createdAt: Date;
}

function fromDoc({ payloadJson, ...rest }: EventDoc): StoredEvent {
  return eventCodec.fromDocument({ ...rest, payload: JSON.parse(payloadJson) });
}

export class MongoEventStore implements EventStore {
  readonly #events: Collection<EventDoc>;
  readonly #keys: Collection<KeyDoc>;
  readonly #invocations: Collection<{ _id: string; eventId: string }>;

  readonly #invocationStore: MongoInvocationStore;

  constructor(db: Db, invocationStore: MongoInvocationStore) {
    this.#invocationStore = invocationStore;
    this.#invocations = db.collection('invocations');
    this.#events = db.collection<EventDoc>('events');
    this.#keys = db.collection<KeyDoc>('idempotency_keys');
  }

  async ensureIndexes(): Promise<void> {
    await ensureIndexes(this.#events, [
      { key: { accountId: 1, _id: 1 }, name: 'account_id' },
      { key: { fannedOut: 1, createdAt: 1 }, name: 'unfanned' },
    ]);
  }

  async insert(e: StoredEvent): Promise<void> {
    const { payload, ...rest } = eventCodec.toDocument(e);
    await this.#events.insertOne({ ...rest, payloadJson: JSON.stringify(payload) });
  }

  async get(accountId: string, id: string): Promise<StoredEvent | null> {
    const doc = await this.#events.findOne({ _id: id, accountId });
    return doc ? fromDoc(doc) : null;
  }

  async listRecent(accountId: string, limit: number): Promise<StoredEvent[]> {
    const docs = await this.#events.find({ accountId, test: false }).sort({ _id: -1 }).limit(limit).toArray();
    return docs.map(fromDoc);
  }

  async insertFannedOut(batch: FannedOutEvent[]): Promise<void> {
    if (batch.length === 0) return;
    // No multi-document transactions (FerretDB has none): events first, unmarked, so a crash before
    // the marks leaves them to the fan-out sweep; three round trips for the whole batch.
    await this.#events.insertMany(
      batch.map(({ event }) => {
        const { payload, ...rest } = eventCodec.toDocument({ ...event, fannedOut: false });
        return { ...rest, payloadJson: JSON.stringify(payload) };
      }),
    );
    await this.#invocationStore.insertMany(batch.flatMap((b) => b.invocations));
    await this.#events.updateMany(
      { _id: { $in: batch.map((b) => b.event.id) } },
      { $set: { fannedOut: true } },
    );
  }

  async markFannedOut(accountId: string, id: string): Promise<void> {
    await this.#events.updateOne({ _id: id, accountId }, { $set: { fannedOut: true } });
  }

  async claimIdempotencyKey(
    accountId: string,
    key: string,
    eventId: string,
    now: Date,
    expiresBefore: Date,
    orphanEventId?: string,
  ): Promise<IdempotencyClaim> {
    const _id = `${accountId}:${key}`;
    try {
      await this.#keys.insertOne({ _id, eventId, createdAt: now });
      return { claimed: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const stale: Record<string, unknown>[] = [{ createdAt: { $lt: expiresBefore } }];
    if (orphanEventId) stale.push({ eventId: orphanEventId });
    const replaced = await this.#keys.updateOne({ _id, $or: stale }, { $set: { eventId, createdAt: now } });
    if (replaced.modifiedCount === 1) return { claimed: true };
    const existing = await this.#keys.findOne({ _id });
    return existing ? { claimed: false, eventId: existing.eventId } : { claimed: true };
  }

  /** Scans old events in id order, chunk by chunk, until `limit` orphans are deleted or none are left. */
  async deleteOrphansBefore(before: Date, limit: number): Promise<number> {
    let deleted = 0;
    let after: string | null = null;
    while (deleted < limit) {
      const filter: Filter<EventDoc> = { fannedOut: true, createdAt: { $lt: before } };
      if (after) filter._id = { $gt: after };
      const chunk = await this.#events
        .find(filter, { projection: { _id: 1 } })
        .sort({ _id: 1 })
        .limit(Math.max(limit, 100))
        .toArray();
      if (chunk.length === 0) break;
      after = (chunk.at(-1) as { _id: string })._id;
      const ids = chunk.map((e) => e._id);
      const referenced = new Set(
        (
          await this.#invocations.find({ eventId: { $in: ids } }, { projection: { eventId: 1 } }).toArray()
        ).map((i) => i.eventId),
      );
      const orphans = ids.filter((id) => !referenced.has(id)).slice(0, limit - deleted);
      if (orphans.length) deleted += (await this.#events.deleteMany({ _id: { $in: orphans } })).deletedCount;
    }
    return deleted;
  }

  async deleteIdempotencyKeysBefore(before: Date): Promise<number> {
    return (await this.#keys.deleteMany({ createdAt: { $lt: before } })).deletedCount;
  }

  async listUnfannedOut(before: Date, limit: number): Promise<StoredEvent[]> {
    const docs = await this.#events
      .find({ fannedOut: false, createdAt: { $lt: before } })
      .sort({ createdAt: 1 })
      .limit(limit)
      .toArray();
    return docs.map(fromDoc);
  }
}

import type { Collection, Db, Filter } from 'mongodb';
import type { OperationalWebhook, StoredOperationalEvent } from '../../domain/operational-event.js';
import type { Page } from '../../domain/pagination.js';
import type { ClaimRequest, OperationalStore } from '../../domain/ports.js';
import { type Document, operationalEventCodec, operationalWebhookCodec } from '../codecs.js';
import { ClaimTokens } from './claim-tokens.js';
import { ensureIndexes } from './indexes.js';

type EventDoc = Document<StoredOperationalEvent>;
type WebhookDoc = Document<OperationalWebhook & { id: string }>;

const fromDoc = (doc: EventDoc): StoredOperationalEvent => operationalEventCodec.fromDocument(doc);

export class MongoOperationalStore implements OperationalStore {
  readonly #events: Collection<EventDoc>;
  readonly #webhooks: Collection<WebhookDoc>;
  readonly #claims: ClaimTokens;

  constructor(db: Db) {
    this.#events = db.collection<EventDoc>('operational_events');
    this.#webhooks = db.collection<WebhookDoc>('operational_webhooks');
    this.#claims = new ClaimTokens(db, 'operational_claims');
  }

  async ensureIndexes(): Promise<void> {
    await ensureIndexes(this.#events, [
      { key: { accountId: 1, _id: -1 }, name: 'account_newest' },
      { key: { 'delivery.status': 1, 'delivery.nextAttemptAt': 1 }, name: 'delivery_due' },
      { key: { 'delivery.status': 1, 'delivery.leaseUntil': 1 }, name: 'delivery_leased' },
      { key: { occurredAt: 1 }, name: 'occurred' },
    ]);
    await this.#claims.ensureIndexes();
  }

  async getWebhook(accountId: string): Promise<OperationalWebhook | null> {
    const doc = await this.#webhooks.findOne({ _id: accountId });
    return doc ? operationalWebhookCodec.fromDocument(doc) : null;
  }

  async putWebhook(webhook: OperationalWebhook): Promise<void> {
    const doc = operationalWebhookCodec.toDocument(webhook);
    await this.#webhooks.replaceOne({ _id: doc._id }, doc, { upsert: true });
  }

  async deleteWebhook(accountId: string): Promise<boolean> {
    return (await this.#webhooks.deleteOne({ _id: accountId })).deletedCount === 1;
  }

  async insertEvent(event: StoredOperationalEvent): Promise<void> {
    await this.#events.insertOne(operationalEventCodec.toDocument(event));
  }

  async listEvents(
    accountId: string,
    q: { first: number; after?: string },
  ): Promise<Page<StoredOperationalEvent>> {
    const filter: Filter<EventDoc> = { accountId };
    if (q.after) filter._id = { $lt: q.after };
    const docs = await this.#events
      .find(filter)
      .sort({ _id: -1 })
      .limit(q.first + 1)
      .toArray();
    return { items: docs.slice(0, q.first).map(fromDoc), hasNextPage: docs.length > q.first };
  }

  async claimDueDeliveries(r: Omit<ClaimRequest, 'excludeWebhookIds'>): Promise<StoredOperationalEvent[]> {
    const due = [
      { status: 'PENDING', field: 'nextAttemptAt', op: '$lte' },
      { status: 'IN_FLIGHT', field: 'leaseUntil', op: '$lt' },
    ] as const;
    const candidates = (
      await Promise.all(
        due.map(async ({ status, field, op }) => {
          const filter: Filter<EventDoc> = {
            'delivery.status': status,
            [`delivery.${field}`]: { [op]: r.now },
          };
          return (
            await this.#events
              .find(filter, { projection: { _id: 1, delivery: 1 } })
              .limit(r.limit)
              .toArray()
          ).map((d) => ({ id: d._id, filter, state: `${status}:${d.delivery[field]?.getTime()}` }));
        }),
      )
    )
      .flat()
      .slice(0, r.limit);
    const claimed: StoredOperationalEvent[] = [];
    for (const c of candidates) {
      // The filter again: another process may have claimed or finished it since the read.
      const doc = await this.#events.findOneAndUpdate(
        { ...c.filter, _id: c.id },
        {
          $set: {
            'delivery.status': 'IN_FLIGHT',
            'delivery.leaseOwner': r.owner,
            'delivery.leaseUntil': r.leaseUntil,
          },
        },
        { returnDocument: 'after' },
      );
      // FerretDB may let two claimers match: the claim token says which one won (ClaimTokens).
      if (!doc || !(await this.#claims.win(c.id, c.state, r.owner, r.now))) continue;
      await this.#events.updateOne(
        { _id: c.id },
        { $set: { 'delivery.leaseOwner': r.owner, 'delivery.leaseUntil': r.leaseUntil } },
      );
      claimed.push(fromDoc(doc));
    }
    return claimed;
  }

  async saveDelivery(event: StoredOperationalEvent, owner: string): Promise<boolean> {
    const update = { $set: { delivery: event.delivery } };
    const claimedAt = this.#claims.claimedAt(event.id, owner);
    const key = { _id: event.id, accountId: event.accountId };
    if ((await this.#events.updateOne({ ...key, 'delivery.leaseOwner': owner }, update)).matchedCount === 1)
      return true;
    // A won claim whose lease field a losing claimer's late write took (see MongoInvocationStore).
    if (!claimedAt || (await this.#claims.claimedSince(event.id, 'IN_FLIGHT:', claimedAt))) return false;
    const res = await this.#events.updateOne({ ...key, 'delivery.status': 'IN_FLIGHT' }, update);
    return res.matchedCount === 1;
  }

  async deleteEventsBefore(before: Date, limit: number): Promise<number> {
    await this.#claims.deleteBefore(before);
    const ids = (
      await this.#events
        .find(
          { occurredAt: { $lt: before }, 'delivery.status': { $nin: ['PENDING', 'IN_FLIGHT'] } },
          { projection: { _id: 1 } },
        )
        .limit(limit)
        .toArray()
    ).map((d) => d._id);
    if (ids.length === 0) return 0;
    return (await this.#events.deleteMany({ _id: { $in: ids } })).deletedCount;
  }
}

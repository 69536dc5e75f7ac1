import type { Collection, Db, Filter } from 'mongodb';
import type { Trigger } from '../../domain/event.js';
import { webhookMatchKeys } from '../../domain/matching.js';
import type { Page } from '../../domain/pagination.js';
import type { InsertResult, UpdateResult, WebhookListQuery, WebhookStore } from '../../domain/ports.js';
import { FILTER_DIMENSIONS, foldFilterValue, nameKey, type Webhook } from '../../domain/webhook.js';
import { type Document, webhookCodec } from '../codecs.js';
import { isDuplicateKey } from './errors.js';
import { ensureIndexes } from './indexes.js';

/**
 * matchKeys: `<trigger>:<match key>` for every trigger and match key (domain/matching.ts), indexed.
 * filtersFolded: the filters are folded as the case-insensitive dimensions need (webhook.ts);
 * documents stored before that are folded once, at start.
 */
type WebhookDoc = Document<Webhook> & { nameKey: string; matchKeys: string[]; filtersFolded: true };

function matchKeys(w: Pick<Webhook, 'triggers' | 'filters'>): string[] {
  const keys = webhookMatchKeys(w.filters);
  return w.triggers.flatMap((t) => keys.map((k) => `${t}:${k}`));
}

function toDoc(w: Webhook): WebhookDoc {
  return {
    ...webhookCodec.toDocument(w),
    nameKey: nameKey(w.name),
    matchKeys: matchKeys(w),
    filtersFolded: true,
  };
}

const fromDoc = (doc: WebhookDoc): Webhook => webhookCodec.fromDocument(doc);

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class MongoWebhookStore implements WebhookStore {
  readonly #col: Collection<WebhookDoc>;

  constructor(db: Db) {
    this.#col = db.collection<WebhookDoc>('webhooks');
  }

  async ensureIndexes(): Promise<void> {
    await ensureIndexes(this.#col, [
      { key: { accountId: 1, nameKey: 1 }, name: 'account_name', unique: true },
      { key: { accountId: 1, _id: -1 }, name: 'account_newest' },
      // Lists by trigger (triggers is an array: a multikey index).
      { key: { accountId: 1, triggers: 1, status: 1 }, name: 'account_trigger_status' },
      // Matching: one index probe per event key.
      { key: { accountId: 1, matchKeys: 1 }, name: 'account_match_keys' },
    ]);
    // Webhooks stored before match keys, or before case-insensitive dimensions, get both (once).
    for await (const doc of this.#col.find({ filtersFolded: { $exists: false } })) {
      const webhook = fromDoc(doc);
      for (const d of FILTER_DIMENSIONS) {
        webhook.filters[d] = [...new Set(webhook.filters[d].map((v) => foldFilterValue(d, v)))];
      }
      await this.#col.updateOne(
        { _id: doc._id },
        { $set: { filters: webhook.filters, matchKeys: matchKeys(webhook), filtersFolded: true } },
      );
    }
  }

  async insert(w: Webhook): Promise<InsertResult> {
    try {
      await this.#col.insertOne(toDoc(w));
      return 'ok';
    } catch (err) {
      if (isDuplicateKey(err)) return 'duplicate_name';
      throw err;
    }
  }

  async get(accountId: string, id: string): Promise<Webhook | null> {
    const doc = await this.#col.findOne({ _id: id, accountId });
    return doc ? fromDoc(doc) : null;
  }

  async list(accountId: string, q: WebhookListQuery): Promise<Page<Webhook>> {
    const filter: Filter<WebhookDoc> = { accountId };
    if (q.after !== undefined) filter._id = { $lt: q.after };
    if (q.status) filter.status = q.status;
    if (q.trigger) filter.triggers = q.trigger;
    if (q.nameContains) filter.nameKey = { $regex: escapeRegex(q.nameContains) };
    const docs = await this.#col
      .find(filter)
      .sort({ _id: -1 })
      .limit(q.first + 1)
      .toArray();
    return { items: docs.slice(0, q.first).map(fromDoc), hasNextPage: docs.length > q.first };
  }

  async update(w: Webhook, expectedVersion: number): Promise<UpdateResult> {
    try {
      const res = await this.#col.replaceOne(
        { _id: w.id, accountId: w.accountId, version: expectedVersion },
        toDoc(w),
      );
      if (res.matchedCount === 1) return 'ok';
      const exists = await this.#col.countDocuments({ _id: w.id, accountId: w.accountId }, { limit: 1 });
      return exists ? 'stale' : 'not_found';
    } catch (err) {
      if (isDuplicateKey(err)) return 'duplicate_name';
      throw err;
    }
  }

  async delete(accountId: string, id: string): Promise<boolean> {
    const res = await this.#col.deleteOne({ _id: id, accountId });
    return res.deletedCount === 1;
  }

  async listMatchCandidates(accountId: string, trigger: Trigger, eventKeys: string[]): Promise<Webhook[]> {
    const keys = eventKeys.map((k) => `${trigger}:${k}`);
    const docs = await this.#col.find({ accountId, matchKeys: { $in: keys }, status: 'ACTIVE' }).toArray();
    return docs.map(fromDoc);
  }

  async count(accountId: string): Promise<number> {
    return this.#col.countDocuments({ accountId });
  }

  async setFailingSince(accountId: string, id: string, at: Date | null): Promise<void> {
    await this.#col.updateOne({ _id: id, accountId }, { $set: { failingSince: at } });
  }
}

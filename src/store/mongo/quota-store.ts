import type { Collection, Db } from 'mongodb';
import type { DeliveryQuotaStore } from '../../domain/ports.js';
import { isDuplicateKey } from './errors.js';
import { ensureIndexes } from './indexes.js';

interface SlotDoc {
  _id: string;
  webhook: string;
  windowStart: Date;
}

/**
 * Rate-limit windows as slot documents: slot n of a webhook's window is the document
 * `<account>/<webhook>/<window start>/<n>`, and taking it is inserting it, so the unique `_id` is the
 * arbiter (updates are not: a MongoDB-compatible server may apply `$inc` as read-modify-write, and
 * FerretDB does). The count of the window's slots says where to start trying; a taker that loses a
 * slot to another tries the next, up to the limit. The first slot of a window clears the webhook's
 * earlier windows.
 */
export class MongoQuotaStore implements DeliveryQuotaStore {
  readonly #col: Collection<SlotDoc>;

  constructor(db: Db) {
    this.#col = db.collection<SlotDoc>('rate_slots');
  }

  async ensureIndexes(): Promise<void> {
    await ensureIndexes(this.#col, [{ key: { webhook: 1, windowStart: 1 }, name: 'webhook_window' }]);
  }

  async take(accountId: string, webhookId: string, windowStart: Date, want: number, limit: number) {
    const webhook = `${accountId}/${webhookId}`;
    let slot = await this.#col.countDocuments({ webhook, windowStart });
    let got = 0;
    while (got < want && slot < limit) {
      try {
        await this.#col.insertOne({
          _id: `${webhook}/${windowStart.getTime()}/${slot}`,
          webhook,
          windowStart,
        });
        got++;
        if (slot === 0) await this.#col.deleteMany({ webhook, windowStart: { $lt: windowStart } });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      slot++;
    }
    return got;
  }
}

import type { Collection, Db } from 'mongodb';
import type { DeliveryQuotaStore } from '../../domain/ports.js';
import { isDuplicateKey } from './errors.js';

interface WindowDoc {
  _id: string;
  windowStart: Date;
  used: number;
}

/**
 * Rate-limit windows: one document per webhook, the window it counts and the slots taken in it.
 * Taking is an increment of the current window's document; a later window first replaces an earlier
 * one (compare-and-set on its start). What each taker gets is what was left when its increment ran.
 */
export class MongoQuotaStore implements DeliveryQuotaStore {
  readonly #col: Collection<WindowDoc>;

  constructor(db: Db) {
    this.#col = db.collection<WindowDoc>('rate_windows');
  }

  async take(accountId: string, webhookId: string, windowStart: Date, want: number, limit: number) {
    const _id = `${accountId}/${webhookId}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      const doc = await this.#col.findOneAndUpdate(
        { _id, windowStart },
        { $inc: { used: want } },
        { returnDocument: 'after' },
      );
      if (doc) return Math.max(0, Math.min(want, limit - (doc.used - want)));
      try {
        // No document, or one for an earlier window: this window starts (a later one stays).
        await this.#col.updateOne(
          { _id, windowStart: { $lt: windowStart } },
          { $set: { windowStart, used: 0 } },
          { upsert: true },
        );
      } catch (err) {
        // Another taker started it first, or a later window exists (this clock is behind).
        if (!isDuplicateKey(err)) throw err;
      }
    }
    return 0;
  }
}

import type { Collection, Db } from 'mongodb';
import { isDuplicateKey } from './errors.js';
import { ensureIndexes } from './indexes.js';

interface TokenDoc {
  _id: string;
  owner: string;
  at: Date;
}

/**
 * Who won a claim, when the server may not say so. A claim is a compare-and-set (findOneAndUpdate
 * with the due state in its filter), and FerretDB applies it as read-modify-write: two workers can
 * both match the same document and both "win". Every claimer of one state of a document (its id,
 * status and due time) then inserts the same token; the unique _id lets exactly one insert land.
 * A loser's late compare-and-set may still land over the winner's lease, so the winner's store asks
 * `claimedAt` when its lease-guarded save misses. A later claim (after a retry or an expired lease)
 * starts from another state, so it races for another token.
 */
export class ClaimTokens {
  readonly #tokens: Collection<TokenDoc>;
  /** Documents this process won and holds: the owner that won each, and when. */
  readonly #won = new Map<string, { owner: string; at: Date }>();

  constructor(db: Db, collection: string) {
    this.#tokens = db.collection<TokenDoc>(collection);
  }

  async ensureIndexes(): Promise<void> {
    await ensureIndexes(this.#tokens, [{ key: { at: 1 }, name: 'at' }]);
  }

  /** Whether `owner` won the claim of document `id` in the state `state`. */
  async win(id: string, state: string, owner: string, now: Date): Promise<boolean> {
    try {
      await this.#tokens.insertOne({ _id: `${id}:${state}`, owner, at: now });
    } catch (err) {
      // Another worker won: the loser writes nothing more (a late write could undo the winner's).
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    this.#won.set(id, { owner, at: now });
    return true;
  }

  /**
   * When `owner` won the claim it holds on document `id` (null: it won none here); asking spends it,
   * as the holder's one save ends the claim.
   */
  claimedAt(id: string, owner: string): Date | null {
    const won = this.#won.get(id);
    if (won?.owner !== owner) return null;
    this.#won.delete(id);
    return won.at;
  }

  /** Whether a claim of document `id` in state `statePrefix…` was won after `since` (its lease expired). */
  async claimedSince(id: string, statePrefix: string, since: Date): Promise<boolean> {
    const prefix = `${id}:${statePrefix}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return (await this.#tokens.findOne({ _id: { $regex: `^${prefix}` }, at: { $gt: since } })) !== null;
  }

  /** Tokens only matter while their claim can race: long gone by a retention window. */
  async deleteBefore(before: Date): Promise<void> {
    await this.#tokens.deleteMany({ at: { $lt: before } });
  }
}

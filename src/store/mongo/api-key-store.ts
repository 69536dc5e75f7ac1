import type { Collection, Db, Filter } from 'mongodb';
import type { Account, ApiKey } from '../../domain/api-key.js';
import type { Page } from '../../domain/pagination.js';
import type { ApiKeyStore } from '../../domain/ports.js';
import { accountCodec, apiKeyCodec, type Document } from '../codecs.js';
import { isDuplicateKey } from './errors.js';
import { ensureIndexes } from './indexes.js';

type KeyDoc = Document<ApiKey>;
type AccountDoc = Document<Account>;

const fromDoc = (doc: KeyDoc): ApiKey => apiKeyCodec.fromDocument(doc);

export class MongoApiKeyStore implements ApiKeyStore {
  readonly #keys: Collection<KeyDoc>;
  readonly #accounts: Collection<AccountDoc>;
  readonly #markers: Collection<{ _id: string; at: Date }>;
  /**
   * lastUsedAt lives in its own collection: a server that applies updates as read-modify-write of the
   * whole document (FerretDB) could otherwise write a key back unrevoked when a use and a revocation
   * of it land at the same moment.
   */
  readonly #usage: Collection<{ _id: string; lastUsedAt: Date }>;

  constructor(db: Db) {
    this.#keys = db.collection<KeyDoc>('api_keys');
    this.#accounts = db.collection<AccountDoc>('accounts');
    this.#markers = db.collection<{ _id: string; at: Date }>('bootstrap');
    this.#usage = db.collection<{ _id: string; lastUsedAt: Date }>('api_key_usage');
  }

  async ensureIndexes(): Promise<void> {
    await ensureIndexes(this.#keys, [
      { key: { hash: 1 }, name: 'hash', unique: true },
      { key: { accountId: 1, _id: -1 }, name: 'account_newest' },
    ]);
  }

  async insertAccount(account: Account): Promise<void> {
    await this.#accounts.insertOne(accountCodec.toDocument(account));
  }

  async insert(key: ApiKey): Promise<void> {
    await this.#keys.insertOne(apiKeyCodec.toDocument(key));
  }

  async findByHash(hash: string): Promise<ApiKey | null> {
    const doc = await this.#keys.findOne({ hash });
    return doc ? ((await this.#withUsage([fromDoc(doc)]))[0] ?? null) : null;
  }

  async get(accountId: string, id: string): Promise<ApiKey | null> {
    const doc = await this.#keys.findOne({ _id: id, accountId });
    return doc ? ((await this.#withUsage([fromDoc(doc)]))[0] ?? null) : null;
  }

  async #withUsage(keys: ApiKey[]): Promise<ApiKey[]> {
    if (keys.length === 0) return keys;
    const ids = keys.map((k) => k.id);
    const usage = await this.#usage
      .find(ids.length === 1 ? { _id: ids[0] as string } : { _id: { $in: ids } })
      .toArray();
    const at = new Map(usage.map((u) => [u._id, u.lastUsedAt]));
    return keys.map((k) => ({ ...k, lastUsedAt: at.get(k.id) ?? k.lastUsedAt }));
  }

  async list(accountId: string, q: { first: number; after?: string }): Promise<Page<ApiKey>> {
    const filter: Filter<KeyDoc> = { accountId };
    if (q.after) filter._id = { $lt: q.after };
    const docs = await this.#keys
      .find(filter)
      .sort({ _id: -1 })
      .limit(q.first + 1)
      .toArray();
    return {
      items: await this.#withUsage(docs.slice(0, q.first).map(fromDoc)),
      hasNextPage: docs.length > q.first,
    };
  }

  async revoke(accountId: string, id: string, at: Date): Promise<ApiKey | null> {
    await this.#keys.updateOne({ _id: id, accountId, revokedAt: null }, { $set: { revokedAt: at } });
    return this.get(accountId, id);
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.#usage.updateOne({ _id: id }, { $set: { lastUsedAt: at } }, { upsert: true });
  }

  async any(): Promise<boolean> {
    return (await this.#keys.findOne({}, { projection: { _id: 1 } })) !== null;
  }

  async claimBootstrap(): Promise<boolean> {
    try {
      await this.#markers.insertOne({ _id: 'first-key', at: new Date() });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }
}

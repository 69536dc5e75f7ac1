import type { Account, ApiKey } from '../../domain/api-key.js';
import type { Page } from '../../domain/pagination.js';
import type { ApiKeyStore } from '../../domain/ports.js';
import { accountCodec, apiKeyCodec } from '../codecs.js';
import type { Db } from './database.js';
import { GroupCommit } from './group-commit.js';

interface Row {
  doc: string;
}

function fromRow(row: Row): ApiKey {
  return apiKeyCodec.fromDocument(JSON.parse(row.doc));
}

export class SqliteApiKeyStore implements ApiKeyStore {
  readonly #db: Db;
  readonly #writes: GroupCommit;
  readonly #insertAccount;
  readonly #insert;
  readonly #byHash;
  readonly #get;
  readonly #update;
  readonly #touch;
  readonly #any;
  readonly #bootstrap;

  constructor(db: Db) {
    this.#db = db;
    this.#writes = GroupCommit.of(db);
    this.#insertAccount = db.prepare('INSERT INTO accounts (id, doc) VALUES (?, ?)');
    this.#insert = db.prepare('INSERT INTO api_keys (account_id, id, hash, doc) VALUES (?, ?, ?, ?)');
    this.#byHash = db.prepare<[string], Row>('SELECT doc FROM api_keys WHERE hash = ?');
    this.#get = db.prepare<[string, string], Row>('SELECT doc FROM api_keys WHERE account_id = ? AND id = ?');
    this.#update = db.prepare('UPDATE api_keys SET doc = ? WHERE account_id = ? AND id = ?');
    this.#touch = db.prepare(
      "UPDATE api_keys SET doc = json_set(doc, '$.lastUsedAt', ?) WHERE id = ? AND account_id = (SELECT account_id FROM api_keys WHERE id = ?)",
    );
    this.#any = db.prepare('SELECT 1 AS one FROM api_keys LIMIT 1');
    this.#bootstrap = db.prepare("INSERT INTO bootstrap (id) VALUES ('first-key') ON CONFLICT DO NOTHING");
  }

  async insertAccount(account: Account): Promise<void> {
    await this.#writes.statement(() =>
      this.#insertAccount.run(account.id, JSON.stringify(accountCodec.toDocument(account))),
    );
  }

  async insert(key: ApiKey): Promise<void> {
    await this.#writes.statement(() =>
      this.#insert.run(key.accountId, key.id, key.hash, JSON.stringify(apiKeyCodec.toDocument(key))),
    );
  }

  async findByHash(hash: string): Promise<ApiKey | null> {
    const row = this.#byHash.get(hash);
    return row ? fromRow(row) : null;
  }

  async get(accountId: string, id: string): Promise<ApiKey | null> {
    const row = this.#get.get(accountId, id);
    return row ? fromRow(row) : null;
  }

  async list(accountId: string, q: { first: number; after?: string }): Promise<Page<ApiKey>> {
    const rows = this.#db
      .prepare<unknown[], Row>(
        `SELECT doc FROM api_keys WHERE account_id = ? ${q.after ? 'AND id < ?' : ''} ORDER BY id DESC LIMIT ?`,
      )
      .all(...(q.after ? [accountId, q.after] : [accountId]), q.first + 1);
    return { items: rows.slice(0, q.first).map(fromRow), hasNextPage: rows.length > q.first };
  }

  async revoke(accountId: string, id: string, at: Date): Promise<ApiKey | null> {
    return this.#writes.run(() => {
      const row = this.#get.get(accountId, id);
      if (!row) return null;
      const key = fromRow(row);
      if (!key.revokedAt) {
        key.revokedAt = at;
        this.#update.run(JSON.stringify(apiKeyCodec.toDocument(key)), accountId, id);
      }
      return key;
    });
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.#writes.statement(() => this.#touch.run(at.toISOString(), id, id));
  }

  async any(): Promise<boolean> {
    return this.#any.get() !== undefined;
  }

  async claimBootstrap(): Promise<boolean> {
    return this.#writes.statement(() => this.#bootstrap.run().changes === 1);
  }
}

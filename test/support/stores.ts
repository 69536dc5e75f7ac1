import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { inject } from 'vitest';
import type { Stores } from '../../src/domain/ports.js';
import { openMongoStores } from '../../src/store/mongo/index.js';
import { openSqliteStores } from '../../src/store/sqlite/index.js';

export const STORE_KINDS = ['sqlite', 'mongodb'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

export interface TestStores {
  stores: Stores;
  /** Where the data lives: the SQLite file, or the MongoDB URI and database name. */
  location: { file?: string; uri?: string; dbName?: string };
  close(): Promise<void>;
}

/** A fresh store per call: a SQLite file in a temp dir, or a uniquely named MongoDB database. */
export async function openTestStores(kind: StoreKind): Promise<TestStores> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'wh-test-'));
    const file = join(dir, 'webhooks.db');
    const stores = openSqliteStores(file);
    return {
      stores,
      location: { file },
      async close() {
        await stores.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const uri = inject('mongodbUri');
  const dbName = `wh_test_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  const stores = await openMongoStores(uri, dbName);
  return {
    stores,
    location: { uri, dbName },
    async close() {
      await stores.close();
      // Leave nothing behind on a shared MONGODB_URI server.
      const client = new MongoClient(uri);
      try {
        await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

/** A unique account id per test, so tests share one store without seeing each other's data. */
export function uniqueAccountId(): string {
  return `acct_t${randomBytes(6).toString('hex')}`;
}

export function uniqueName(prefix = 'hook'): string {
  return `${prefix} ${randomBytes(5).toString('hex')}`;
}

/** Whether this run's MongoDB-protocol server is FerretDB (what the tests start unless MONGODB_URI is set). */
export async function isFerretDb(): Promise<boolean> {
  const client = new MongoClient(inject('mongodbUri'), { serverSelectionTimeoutMS: 10_000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    return typeof info.ferretdbVersion === 'string';
  } finally {
    await client.close();
  }
}

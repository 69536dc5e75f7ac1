import { MongoClient } from 'mongodb';
import type { Stores } from '../ports.js';
import { MongoWebhookStore } from './webhook-store.js';

/** The production store: any MongoDB (replica set or sharded) or a wire-compatible server. */
export async function openMongoStores(uri: string, dbName: string): Promise<Stores> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, appName: 'access-webhooks' });
  await client.connect();
  const db = client.db(dbName);
  const webhooks = new MongoWebhookStore(db);
  await webhooks.ensureIndexes();
  return {
    kind: 'mongodb',
    webhooks,
    async ping() {
      await db.command({ ping: 1 });
    },
    async close() {
      await client.close();
    },
  };
}

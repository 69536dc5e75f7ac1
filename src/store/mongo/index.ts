import { MongoClient } from 'mongodb';
import type { Stores } from '../../domain/ports.js';
import { MongoApiKeyStore } from './api-key-store.js';
import { MongoEventStore } from './event-store.js';
import { MongoFilterOptionStore } from './filter-option-store.js';
import { MongoInvocationStore } from './invocation-store.js';
import { MongoOperationalStore } from './operational-store.js';
import { MongoQuotaStore } from './quota-store.js';
import { MongoWebhookStore } from './webhook-store.js';

/** The production store: any MongoDB (replica set or sharded) or a wire-compatible server. */
export async function openMongoStores(uri: string, dbName: string): Promise<Stores> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, appName: 'access-webhooks' });
  await client.connect();
  try {
    return await storesOn(client, dbName);
  } catch (err) {
    await client.close();
    throw err;
  }
}

async function storesOn(client: MongoClient, dbName: string): Promise<Stores> {
  const db = client.db(dbName);
  const webhooks = new MongoWebhookStore(db);
  const invocations = new MongoInvocationStore(db);
  const events = new MongoEventStore(db, invocations);
  const apiKeys = new MongoApiKeyStore(db);
  const filterOptions = new MongoFilterOptionStore(db);
  const quotas = new MongoQuotaStore(db);
  const operational = new MongoOperationalStore(db);
  await Promise.all([
    filterOptions.ensureIndexes(),
    quotas.ensureIndexes(),
    webhooks.ensureIndexes(),
    events.ensureIndexes(),
    invocations.ensureIndexes(),
    apiKeys.ensureIndexes(),
    operational.ensureIndexes(),
  ]);
  return {
    kind: 'mongodb',
    webhooks,
    events,
    invocations,
    apiKeys,
    filterOptions,
    operational,
    quotas,
    async ping() {
      await db.command({ ping: 1 });
    },
    async close() {
      await client.close();
    },
  };
}

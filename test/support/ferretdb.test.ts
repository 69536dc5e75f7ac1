import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, inject, test } from 'vitest';

const runId = inject('runId');
let client: MongoClient;

beforeAll(async () => {
  client = new MongoClient(inject('mongodbUri'), { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
});

afterAll(async () => {
  await client?.close();
});

describe('MongoDB test server (globalSetup)', () => {
  test.concurrent('inserts a document and reads it back', async ({ expect }) => {
    const db = client.db(`wh_test_${runId}_roundtrip`);
    try {
      const doc = {
        name: 'alpha',
        tags: ['a', 'b'],
        nested: { n: 42, flag: true },
        at: new Date(1_700_000_000_000),
      };
      const { insertedId } = await db.collection('docs').insertOne({ ...doc });
      const found = await db.collection('docs').findOne({ _id: insertedId }, { projection: { _id: 0 } });
      expect(found).toEqual(doc);
    } finally {
      await db.dropDatabase();
    }
  });

  test.concurrent('enforces unique indexes with duplicate key error 11000', async ({ expect }) => {
    const db = client.db(`wh_test_${runId}_unique`);
    try {
      const col = db.collection('users');
      await col.createIndex({ email: 1 }, { unique: true });
      await col.insertOne({ email: 'a@example.com' });
      const err = await col.insertOne({ email: 'a@example.com' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(MongoServerError);
      expect((err as MongoServerError).code).toBe(11000);
      expect(await col.countDocuments()).toBe(1);
    } finally {
      await db.dropDatabase();
    }
  });
});

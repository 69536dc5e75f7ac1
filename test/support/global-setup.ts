/**
 * Vitest globalSetup: provides a MongoDB wire-protocol server and a Redis server to the tests.
 *
 * - MONGODB_URI set: use that server (any MongoDB >= 6 or FerretDB 1.24); it is only pinged, never modified here.
 * - otherwise: start a throwaway FerretDB 1.24 (see scripts/ferretdb.ts; built with Go on first use) and stop it
 *   at teardown.
 *
 * Redis: REDIS_URL if set (pinged, never modified here), otherwise a throwaway `redis-server` (Debian package
 * `redis-server`; see ./redis.ts) on a free loopback port, stopped at teardown.
 *
 * Tests read the values with `inject('mongodbUri')` / `inject('redisUrl')` / `inject('runId')` from 'vitest'. If no server can be
 * provided, setup throws and the whole run fails: tests are never silently skipped.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { TestProject } from 'vitest/node';
import { type FerretdbInstance, startFerretdb } from '../../scripts/ferretdb.js';
import { pingRedis, type RedisInstance, startRedis } from './redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URI of the MongoDB server for this run, e.g. `mongodb://127.0.0.1:PORT/`. */
    mongodbUri: string;
    /**
     * Unique per run, `[a-z0-9]{15}`: use it in database names (`wh_test_${runId}_<suffix>`) so runs sharing a
     * server don't collide. Keep the whole database name within 63 characters (FerretDB's limit).
     */
    runId: string;
    /** URL of the Redis server for this run, e.g. `redis://127.0.0.1:PORT`. */
    redisUrl: string;
  }
}

const log = (msg: string) => {
  process.stderr.write(`[global-setup] ${msg}\n`);
};

function redact(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

async function ping(uri: string): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, connectTimeoutMS: 10_000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } catch (err) {
    throw new Error(
      `MONGODB_URI=${redact(uri)} is set but the server there does not answer ping: ` +
        `${err instanceof Error ? err.message : String(err)}\n` +
        'Start that server, point MONGODB_URI at another MongoDB >= 6 / FerretDB 1.24, or unset MONGODB_URI ' +
        'to have the tests start FerretDB themselves (needs Go, or FERRETDB_BIN).',
    );
  } finally {
    await client.close().catch(() => {});
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId =
    Date.now().toString(36).padStart(9, '0').slice(-9) + randomBytes(4).toString('hex').slice(0, 6);
  project.provide('runId', runId);

  let redis: RedisInstance | undefined;
  const redisFromEnv = process.env.REDIS_URL;
  if (redisFromEnv) {
    log(`using REDIS_URL=${redact(redisFromEnv)}`);
    await pingRedis(redisFromEnv, 10_000).catch((err: unknown) => {
      throw new Error(
        `REDIS_URL=${redact(redisFromEnv)} is set but the server there does not answer PING: ` +
          `${err instanceof Error ? err.message : String(err)}\n` +
          'Start that server, or unset REDIS_URL to have the tests start redis-server themselves.',
      );
    });
    project.provide('redisUrl', redisFromEnv);
  } else {
    log('REDIS_URL is not set; starting a throwaway redis-server');
    redis = await startRedis(log);
    project.provide('redisUrl', redis.url);
  }

  let ferretdb: FerretdbInstance | undefined;
  const fromEnv = process.env.MONGODB_URI;
  try {
    if (fromEnv) {
      log(`using MONGODB_URI=${redact(fromEnv)}`);
      await ping(fromEnv);
      project.provide('mongodbUri', fromEnv);
    } else {
      log(
        'MONGODB_URI is not set; starting a throwaway FerretDB (set MONGODB_URI to use an existing server)',
      );
      ferretdb = await startFerretdb({ log: (msg) => log(`ferretdb: ${msg}`) });
      project.provide('mongodbUri', ferretdb.uri);
    }
  } catch (err) {
    await redis?.stop();
    throw err;
  }

  return async () => {
    if (redis) {
      log(`stopping redis-server at ${redis.url}`);
      await redis.stop();
    }
    if (ferretdb) {
      log(`stopping FerretDB at ${ferretdb.uri}`);
      await ferretdb.stop();
    }
  };
}

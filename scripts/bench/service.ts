import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { Pool } from 'undici';
import { loadConfig } from '../../src/config/index.js';
import { createAccount } from '../../src/domain/api-key-use-cases.js';
import type { Invocation } from '../../src/domain/invocation.js';
import type { Stores } from '../../src/domain/ports.js';
import { SecretBox } from '../../src/domain/secrets.js';
import { createLogger } from '../../src/ops/log.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { type App, createApp } from '../../src/server/app.js';
import { openMongoStores } from '../../src/store/mongo/index.js';
import { openSqliteStores } from '../../src/store/sqlite/index.js';
import type { StoreName } from './report.js';

/** Where MongoDB scenarios put their databases: one server per run, one database per scenario. */
export interface MongoTarget {
  uri: string;
  runId: string;
  /** FerretDB (the tests' server) is much slower than MongoDB: scenarios shrink their sizes on it. */
  ferretdb: boolean;
}

export interface BenchStore {
  kind: StoreName;
  stores: Stores;
  where: string;
  close(): Promise<void>;
}

let databases = 0;

/** A fresh store per scenario: a SQLite file in a new temp dir, or a new MongoDB database. */
export async function openBenchStore(kind: StoreName, mongo: MongoTarget | null): Promise<BenchStore> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'wh-bench-'));
    const file = join(dir, 'webhooks.db');
    const stores = openSqliteStores(file);
    return {
      kind,
      stores,
      where: file,
      async close() {
        await stores.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!mongo) throw new Error('no MongoDB server for the mongodb store');
  const dbName = `wh_bench_${mongo.runId}_${++databases}`;
  const stores = await openMongoStores(mongo.uri, dbName);
  return {
    kind,
    stores,
    where: dbName,
    async close() {
      await stores.close();
      const client = new MongoClient(mongo.uri);
      try {
        await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

export interface GqlResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** A keep-alive GraphQL client over HTTP (undici Pool), as a producer or an admin UI would use. */
export class GraphqlClient {
  readonly #pool: Pool;
  readonly #token: string;

  constructor(origin: string, token: string, connections: number) {
    this.#pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
    this.#token = token;
  }

  async request<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GqlResult<T>> {
    const body = JSON.stringify({ query, variables });
    const res = await this.#pool.request({
      path: '/graphql',
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        authorization: `Bearer ${this.#token}`,
      },
      body,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`GraphQL HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as GqlResult<T>;
  }

  /** The data of an operation that must not fail. */
  async data<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const res = await this.request<T>(query, variables);
    if (res.errors?.length || !res.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
    return res.data;
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}

export interface BenchService {
  runtime: Runtime;
  app: App;
  stores: Stores;
  origin: string;
  port: number;
  accountId: string;
  token: string;
  client: GraphqlClient;
  /** Every invocation state change goes through here (the live feed's hook); set per scenario. */
  onChange: ((invocation: Invocation) => void) | null;
  close(): Promise<void>;
}

/**
 * The service in this process, as src/main.ts composes it (createRuntime + createApp), listening on
 * 127.0.0.1:0, with a fresh account and admin API key. Logs at `info` (the production default) into a
 * sink that drops them, so the cost of building every log line is measured but not the terminal's.
 * BENCH_SERVICE_LOG=1 shows warnings and errors.
 */
export async function startService(
  store: BenchStore,
  options: {
    env: Record<string, string>;
    dispatch: boolean;
    clientConnections?: number;
    /** To restart a service on the same store (default: a new random key). */
    secretsKey?: Buffer;
  },
): Promise<BenchService> {
  const config = loadConfig({
    LOG_LEVEL: 'info',
    DATA_DIR: '/nonexistent',
    ROLE: options.dispatch ? 'all' : 'api',
    GRAPHIQL: 'false',
    RATE_LIMIT_PER_MINUTE: '10000000',
    MAX_WEBHOOKS_PER_ACCOUNT: '100000',
    ...options.env,
  });
  // BENCH_SERVICE_LOG=1 shows the service's warnings and errors (on stderr), for debugging a scenario.
  const showLog = process.env.BENCH_SERVICE_LOG === '1';
  const log = createLogger(config.LOG_LEVEL, (line) => {
    if (showLog && !line.includes('"level":"info"')) process.stderr.write(line);
  });
  const secrets = new SecretBox(options.secretsKey ?? randomBytes(32));
  const service = { onChange: null } as BenchService;
  const runtime = createRuntime(config, store.stores, secrets, log, {
    onInvocationChange: (invocation) => service.onChange?.(invocation),
  });
  const app = createApp(runtime.services, log);
  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject);
    app.server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (app.server.address() as { port: number }).port;
  const origin = `http://127.0.0.1:${port}`;
  const { account, token } = await createAccount({ apiKeys: store.stores.apiKeys }, 'bench');
  const client = new GraphqlClient(origin, token, options.clientConnections ?? 64);
  runtime.start();
  return Object.assign(service, {
    runtime,
    app,
    stores: store.stores,
    origin,
    port,
    accountId: account.id,
    token,
    client,
    async close() {
      await client.close();
      await app.close(1_000);
      await runtime.close(1_000);
    },
  });
}

/** The small body template every scenario's webhooks use (≈ 200 bytes rendered). */
export const BODY_TEMPLATE =
  '{"id": "{{ data.id }}", "type": "{{ event_type }}", "text": "{{ data.requester.name }} asks for ' +
  '{{ data.access_groups.[0].integration.name }}: {{ data.justification }}"}';

export const CREATE_WEBHOOK = `mutation($input: CreateWebhookInput!) {
  createWebhook(input: $input) {
    __typename
    ... on CreateWebhookSuccess { webhook { id } }
    ... on Error { message }
    ... on ValidationError { fieldErrors { path message } }
  }
}`;

export async function createWebhook(client: GraphqlClient, input: Record<string, unknown>): Promise<string> {
  const data = await client.data<{
    createWebhook: { __typename: string; webhook?: { id: string }; message?: string };
  }>(CREATE_WEBHOOK, {
    input: { triggers: ['REQUEST_CREATED'], bodyTemplate: BODY_TEMPLATE, ...input },
  });
  const id = data.createWebhook.webhook?.id;
  if (!id) throw new Error(`createWebhook failed: ${JSON.stringify(data.createWebhook)}`);
  return id;
}

export const PUBLISH_EVENT = `mutation($event: JSON!) {
  publishEvent(event: $event) { __typename ... on PublishEventSuccess { eventId matchedWebhookCount } }
}`;

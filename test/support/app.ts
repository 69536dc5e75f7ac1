import { randomBytes } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { loadConfig } from '../../src/config/index.js';
import type { Dispatcher } from '../../src/dispatch/dispatcher.js';
import type { ApiKeyRole } from '../../src/domain/api-key.js';
import { createAccount, createApiKey } from '../../src/domain/api-key-use-cases.js';
import type { Invocation } from '../../src/domain/invocation.js';
import { SecretBox } from '../../src/domain/secrets.js';
import type { FeedOptions } from '../../src/live/feed.js';
import { createLogger } from '../../src/ops/log.js';
import { createRuntime } from '../../src/runtime.js';
import { createApp } from '../../src/server/app.js';
import { openTestStores, type StoreKind, type TestStores } from './stores.js';

export interface GqlResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: (string | number)[] }[];
}

export interface TestApp extends TestStores {
  kind: StoreKind;
  secrets: SecretBox;
  app: ReturnType<typeof createApp>;
  dispatcher: Dispatcher | null;
  runtime: ReturnType<typeof createRuntime>;
  /** The account the default client acts for, and its admin key. */
  accountId: string;
  token: string;
  /** A client for another key: `t.as(token).gql(...)`. */
  as(token: string | null): Pick<TestApp, 'gql' | 'raw'>;
  /** A new account with an admin key (isolation tests), or a key of another role on this account. */
  newAccount(): Promise<{ accountId: string; token: string }>;
  newKey(role: ApiKeyRole, accountId?: string): Promise<{ id: string; token: string }>;
  /** Every invocation state change the runtime reported, in order. */
  changes: Invocation[];
  /** Sends one operation through the real yoga pipeline (in-process, no socket). */
  gql<T, V>(doc: TypedDocumentNode<T, V>, variables?: V): Promise<GqlResponse<T>>;
  /** The same, for a raw query string (malformed input, fields codegen cannot type). */
  raw(query: string, variables?: Record<string, unknown>): Promise<GqlResponse<Record<string, unknown>>>;
  /** Stops the dispatcher and the outbound client, then the stores. */
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra environment (DISPATCH_RESOLVE, DISPATCH_CA_FILE, DISPATCH_RETRY_SCHEDULE…). */
  env?: Record<string, string>;
  /** Start the delivery workers (default: no, so GraphQL-only tests send nothing). */
  dispatch?: boolean;
  /** Live feed settings (e.g. a small per-subscriber buffer); REDIS_URL in `env` selects Redis. */
  feed?: FeedOptions;
  /** Receives every log line (JSON) at the app's LOG_LEVEL (set LOG_LEVEL in `env`); default: stdout. */
  logWrite?: (line: string) => void;
  /**
   * The workers' clock (dispatcher, OAuth tokens, retention), e.g. `testClock().now` from ./clock.ts;
   * default: Date.now.
   */
  now?: () => number;
}

export async function createTestApp(kind: StoreKind, options: TestAppOptions = {}): Promise<TestApp> {
  const testStores = await openTestStores(kind);
  const config = loadConfig({
    LOG_LEVEL: (process.env.TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent',
    DATA_DIR: '/nonexistent',
    ROLE: options.dispatch ? 'all' : 'api',
    RATE_LIMIT_PER_MINUTE: '1000000',
    DISPATCH_POLL_INTERVAL: '200ms',
    // The sandbox's budgets are wall-clock: on a loaded 2-core machine an ordinary template or
    // validator can be held past the 250 ms defaults and refused. Tests of the budgets set their own.
    RENDER_TIMEOUT: '10s',
    VALIDATION_TIMEOUT: '10s',
    ...options.env,
  });
  const secrets = new SecretBox(randomBytes(32));
  const changes: Invocation[] = [];
  const log = createLogger(config.LOG_LEVEL, options.logWrite);
  const runtime = createRuntime(config, testStores.stores, secrets, log, {
    onInvocationChange: (i) => changes.push(structuredClone(i)),
    feed: options.feed,
    now: options.now,
  });
  const app = createApp(runtime.services, log);
  runtime.start();
  const apiKeys = { apiKeys: testStores.stores.apiKeys };
  const newAccount = async () => {
    const { account, token } = await createAccount(apiKeys, `test ${randomBytes(3).toString('hex')}`);
    return { accountId: account.id, token };
  };
  const main = await newAccount();
  const client = (token: string | null) => {
    const raw = async (query: string, variables?: Record<string, unknown>) => {
      const res = await app.yoga.fetch('http://test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GqlResponse<Record<string, unknown>>;
    };
    return {
      raw,
      gql: async <T, V>(doc: TypedDocumentNode<T, V>, variables?: V) =>
        (await raw(print(doc), variables as Record<string, unknown>)) as GqlResponse<T>,
    };
  };
  const { raw, gql } = client(main.token);
  return {
    ...testStores,
    kind,
    secrets,
    app,
    dispatcher: runtime.dispatcher,
    runtime,
    accountId: main.accountId,
    token: main.token,
    as: client,
    newAccount,
    async newKey(role, accountId = main.accountId) {
      const created = await createApiKey(apiKeys, { accountId }, { name: `${role} key`, role });
      if (!created.ok) throw created.error;
      return { id: created.value.apiKey.id, token: created.value.token };
    },
    changes,
    raw,
    gql,
    async close() {
      await runtime.close(1_000);
      await testStores.close();
    },
  };
}

import { randomBytes } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { loadConfig } from '../../src/config/index.js';
import { SecretBox } from '../../src/domain/secrets.js';
import { createLogger } from '../../src/log.js';
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
  /** Sends one operation through the real yoga pipeline (in-process, no socket). */
  gql<T, V>(doc: TypedDocumentNode<T, V>, variables?: V): Promise<GqlResponse<T>>;
  /** The same, for a raw query string (malformed input, fields codegen cannot type). */
  raw(query: string, variables?: Record<string, unknown>): Promise<GqlResponse<Record<string, unknown>>>;
}

export async function createTestApp(kind: StoreKind): Promise<TestApp> {
  const testStores = await openTestStores(kind);
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: '/nonexistent' });
  const secrets = new SecretBox(randomBytes(32));
  const app = createApp({ config, stores: testStores.stores, secrets }, createLogger('silent'));
  const raw = async (query: string, variables?: Record<string, unknown>) => {
    const res = await app.yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GqlResponse<Record<string, unknown>>;
  };
  return {
    ...testStores,
    kind,
    secrets,
    app,
    raw,
    gql: async <T, V>(doc: TypedDocumentNode<T, V>, variables?: V) =>
      (await raw(print(doc), variables as Record<string, unknown>)) as GqlResponse<T>,
  };
}

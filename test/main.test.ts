import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, describe, inject, test } from 'vitest';
import { SecretBox } from '../src/domain/secrets.js';
import {
  cleanupProcesses,
  graphql,
  isRunning,
  logEntry,
  processTree,
  type Server,
  START_TIMEOUT_MS,
  spawnMain,
  startServer,
  stop,
  TEST_TIMEOUT_MS,
  tempDataDir,
} from './support/process.js';

/** Process-level tests: src/main.ts as a real child process, talked to over HTTP. */

const CREATE = `
  mutation Create($name: String!) {
    createWebhook(
      input: { name: $name, url: "https://example.com/h", bodyTemplate: "{\\"a\\": 1}", triggers: [REQUEST_CREATED] }
    ) {
      __typename
      ... on CreateWebhookSuccess { signingSecret webhook { id name } }
    }
  }
`;

const GET = 'query Get($id: ID!) { webhook(id: $id) { id name } }';

async function createWebhookOver(server: Server, name: string) {
  const result = await graphql(server, CREATE, { name });
  const payload = result.data?.createWebhook as
    | { __typename: string; signingSecret?: string; webhook?: { id: string; name: string } }
    | undefined;
  if (payload?.__typename !== 'CreateWebhookSuccess' || !payload.webhook || !payload.signingSecret) {
    throw new Error(`createWebhook did not succeed: ${JSON.stringify(result)}`);
  }
  return { webhook: payload.webhook, signingSecret: payload.signingSecret };
}

function uniqueHookName(): string {
  return `main test ${randomBytes(5).toString('hex')}`;
}

afterAll(cleanupProcesses);

describe('main.ts as a process', () => {
  test.concurrent(
    'SQLite: data survives a SIGTERM restart; secrets.key (0600) and webhooks.db are in DATA_DIR',
    async ({ expect, onTestFinished }) => {
      const dataDir = tempDataDir();
      const name = uniqueHookName();

      const first = await startServer({ DATA_DIR: dataDir }, onTestFinished);
      expect(logEntry(first.stdout(), 'server listening')).toMatchObject({
        level: 'info',
        msg: 'server listening',
        store: 'sqlite',
      });
      const { webhook } = await createWebhookOver(first, name);
      expect(webhook).toMatchObject({ id: expect.stringMatching(/^wh_/), name });
      expect(await stop(first)).toEqual({ code: 0, signal: null });
      expect(logEntry(first.stdout(), 'shutting down')).toMatchObject({ signal: 'SIGTERM' });

      const keyFile = join(dataDir, 'secrets.key');
      expect(existsSync(keyFile)).toBe(true);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(existsSync(join(dataDir, 'webhooks.db'))).toBe(true);

      const second = await startServer({ DATA_DIR: dataDir }, onTestFinished);
      try {
        expect(await graphql(second, GET, { id: webhook.id })).toEqual({
          data: { webhook: { id: webhook.id, name } },
        });
        // A name is unique after the restart too: the data is really the same store.
        const again = await graphql(second, CREATE, { name: name.toUpperCase() });
        expect(again.data?.createWebhook).toMatchObject({ __typename: 'ConflictError' });
      } finally {
        expect(await stop(second)).toEqual({ code: 0, signal: null });
      }
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    },
    TEST_TIMEOUT_MS,
  );

  test.concurrent(
    'MongoDB: data survives a SIGTERM restart, lives in MongoDB, and nothing is written to DATA_DIR',
    async ({ expect, onTestFinished }) => {
      const dataDir = tempDataDir();
      const uri = inject('mongodbUri');
      const dbName = `wh_test_${inject('runId')}_main_${randomBytes(4).toString('hex')}`;
      const secretsKey = randomBytes(32);
      const vars = {
        DATA_DIR: dataDir,
        MONGODB_URI: uri,
        MONGODB_DB: dbName,
        SECRETS_KEY: secretsKey.toString('base64'),
      };
      const name = uniqueHookName();
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
      try {
        const first = await startServer(vars, onTestFinished);
        expect(first.stdout()).toContain('"store":"mongodb"');
        // SECRETS_KEY is set, so no warning about a generated key.
        expect(first.stdout()).not.toContain('SECRETS_KEY is not set');
        const { webhook, signingSecret } = await createWebhookOver(first, name);
        const viewer = (await graphql(first, '{ viewer { accountId } }')).data?.viewer as {
          accountId: string;
        };
        expect(await stop(first)).toEqual({ code: 0, signal: null });

        await client.connect();
        const doc = await client
          .db(dbName)
          .collection<{ _id: string }>('webhooks')
          .findOne({ _id: webhook.id });
        expect(doc).toMatchObject({ _id: webhook.id, name, accountId: viewer.accountId, version: 1 });
        // Encrypted with SECRETS_KEY (and not stored in plain text).
        const current = (
          doc as unknown as { signingSecrets: { current: { ciphertext: string; masked: string } } }
        ).signingSecrets.current;
        expect(JSON.stringify(doc)).not.toContain(signingSecret);
        expect(new SecretBox(secretsKey).decrypt(current, viewer.accountId)).toBe(signingSecret);

        const second = await startServer(vars, onTestFinished);
        try {
          expect(await graphql(second, GET, { id: webhook.id })).toEqual({
            data: { webhook: { id: webhook.id, name } },
          });
        } finally {
          expect(await stop(second)).toEqual({ code: 0, signal: null });
        }

        expect(existsSync(join(dataDir, 'webhooks.db'))).toBe(false);
        expect(existsSync(join(dataDir, 'secrets.key'))).toBe(false);
      } finally {
        await client
          .db(dbName)
          .dropDatabase()
          .catch(() => {});
        await client.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  test.concurrent(
    'npm start runs the compiled server as its only child; SIGTERM to npm drains it and every process exits',
    async ({ expect, onTestFinished }) => {
      // What a process manager or container runtime does: start `npm start`, signal that process.
      const server = await startServer({ DATA_DIR: tempDataDir() }, onTestFinished, {
        command: ['npm', 'start'],
      });
      const tree = processTree(server.child.pid as number);
      // No shell waiting on it, no tsx, no esbuild service: npm and the server it exec'd.
      expect(tree.map((p) => p.command)).toEqual([
        expect.stringMatching(/^npm\b/),
        'node --enable-source-maps dist/main.js',
      ]);

      // The compiled output works: a webhook's template is checked on the sandbox's threads (their
      // entry is dist/worker.js), the SQLite store answers, the console is served from its prebuilt assets.
      const { webhook } = await createWebhookOver(server, uniqueHookName());
      expect(webhook.id).toMatch(/^wh_/);
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
      const script = /src="(\/console\/app\.js\?v=[0-9a-f]+)"/.exec(await page.text())?.[1];
      const js = await fetch(`${server.url}${script}`);
      expect(js.status).toBe(200);
      expect((await js.arrayBuffer()).byteLength).toBeGreaterThan(10_000);

      expect(await stop(server)).toEqual({ code: 0, signal: null });
      expect(logEntry(server.stdout(), 'shutting down')).toMatchObject({ signal: 'SIGTERM' });
      expect(logEntry(server.stdout(), 'stopped')).toMatchObject({ signal: 'SIGTERM' });
      // npm exits after its child: anything it or the server started and left behind is running now.
      expect(tree.filter((p) => isRunning(p.pid))).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  test.concurrent(
    'bad configuration: exit code 1 and every bad variable reported at once',
    async ({ expect, onTestFinished }) => {
      const dataDir = tempDataDir();
      const proc = spawnMain(
        {
          DATA_DIR: dataDir,
          PORT: 'abc',
          ROLE: 'boss',
          DISPATCH_RETRY_SCHEDULE: '5x',
          SECRETS_KEY: 'short',
        },
        onTestFinished,
      );
      const timer = setTimeout(() => proc.child.kill('SIGKILL'), START_TIMEOUT_MS);
      const exit = await proc.exited;
      clearTimeout(timer);
      expect(exit).toEqual({ code: 1, signal: null });
      const stderr = proc.stderr();
      expect(stderr).toContain('invalid configuration');
      for (const name of ['PORT', 'ROLE', 'DISPATCH_RETRY_SCHEDULE', 'SECRETS_KEY']) {
        expect(stderr).toMatch(new RegExp(`^\\s*- ${name}: `, 'm'));
      }
      expect(proc.stdout()).not.toContain('server listening');
      // It stopped before touching DATA_DIR.
      expect(existsSync(dataDir)).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );

  test.concurrent(
    'serves /healthz, /readyz and GraphiQL',
    async ({ expect, onTestFinished }) => {
      const server = await startServer({ DATA_DIR: tempDataDir() }, onTestFinished);
      try {
        const health = await fetch(`${server.url}/healthz`);
        expect(health.status).toBe(200);
        expect(await health.json()).toEqual({ status: 'ok' });

        const ready = await fetch(`${server.url}/readyz`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toMatchObject({ status: 'ready', store: 'sqlite' });

        const page = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/text\/html/);
        expect(await page.text()).toMatch(/graphiql/i);
      } finally {
        expect(await stop(server)).toEqual({ code: 0, signal: null });
      }
    },
    TEST_TIMEOUT_MS,
  );
});

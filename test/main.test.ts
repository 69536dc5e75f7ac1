import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterAll, describe, inject, type OnTestFinishedHandler, test } from 'vitest';
import { SecretBox } from '../src/domain/secrets.js';

/** Process-level tests: src/main.ts as a real child process, talked to over HTTP. */

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 90_000;
/** The account every caller acts for until API keys exist (src/server/app.ts). */
const DEFAULT_ACCOUNT_ID = 'acct_default';

/** Settings main.ts reads: never inherited from the environment the tests run in. */
const CONFIG_VARS = [
  'PORT',
  'HOST',
  'ROLE',
  'DATA_DIR',
  'MONGODB_URI',
  'MONGODB_DB',
  'REDIS_URL',
  'SECRETS_KEY',
  'BOOTSTRAP_ADMIN_KEY',
  'DISPATCH_CONCURRENCY',
  'DISPATCH_PER_WEBHOOK_CONCURRENCY',
  'DISPATCH_RETRY_SCHEDULE',
  'DISPATCH_ALLOWED_CIDRS',
  'DISPATCH_RESOLVE',
  'DISPATCH_CA_FILE',
  'INVOCATION_RETENTION_DAYS',
  'LOG_LEVEL',
  'GRAPHIQL',
];

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<Exit>;
}

interface Server extends Proc {
  port: number;
  url: string;
}

type OnFinished = (fn: OnTestFinishedHandler) => void;

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wh-main-'));
  tempDirs.push(dir);
  return join(dir, 'data');
}

function spawnMain(vars: Record<string, string>, onTestFinished: OnFinished): Proc {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CONFIG_VARS) delete env[name];
  Object.assign(env, { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...vars });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  const proc = { child, stdout: () => out, stderr: () => err, exited };
  killOnFinish(onTestFinished, proc);
  return proc;
}

/** The first JSON log line with this message. */
function logEntry(stdout: string, msg: string): Record<string, unknown> | null {
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.msg === msg) return entry;
    } catch {
      // a partial line; the next chunk completes it
    }
  }
  return null;
}

function listeningPort(stdout: string): number | null {
  const port = logEntry(stdout, 'server listening')?.port;
  return typeof port === 'number' ? port : null;
}

/** Starts main.ts and resolves once it logs "server listening" with its port. */
async function startServer(vars: Record<string, string>, onTestFinished: OnFinished): Promise<Server> {
  const proc = spawnMain(vars, onTestFinished);
  const port = await new Promise<number>((resolve, reject) => {
    const describeProc = () => `\nstdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`;
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new Error(`main.ts did not log "server listening" within ${START_TIMEOUT_MS} ms${describeProc()}`),
      );
    }, START_TIMEOUT_MS);
    const onData = () => {
      const found = listeningPort(proc.stdout());
      if (found !== null) {
        cleanup();
        resolve(found);
      }
    };
    const cleanup = () => {
      clearTimeout(timer);
      proc.child.stdout?.off('data', onData);
    };
    proc.child.stdout?.on('data', onData);
    void proc.exited.then((exit) => {
      cleanup();
      reject(new Error(`main.ts exited before listening (${JSON.stringify(exit)})${describeProc()}`));
    });
  });
  return { ...proc, port, url: `http://127.0.0.1:${port}` };
}

/** SIGTERM, then the exit status (SIGKILL after 15 s so a hung shutdown fails the test instead of leaking). */
async function stop(proc: Proc): Promise<Exit> {
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 15_000);
  try {
    return await proc.exited;
  } finally {
    clearTimeout(timer);
  }
}

interface GqlResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string }[];
}

async function graphql(
  server: Server,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlResult> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  if (res.status !== 200) throw new Error(`POST /graphql answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as GqlResult;
}

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

/**
 * Kills, when the test ends however it ends, the processes it started (and only those: concurrent
 * tests keep theirs running).
 */
function killOnFinish(onTestFinished: OnFinished, proc: Proc): void {
  onTestFinished(async () => {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    await proc.exited;
  });
}

afterAll(async () => {
  const running = [...children];
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(
    running.map((child) =>
      child.exitCode !== null || child.signalCode !== null
        ? undefined
        : new Promise((resolve) => child.once('exit', resolve)),
    ),
  );
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

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
        expect(await stop(first)).toEqual({ code: 0, signal: null });

        await client.connect();
        const doc = await client
          .db(dbName)
          .collection<{ _id: string }>('webhooks')
          .findOne({ _id: webhook.id });
        expect(doc).toMatchObject({ _id: webhook.id, name, accountId: DEFAULT_ACCOUNT_ID, version: 1 });
        // Encrypted with SECRETS_KEY (and not stored in plain text).
        const current = (
          doc as unknown as { signingSecrets: { current: { ciphertext: string; masked: string } } }
        ).signingSecrets.current;
        expect(JSON.stringify(doc)).not.toContain(signingSecret);
        expect(new SecretBox(secretsKey).decrypt(current, DEFAULT_ACCOUNT_ID)).toBe(signingSecret);

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

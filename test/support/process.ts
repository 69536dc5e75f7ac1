import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OnTestFinishedHandler } from 'vitest';
import { settingDocs } from '../../src/config/index.js';

/** src/main.ts as a real child process, for process-level tests (restarts, crashes, multi-process). */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const START_TIMEOUT_MS = 30_000;
export const TEST_TIMEOUT_MS = 90_000;
/** The account every caller acts for until API keys exist (src/server/app.ts). */
/** The first admin key of every server these helpers start (BOOTSTRAP_ADMIN_KEY), unless one is given. */
export const TEST_ADMIN_KEY = 'whk_test_admin_key_0123456789abcdefghijkl';

/** Settings main.ts reads (every one of the config schema): never inherited from the environment the tests run in. */
export const CONFIG_VARS = settingDocs().map((s) => s.name);

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<Exit>;
}

export interface Server extends Proc {
  port: number;
  url: string;
  /** The admin API key graphql() sends. */
  token: string;
}

export type OnFinished = (fn: OnTestFinishedHandler) => void;

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];

export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wh-main-'));
  tempDirs.push(dir);
  return join(dir, 'data');
}

/** How a test starts the server: src/main.ts through tsx (the default), or another command line. */
export interface SpawnOptions {
  command?: [string, ...string[]];
}

export function spawnMain(
  vars: Record<string, string>,
  onTestFinished: OnFinished,
  options: SpawnOptions = {},
): Proc {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CONFIG_VARS) delete env[name];
  // The OpenTelemetry variables the SDK reads by itself (headers, resource attributes, …) too.
  for (const name of Object.keys(env)) if (name.startsWith('OTEL_')) delete env[name];
  Object.assign(env, {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    BOOTSTRAP_ADMIN_KEY: TEST_ADMIN_KEY,
    RATE_LIMIT_PER_MINUTE: '1000000',
    ...vars,
  });
  const [command, ...args] = options.command ?? [process.execPath, '--import', 'tsx', 'src/main.ts'];
  const child = spawn(command, args, {
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
export function logEntry(stdout: string, msg: string): Record<string, unknown> | null {
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

export function listeningPort(stdout: string): number | null {
  const port = logEntry(stdout, 'server listening')?.port;
  return typeof port === 'number' ? port : null;
}

/** Starts main.ts and resolves once it logs "server listening" with its port. */
export async function startServer(
  vars: Record<string, string>,
  onTestFinished: OnFinished,
  options: SpawnOptions = {},
): Promise<Server> {
  const proc = spawnMain(vars, onTestFinished, options);
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
  return {
    ...proc,
    port,
    url: `http://127.0.0.1:${port}`,
    token: vars.BOOTSTRAP_ADMIN_KEY ?? TEST_ADMIN_KEY,
  };
}

/** SIGTERM, then the exit status (SIGKILL after 15 s so a hung shutdown fails the test instead of leaking). */
export async function stop(proc: Proc): Promise<Exit> {
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 15_000);
  try {
    return await proc.exited;
  } finally {
    clearTimeout(timer);
  }
}

export interface GqlResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string }[];
}

export async function graphql(
  server: Server,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlResult> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Bearer ${server.token}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  if (res.status !== 200) throw new Error(`POST /graphql answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as GqlResult;
}

/** graphql(), for an operation that must succeed: its data, or the errors thrown. */
export async function graphqlData<T>(
  server: Server,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const res = await graphql(server, query, variables);
  if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
  return res.data as T;
}

/**
 * Kills, when the test ends however it ends, the processes it started (and only those: concurrent
 * tests keep theirs running).
 */
export function killOnFinish(onTestFinished: OnFinished, proc: Proc): void {
  onTestFinished(async () => {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    await proc.exited;
  });
}

/** Kills every process these helpers started and removes their temp dirs (call from afterAll). */
export async function cleanupProcesses(): Promise<void> {
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
}

/** A process and all its descendants, read from /proc (Linux): pid and command line of each. */
export function processTree(root: number): { pid: number; command: string }[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The fields after "(comm)": state, ppid, …
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // it exited meanwhile
    }
  }
  const tree: { pid: number; command: string }[] = [];
  const pending = [root];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      tree.push({ pid, command });
    } catch {
      continue;
    }
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** True while the process exists and has not exited (a zombie, exited but not yet reaped, has). */
export function isRunning(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

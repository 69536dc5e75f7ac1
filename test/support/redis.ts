/**
 * A throwaway redis-server (Debian's `redis-server` package): loopback only, a free port, state in
 * a temp dir deleted at stop. For the tests (no persistence; started once per run by
 * global-setup.ts) and for the bench's BullMQ peer (persisted as such a deployment usually is).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export interface RedisInstance {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export interface RedisOptions {
  /** Append-only file with fsync every second (the peer's setting); default none at all. */
  appendOnly?: boolean;
  /** The binary: REDIS_SERVER_BIN or `redis-server` on the PATH. */
  bin?: string;
}

export const REDIS_MISSING =
  'redis-server is not installed: the live-update tests need a real Redis. Install it ' +
  '(Debian/Ubuntu: apt-get install -y redis-server; .ci/run does this) or set REDIS_URL to a running Redis.';

/** Resolves when the server at `url` answers PING (with the URL's credentials, TLS for rediss://). */
export async function pingRedis(url: string, timeoutMs = 2_000): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {}); // the rejected connect() below reports it
  try {
    await client.connect();
    const answer = await client.ping();
    if (answer !== 'PONG') throw new Error(`PING answered ${answer}`);
  } finally {
    client.disconnect();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startRedis(
  log: (msg: string) => void,
  options: RedisOptions = {},
): Promise<RedisInstance> {
  const bin = options.bin ?? process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const persistence = options.appendOnly
    ? ['--appendonly', 'yes', '--appendfsync', 'everysec']
    : ['--appendonly', 'no'];
  // redis-server refuses --port 0, so take a free port; another process may grab it first: retry.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'wh-redis-'));
    const port = await freePort();
    const child = spawn(
      bin,
      ['--bind', '127.0.0.1', '--port', String(port), '--save', '', ...persistence, '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (output += c));
    const url = `redis://127.0.0.1:${port}`;
    try {
      await waitUntilUp(child, url);
      log(`redis-server ${url} (pid ${child.pid})`);
      return { url, port, pid: child.pid ?? -1, stop: () => stopRedis(child, dir) };
    } catch (err) {
      await stopRedis(child, dir);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(REDIS_MISSING);
      lastError = new Error(`redis-server did not start: ${(err as Error).message}\n${output}`);
    }
  }
  throw lastError;
}

async function waitUntilUp(child: ChildProcess, url: string): Promise<void> {
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code}`)));
  });
  exited.catch(() => {}); // it also rejects at the normal stop, when nobody waits on it any more
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await Promise.race([pingRedis(url, 500), exited]);
      return;
    } catch (err) {
      if (child.exitCode !== null || (err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
      if (Date.now() > deadline) throw err;
      await Promise.race([new Promise((r) => setTimeout(r, 50)), exited]);
    }
  }
}

async function stopRedis(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dir, { recursive: true, force: true });
}

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pingRedis } from '../../test/support/redis.js';

/**
 * A throwaway redis-server for the peer baseline (./peer.ts): Debian's `redis-server` on a free
 * loopback port, its files in a temp dir, persisted as a BullMQ deployment usually is (append-only
 * file, fsync every second, no RDB snapshots). `stop` ends it and deletes the dir.
 */
export interface BenchRedis {
  host: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

const REDIS_BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function stop(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dir, { recursive: true, force: true });
}

export async function startBenchRedis(): Promise<BenchRedis> {
  // redis-server refuses --port 0: take a free port, and retry if another process grabs it first.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'wh-bench-redis-'));
    const port = await freePort();
    const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir];
    args.push('--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '');
    const child = spawn(REDIS_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (output += c));
    const failed = new Promise<never>((_, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code}`)));
    });
    failed.catch(() => {}); // it also rejects at the normal stop
    try {
      const deadline = Date.now() + 10_000;
      for (;;) {
        try {
          await Promise.race([pingRedis(`redis://127.0.0.1:${port}`, 500), failed]);
          break;
        } catch (err) {
          if (child.exitCode !== null || (err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
          if (Date.now() > deadline) throw err;
          await Promise.race([new Promise((r) => setTimeout(r, 50)), failed]);
        }
      }
      return { host: '127.0.0.1', port, pid: child.pid ?? -1, stop: () => stop(child, dir) };
    } catch (err) {
      await stop(child, dir);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error(`${REDIS_BIN} is not installed (Debian: apt-get install -y redis-server)`);
      }
      lastError = new Error(`redis-server did not start: ${(err as Error).message}\n${output}`);
    }
  }
  throw lastError;
}

let clockTicks = 0;

/** A process's CPU time (user + system) so far, in ms, from /proc/<pid>/stat (Linux). */
export function procCpuMs(pid: number): number {
  if (!clockTicks) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, in parentheses): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startRedis } from '../../test/support/redis.js';

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

/** A throwaway redis-server for the peer, from the tests' harness, with the append-only file on. */
export async function startBenchRedis(): Promise<BenchRedis> {
  const redis = await startRedis(() => {}, { appendOnly: true });
  return { host: '127.0.0.1', port: redis.port, pid: redis.pid, stop: () => redis.stop() };
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

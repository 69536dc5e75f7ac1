import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * Start-up time and idle memory of a start command: from spawning it to /healthz answering 200, and
 * the resident memory of every process it left running once the server is idle (the web console
 * built, then 2 s more). Each run starts on the same DATA_DIR, made by a first, unmeasured run.
 *
 *   node --import tsx scripts/measure-start.ts --runs 5 -- npm start
 *   node --import tsx scripts/measure-start.ts --runs 5 -- node dist/main.js
 *
 * Linux only (it reads /proc).
 */

const { values, positionals } = parseArgs({
  options: { runs: { type: 'string', default: '5' } },
  allowPositionals: true,
});
const [command, ...args] = positionals;
if (!command) {
  process.stderr.write('usage: measure-start.ts [--runs N] -- COMMAND [ARGS…]\n');
  process.exit(2);
}

interface Run {
  startMs: number;
  processes: { pid: number; name: string; rssMiB: number }[];
  /** Processes still running 10 s after the one started got SIGTERM and exited (then killed). */
  leftOver: number;
}

const dataDir = join(mkdtempSync(join(tmpdir(), 'wh-measure-')), 'data');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

/** The process and every descendant, from /proc. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const all: number[] = [];
  const pending = [root];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    all.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return all;
}

function describe(pid: number): { pid: number; name: string; rssMiB: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const name = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return { pid, name: name.slice(0, 80), rssMiB: kb / 1024 };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    // A zombie (exited, not yet reaped) counts as gone.
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

async function once(): Promise<Run> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command as string, args, {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      BOOTSTRAP_ADMIN_KEY: 'whk_measure_start_0123456789abcdefghijkl',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let startMs = 0;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the command exited before /healthz answered:\n${out}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) {
      startMs = performance.now() - started;
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  // Idle: whatever start-up work remains (the console bundle, when it is built at start) is done.
  while (!out.includes('"msg":"web console built"') && !out.includes('"msg":"web console loaded"')) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 2_000));
  const processes = tree(child.pid as number)
    .map(describe)
    .filter((p) => p !== null);
  child.kill('SIGTERM');
  await exited;
  // What a process manager that signalled only the process it started would leave behind.
  const deadline = Date.now() + 10_000;
  let alive = processes.filter((p) => isAlive(p.pid));
  while (alive.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    alive = alive.filter((p) => isAlive(p.pid));
  }
  for (const p of alive) process.kill(p.pid, 'SIGKILL');
  return { startMs, processes, leftOver: alive.length };
}

await once();
const runs: Run[] = [];
for (let i = 0; i < Number(values.runs); i++) runs.push(await once());
rmSync(join(dataDir, '..'), { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const total = (r: Run) => r.processes.reduce((n, p) => n + p.rssMiB, 0);
const largest = (r: Run) => Math.max(...r.processes.map((p) => p.rssMiB));
process.stdout.write(`${[command, ...args].join(' ')}: ${runs.length} runs\n`);
process.stdout.write(
  `  start to /healthz: median ${median(runs.map((r) => r.startMs)).toFixed(0)} ms ` +
    `(${runs.map((r) => r.startMs.toFixed(0)).join(', ')})\n`,
);
process.stdout.write(
  `  idle RSS, all processes: median ${median(runs.map(total)).toFixed(1)} MiB; ` +
    `largest process: median ${median(runs.map(largest)).toFixed(1)} MiB\n`,
);
process.stdout.write(
  `  processes still running 10 s after SIGTERM to the one started: ${runs.map((r) => r.leftOver).join(', ')}\n`,
);
process.stdout.write('  processes running when idle (last run):\n');
for (const p of runs.at(-1)?.processes ?? []) {
  process.stdout.write(
    `    ${String(p.pid).padStart(7)} ${p.rssMiB.toFixed(1).padStart(7)} MiB  ${p.name}\n`,
  );
}

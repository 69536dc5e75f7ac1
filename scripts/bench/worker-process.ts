/**
 * A dispatch worker (ROLE=worker) in a process of its own, on the store the bench's api service
 * uses: the deployment shape for load, with publishing and delivering on separate cores. Started by
 * ./split.ts; counts the deliveries it finishes and reports them when asked.
 */
import { loadConfig } from '../../src/config/index.js';
import type { Stores } from '../../src/domain/ports.js';
import { SecretBox } from '../../src/domain/secrets.js';
import { createLogger } from '../../src/ops/log.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { openMongoStores } from '../../src/store/mongo/index.js';
import { openSqliteStores } from '../../src/store/sqlite/index.js';

export type WorkerStore = { kind: 'sqlite'; file: string } | { kind: 'mongodb'; uri: string; dbName: string };

export type WorkerCommand =
  | {
      cmd: 'start';
      reqId: number;
      store: WorkerStore;
      secretsKey: Uint8Array;
      env: Record<string, string>;
    }
  /** Answers once `target` deliveries have succeeded (or one did not succeed at once). */
  | { cmd: 'wait'; reqId: number; target: number };

export type WorkerMessage =
  | { type: 'started'; reqId: number }
  | {
      type: 'delivered';
      reqId: number;
      succeeded: number;
      other: number;
      /** This process's CPU time since it started, ms. */
      cpuMs: number;
    };

const send = (m: WorkerMessage) => process.send?.(m);
const counts = { succeeded: 0, other: 0 };
const waiting: { reqId: number; target: number }[] = [];
let runtime: Runtime | null = null;
let stores: Stores | null = null;

function answer() {
  for (const w of [...waiting]) {
    if (counts.succeeded < w.target && counts.other === 0) continue;
    waiting.splice(waiting.indexOf(w), 1);
    const cpu = process.cpuUsage();
    send({ type: 'delivered', reqId: w.reqId, ...counts, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
}

async function start(c: Extract<WorkerCommand, { cmd: 'start' }>) {
  stores =
    c.store.kind === 'sqlite'
      ? openSqliteStores(c.store.file)
      : await openMongoStores(c.store.uri, c.store.dbName);
  const config = loadConfig({ LOG_LEVEL: 'info', DATA_DIR: '/nonexistent', ROLE: 'worker', ...c.env });
  const log = createLogger(config.LOG_LEVEL, () => {});
  runtime = createRuntime(config, stores, new SecretBox(Buffer.from(c.secretsKey)), log, {
    onInvocationChange: (invocation) => {
      if (invocation.status === 'SUCCEEDED') counts.succeeded++;
      else if (invocation.status === 'FAILED' || invocation.status === 'RETRYING') counts.other++;
      else return;
      if (waiting.length) answer();
    },
  });
  runtime.start();
  send({ type: 'started', reqId: c.reqId });
}

process.on('message', (m: WorkerCommand) => {
  if (m.cmd === 'start') {
    start(m).catch((err: unknown) => {
      process.stderr.write(`bench worker failed to start: ${String(err)}\n`);
      process.exit(1);
    });
  } else if (m.cmd === 'wait') {
    waiting.push({ reqId: m.reqId, target: m.target });
    answer();
  }
});

async function stop() {
  await runtime?.close(1_000);
  await stores?.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());

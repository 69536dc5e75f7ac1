/**
 * The peer baseline's worker (./peer.ts starts it): a BullMQ Worker that POSTs each job's body to the
 * bench's receiver with an undici Agent (./raw-client.ts, the raw loop's client) limited to as many
 * connections as the worker's concurrency. Counts the jobs BullMQ reports completed (its 'completed'
 * event, after the job has been moved to completed in Redis) and answers when asked for a number.
 * Imports nothing of the service.
 */
import { Worker } from 'bullmq';
import { RawClient, type ReceiverAddress } from './raw-client.js';

export interface PeerRedis {
  host: string;
  port: number;
}

export type PeerWorkerCommand =
  | {
      cmd: 'start';
      reqId: number;
      redis: PeerRedis;
      queue: string;
      receiver: ReceiverAddress;
      path: string;
      concurrency: number;
      connections: number;
    }
  /** Answers once `target` jobs have completed in all (or one has failed). */
  | { cmd: 'wait'; reqId: number; target: number };

export type PeerWorkerMessage =
  | { type: 'started'; reqId: number }
  | {
      type: 'completed';
      reqId: number;
      completed: number;
      failed: number;
      firstFailure?: string;
      /** µs on the monotonic clock (comparable across processes) when the last job completed. */
      lastAt: number;
      /** This process's CPU time since it started, ms. */
      cpuMs: number;
    };

export interface PeerJob {
  body: string;
}

const micros = () => Number(process.hrtime.bigint() / 1000n);
const send = (m: PeerWorkerMessage) => process.send?.(m);
const counts = { completed: 0, failed: 0, lastAt: 0, firstFailure: undefined as string | undefined };
const waiting: { reqId: number; target: number }[] = [];
let worker: Worker<PeerJob> | null = null;
let client: RawClient | null = null;

function answer() {
  for (const w of [...waiting]) {
    if (counts.completed < w.target && counts.failed === 0) continue;
    waiting.splice(waiting.indexOf(w), 1);
    const cpu = process.cpuUsage();
    send({ type: 'completed', reqId: w.reqId, ...counts, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
}

async function start(c: Extract<PeerWorkerCommand, { cmd: 'start' }>) {
  const http = new RawClient(c.receiver, c.path, c.connections);
  client = http;
  worker = new Worker<PeerJob>(c.queue, (job) => http.post(job.data.body), {
    connection: { host: c.redis.host, port: c.redis.port },
    concurrency: c.concurrency,
  });
  worker.on('completed', () => {
    counts.completed++;
    counts.lastAt = micros();
    if (waiting.length) answer();
  });
  worker.on('failed', (_job, err) => {
    counts.failed++;
    counts.firstFailure ??= err.message;
    answer();
  });
  worker.on('error', (err) => process.stderr.write(`bench peer worker: ${err.message}\n`));
  await worker.waitUntilReady();
  send({ type: 'started', reqId: c.reqId });
}

process.on('message', (m: PeerWorkerCommand) => {
  if (m.cmd === 'start') {
    start(m).catch((err: unknown) => {
      process.stderr.write(`bench peer worker failed to start: ${String(err)}\n`);
      process.exit(1);
    });
  } else if (m.cmd === 'wait') {
    waiting.push({ reqId: m.reqId, target: m.target });
    answer();
  }
});

async function stop() {
  await worker?.close(true).catch(() => {});
  await client?.close().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());

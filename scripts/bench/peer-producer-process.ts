/**
 * The peer baseline's producer (./peer.ts starts it): adds jobs carrying the delivery body to a BullMQ
 * queue with `queue.addBulk`, one call of `bulk` jobs after another, with BullMQ's default job
 * options (one attempt, completed jobs kept). Imports nothing of the service.
 */
import { Queue } from 'bullmq';
import type { PeerJob, PeerRedis } from './peer-worker-process.js';

export type PeerProducerCommand =
  | { cmd: 'connect'; reqId: number; redis: PeerRedis; queue: string }
  | { cmd: 'add'; reqId: number; name: string; count: number; body: string; bulk: number };

export type PeerProducerMessage =
  | { type: 'connected'; reqId: number }
  | {
      type: 'added';
      reqId: number;
      /** µs on the monotonic clock: before the first addBulk call, after the last one resolved. */
      startedAt: number;
      finishedAt: number;
      /** This process's CPU time since it started, ms. */
      cpuMs: number;
      error?: string;
    };

const micros = () => Number(process.hrtime.bigint() / 1000n);
const send = (m: PeerProducerMessage) => process.send?.(m);
let queue: Queue<PeerJob> | null = null;

async function add(c: Extract<PeerProducerCommand, { cmd: 'add' }>): Promise<void> {
  if (!queue) throw new Error('add before connect');
  const startedAt = micros();
  for (let from = 0; from < c.count; from += c.bulk) {
    const n = Math.min(c.bulk, c.count - from);
    await queue.addBulk(Array.from({ length: n }, () => ({ name: c.name, data: { body: c.body } })));
  }
  const cpu = process.cpuUsage();
  send({
    type: 'added',
    reqId: c.reqId,
    startedAt,
    finishedAt: micros(),
    cpuMs: (cpu.user + cpu.system) / 1000,
  });
}

process.on('message', (m: PeerProducerCommand) => {
  if (m.cmd === 'connect') {
    const q = new Queue<PeerJob>(m.queue, { connection: { host: m.redis.host, port: m.redis.port } });
    queue = q;
    q.on('error', (err) => process.stderr.write(`bench peer producer: ${err.message}\n`));
    q.waitUntilReady().then(
      () => send({ type: 'connected', reqId: m.reqId }),
      (err: unknown) => {
        process.stderr.write(`bench peer producer failed to connect: ${String(err)}\n`);
        process.exit(1);
      },
    );
  } else if (m.cmd === 'add') {
    add(m).catch((err: unknown) => {
      send({
        type: 'added',
        reqId: m.reqId,
        startedAt: 0,
        finishedAt: 0,
        cpuMs: 0,
        error: err instanceof Error ? err.message : String(err),
      });
    });
  }
});

async function stop() {
  await queue?.close().catch(() => {});
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());

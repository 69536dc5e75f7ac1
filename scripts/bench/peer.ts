import { createRequire } from 'node:module';
import { Child } from './child.js';
import type { PeerProducerCommand, PeerProducerMessage } from './peer-producer-process.js';
import type { PeerWorkerCommand, PeerWorkerMessage } from './peer-worker-process.js';
import type { ReceiverAddress } from './raw-client.js';
import { procCpuMs, startBenchRedis } from './redis.js';

/**
 * The peer baseline of the throughput scenario: the same deliveries made by the usual off-the-shelf
 * alternative, BullMQ on Redis, measured in the same run against the same receiver. A throwaway
 * redis-server (./redis.ts), a producer process (./peer-producer-process.ts) adding the jobs with
 * `queue.addBulk`, BULK at a time, and a worker process (./peer-worker-process.ts, a BullMQ Worker at
 * the dispatcher's concurrency) POSTing each job's body with an undici Agent of as many connections.
 * Deliveries per second from the first add to the last completed job, after a warm-up of the same
 * shape; CPU per delivery is the producer's, the worker's and redis-server's over the measured run.
 */

export const PEER_BULK = 500;
export const PEER_VERSION: string = (
  createRequire(import.meta.url)('bullmq/package.json') as { version: string }
).version;

export interface PeerResult {
  perSecond: number;
  count: number;
  seconds: number;
  /** From the first add until the last addBulk call resolved. */
  addSeconds: number;
  cpuMsPerDelivery: number;
  producerCpuMs: number;
  workerCpuMs: number;
  redisCpuMs: number;
}

type Added = Extract<PeerProducerMessage, { type: 'added' }>;
type Completed = Extract<PeerWorkerMessage, { type: 'completed' }>;

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`peer baseline: no ${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function measurePeer(
  receiver: ReceiverAddress,
  body: string,
  options: { count: number; warmup: number; concurrency: number },
): Promise<PeerResult> {
  // Forked first: both load their modules while redis-server starts.
  const worker = new Child<PeerWorkerCommand, PeerWorkerMessage>(
    new URL('./peer-worker-process.ts', import.meta.url),
    'peer worker',
  );
  const producer = new Child<PeerProducerCommand, PeerProducerMessage>(
    new URL('./peer-producer-process.ts', import.meta.url),
    'peer producer',
  );
  let redis: Awaited<ReturnType<typeof startBenchRedis>> | null = null;
  try {
    redis = await startBenchRedis();
    const where = { host: redis.host, port: redis.port };
    const queue = 'deliveries';
    const { host, port, caPem } = receiver;
    await within(
      Promise.all([
        worker.request({
          cmd: 'start',
          reqId: 0,
          redis: where,
          queue,
          receiver: { host, port, caPem },
          path: '/peer',
          concurrency: options.concurrency,
          connections: options.concurrency,
        }),
        producer.request({ cmd: 'connect', reqId: 0, redis: where, queue }),
      ]),
      60_000,
      'peer worker and producer start',
    );

    const add = async (count: number) => {
      const added = await producer.request<Added>({
        cmd: 'add',
        reqId: 0,
        name: 'deliver',
        count,
        body,
        bulk: PEER_BULK,
      });
      if (added.error) throw new Error(`peer producer: ${added.error}`);
      return added;
    };
    const completed = async (target: number) => {
      const done = await worker.request<Completed>({ cmd: 'wait', reqId: 0, target });
      if (done.failed) throw new Error(`peer worker: ${done.failed} jobs failed: ${done.firstFailure}`);
      return done;
    };

    const [warmAdded, warmDone] = await within(
      Promise.all([add(options.warmup), completed(options.warmup)]),
      300_000,
      'peer warm-up',
    );
    const redisCpu0 = procCpuMs(redis.pid);
    const [added, done] = await within(
      Promise.all([add(options.count), completed(options.warmup + options.count)]),
      300_000,
      `${options.count} peer deliveries`,
    );
    const redisCpuMs = procCpuMs(redis.pid) - redisCpu0;
    const seconds = (done.lastAt - added.startedAt) / 1e6;
    const producerCpuMs = added.cpuMs - warmAdded.cpuMs;
    const workerCpuMs = done.cpuMs - warmDone.cpuMs;
    return {
      perSecond: options.count / seconds,
      count: options.count,
      seconds,
      addSeconds: (added.finishedAt - added.startedAt) / 1e6,
      cpuMsPerDelivery: (producerCpuMs + workerCpuMs + redisCpuMs) / options.count,
      producerCpuMs,
      workerCpuMs,
      redisCpuMs,
    };
  } finally {
    await Promise.all([worker.stop(), producer.stop()]);
    await redis?.stop();
  }
}

import { randomBytes } from 'node:crypto';
import {
  measured,
  RawClient,
  rawLoop,
  renderedBody,
  type ScenarioContext,
  sized,
  sizeNote,
  slowStore,
} from './context.js';
import { measurePeer, PEER_BULK, PEER_VERSION } from './peer.js';
import { Publisher } from './publisher.js';
import { result, type ScenarioResult } from './report.js';
import { type BenchService, createWebhook, openBenchStore, startService } from './service.js';
import { startSplitService } from './split.js';
import { nowMs, waitUntil } from './stats.js';

/**
 * Throughput: N events, each matching one webhook, published through the GraphQL endpoint (keep-alive
 * client, PUBLISHERS requests at once, in a child process) while a dispatcher delivers them to the
 * receiver; deliveries per second from the first publish to the last SUCCEEDED record. Measured two
 * ways on the same sizes: the service as one process (role all) with one event per request, and the
 * reported figure, the shape for load: api and worker processes on one store, the producer sending
 * BATCH events per request. Baseline: a raw undici keep-alive loop POSTing the same body to the same
 * receiver, at the dispatcher's concurrency. Peer baseline (./peer.ts): the same number of POSTs of the
 * same body through BullMQ on a throwaway redis-server, a producer process adding them with addBulk and a
 * worker process delivering them at the same concurrency. Full runs on SQLite also measure the two halves
 * apart (publishing with no dispatcher, then delivering what was published).
 */

/** In flight at once: the dispatcher's limits (global and per webhook) and the raw loop's. */
export const DELIVERY_CONCURRENCY = 64;
const PUBLISHERS = 32;
/** Events per publishing request in the api + worker run (one publishEvents call). */
const BATCH = 20;
/**
 * How often the split service's worker looks for work the api process stored: on SQLite the api
 * process signals the worker (Stores.workSignal) and the poll is the default fallback; MongoDB has
 * no signal yet, so its worker polls as the earlier runs did.
 */
export function splitPollInterval(store: ScenarioContext['store']): string {
  return store === 'sqlite' ? '1s' : '10ms';
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

function dispatchEnv(ctx: ScenarioContext): Record<string, string> {
  return {
    ...ctx.receiver.dispatchEnv,
    DISPATCH_CONCURRENCY: String(DELIVERY_CONCURRENCY),
    DISPATCH_PER_WEBHOOK_CONCURRENCY: String(DELIVERY_CONCURRENCY),
  };
}

/** Counts SUCCEEDED records; throws on the first delivery that did not succeed at once. */
function countSucceeded(service: BenchService) {
  const counts = { succeeded: 0, other: 0 };
  service.onChange = (invocation) => {
    if (invocation.status === 'SUCCEEDED') counts.succeeded++;
    else if (invocation.status === 'FAILED' || invocation.status === 'RETRYING') counts.other++;
  };
  return async (target: number, what: string) => {
    await waitUntil(() => counts.succeeded >= target || counts.other > 0, 300_000, what, 2);
    if (counts.other > 0) throw new Error(`${counts.other} deliveries did not succeed at once`);
  };
}

export async function throughput(ctx: ScenarioContext): Promise<ScenarioResult> {
  // FerretDB's claims scan the whole collection, so its rate falls as the run grows (50: ~25/s, 500: ~3/s).
  const events = sized(ctx, { full: 20_000, quick: 1_000, ferretdb: 200, ferretdbQuick: 20 });
  const baselineCount = ctx.quick ? 1_000 : 20_000;
  const warmup = sized(ctx, { full: 500, quick: 200, ferretdb: 10, ferretdbQuick: 3 });
  const started = nowMs();

  const body = await renderedBody();
  const raw = new RawClient(ctx.receiver);
  await rawLoop(raw, body, ctx.quick ? 500 : 1_000, DELIVERY_CONCURRENCY);
  const baseline = await rawLoop(raw, body, baselineCount, DELIVERY_CONCURRENCY);
  await raw.close();
  const peer = await measurePeer(ctx.receiver, body, {
    count: baselineCount,
    warmup: ctx.quick ? 500 : 1_000,
    concurrency: DELIVERY_CONCURRENCY,
  });
  const peerCpu =
    `${peer.cpuMsPerDelivery.toFixed(2)} ms CPU per delivery (producer ${(peer.producerCpuMs / peer.count).toFixed(2)}, ` +
    `worker ${(peer.workerCpuMs / peer.count).toFixed(2)}, redis-server ${(peer.redisCpuMs / peer.count).toFixed(2)})`;
  ctx.log(
    `throughput ${ctx.store}: peer (BullMQ ${PEER_VERSION}) ${peer.perSecond.toFixed(0)}/s, ${peerCpu}; ` +
      `all added after ${peer.addSeconds.toFixed(2)} s of ${peer.seconds.toFixed(2)} s`,
  );

  // Quick runs measure the reported shape only.
  const e2e = ctx.quick ? null : await oneProcess(ctx, events, warmup);
  const two = await apiAndWorker(ctx, events, warmup);
  const value = events / two.seconds;
  const onePerSecond = e2e ? events / e2e.seconds : 0;
  ctx.log(
    `throughput ${ctx.store}: api + worker processes, ${BATCH} events per request: ${value.toFixed(0)}/s, ` +
      `CPU ${two.cpuMsPerEvent.toFixed(3)} ms/event (both processes); raw ${baseline.toFixed(0)}/s` +
      (e2e
        ? `; one process, one event per request: ${onePerSecond.toFixed(0)}/s, CPU ${e2e.cpuMsPerEvent.toFixed(3)} ms/event`
        : ''),
  );
  const split = !ctx.quick && !slowStore(ctx) ? await halves(ctx, events) : null;
  const splitText = split
    ? `; apart: publishing alone ${Math.round(split.publishPerSecond)}/s (${split.publishCpuMs.toFixed(2)} ms CPU each), ` +
      `delivering alone ${Math.round(split.deliverPerSecond)}/s (${split.deliverCpuMs.toFixed(2)} ms CPU each)`
    : '';
  const oneText = e2e
    ? `; one process (role all), one event per request: ${Math.round(onePerSecond)}/s, ${e2e.cpuMsPerEvent.toFixed(2)} ms CPU/event`
    : '';
  return result({
    name: 'throughput',
    store: ctx.store,
    value,
    unit: 'deliveries/s',
    baseline,
    peer: peer.perSecond,
    target: { kind: 'both', ratio: { op: '>=', bound: 0.6 }, value: { op: '>=', bound: 3_000 } },
    targetApplies: ctx.store === 'sqlite',
    detail:
      `${events.toLocaleString('en-US')} events × 1 webhook${sizeNote(ctx)}, api and worker processes, ` +
      `${BATCH} events per GraphQL request, ${PUBLISHERS} requests at once, dispatch ×${DELIVERY_CONCURRENCY}; ` +
      `CPU ${two.cpuMsPerEvent.toFixed(2)} ms/event${oneText}${splitText}; baseline: raw undici ×${DELIVERY_CONCURRENCY}, ${baselineCount.toLocaleString('en-US')} POSTs; ` +
      `peer: BullMQ ${PEER_VERSION} on redis-server (AOF, fsync every second), addBulk ×${PEER_BULK} from a producer process (default job options: completed jobs kept), ` +
      `a Worker process ×${DELIVERY_CONCURRENCY} (undici, ${DELIVERY_CONCURRENCY} connections), ${baselineCount.toLocaleString('en-US')} jobs, ${peerCpu}`,
    extra: {
      events,
      concurrency: DELIVERY_CONCURRENCY,
      batch: BATCH,
      cpuMsPerEvent: two.cpuMsPerEvent,
      peerCpuMsPerDelivery: peer.cpuMsPerDelivery,
      peerProducerCpuMs: peer.producerCpuMs,
      peerWorkerCpuMs: peer.workerCpuMs,
      peerRedisCpuMs: peer.redisCpuMs,
      peerJobs: peer.count,
      ...(e2e ? { onePerSecond, oneCpuMsPerEvent: e2e.cpuMsPerEvent } : {}),
      ...(split ?? {}),
    },
    seconds: (nowMs() - started) / 1000,
  });
}

/**
 * The two halves apart, on a fresh store: N events published with no dispatcher running (role api),
 * then a dispatcher started on that store delivering them (role all, same secrets key).
 */
async function halves(ctx: ScenarioContext, events: number) {
  const store = await openBenchStore(ctx.store, ctx.mongo);
  const secretsKey = randomBytes(32);
  try {
    const api = await startService(store, { dispatch: false, env: dispatchEnv(ctx), secretsKey });
    const publisher = await Publisher.connect(api.origin, api.token, PUBLISHERS);
    let publish: { perSecond: number; cpuMs: number };
    try {
      await createWebhook(api.client, { name: 'throughput halves', url: ctx.receiver.url('/halves') });
      await publisher.publish({ prefix: 'warm', count: 500, concurrency: PUBLISHERS });
      const cpu0 = process.cpuUsage();
      const t0 = nowMs();
      await measured(ctx, 'throughput-publishing', () =>
        publisher.publish({ prefix: 'half', count: events, concurrency: PUBLISHERS }),
      );
      publish = { perSecond: events / ((nowMs() - t0) / 1000), cpuMs: cpuMs(cpu0) / events };
    } finally {
      await publisher.stop();
      await api.close();
    }
    const cpu0 = process.cpuUsage();
    const t0 = nowMs();
    const worker = await startService(store, { dispatch: true, env: dispatchEnv(ctx), secretsKey });
    try {
      await measured(ctx, 'throughput-delivering', () =>
        countSucceeded(worker)(events + 500, `${events + 500} deliveries of published events`),
      );
      const seconds = (nowMs() - t0) / 1000;
      return {
        publishPerSecond: publish.perSecond,
        publishCpuMs: publish.cpuMs,
        deliverPerSecond: (events + 500) / seconds,
        deliverCpuMs: cpuMs(cpu0) / (events + 500),
      };
    } finally {
      worker.onChange = null;
      await worker.close();
    }
  } finally {
    await store.close();
  }
}

/** Throughput of the split service (./split.ts), the producer batching BATCH events per request. */
async function apiAndWorker(ctx: ScenarioContext, events: number, warmup: number) {
  const store = await openBenchStore(ctx.store, ctx.mongo);
  try {
    Publisher.prefork();
    const service = await startSplitService(ctx, store, dispatchEnv(ctx), splitPollInterval(ctx.store));
    const publisher = await Publisher.connect(service.api.origin, service.api.token, PUBLISHERS);
    try {
      await createWebhook(service.api.client, { name: 'throughput split', url: ctx.receiver.url('/split') });
      let total = 0;
      const deliver = async (count: number, prefix: string) => {
        total += count;
        const before = await service.delivered(0);
        const cpu0 = process.cpuUsage();
        const t0 = nowMs();
        await publisher.publish({ prefix, count, concurrency: PUBLISHERS, batch: BATCH });
        const after = await service.delivered(total);
        if (after.other) throw new Error(`${after.other} deliveries did not succeed at once`);
        return {
          seconds: (nowMs() - t0) / 1000,
          cpuMsPerEvent: (cpuMs(cpu0) + after.cpuMs - before.cpuMs) / count,
        };
      };
      await deliver(warmup, 'warm');
      return await measured(ctx, 'throughput-api-worker', () => deliver(events, 'split'));
    } finally {
      await publisher.stop();
      await service.close();
    }
  } finally {
    await store.close();
  }
}

/** End to end through the service as one process (role all), one event per GraphQL request. */
async function oneProcess(ctx: ScenarioContext, events: number, warmup: number) {
  const store = await openBenchStore(ctx.store, ctx.mongo);
  const service = await startService(store, { dispatch: true, env: dispatchEnv(ctx) });
  const publisher = await Publisher.connect(service.origin, service.token, PUBLISHERS);
  try {
    await createWebhook(service.client, { name: 'throughput', url: ctx.receiver.url('/throughput') });
    const delivered = countSucceeded(service);
    let total = 0;
    const deliver = async (count: number, prefix: string) => {
      total += count;
      const cpu0 = process.cpuUsage();
      const t0 = nowMs();
      const published = await publisher.publish({ prefix, count, concurrency: PUBLISHERS });
      await delivered(total, `${count} deliveries`);
      return {
        seconds: (nowMs() - t0) / 1000,
        publishSeconds: (published.finishedAt / 1000 - t0) / 1000,
        // This process is the service alone: the producer and the receiver are child processes.
        cpuMsPerEvent: cpuMs(cpu0) / count,
      };
    };
    await deliver(warmup, 'warm');
    return await measured(ctx, 'throughput', () => deliver(events, 'tp'));
  } finally {
    await publisher.stop();
    service.onChange = null;
    await service.close();
    await store.close();
  }
}

import {
  measured,
  RawClient,
  rawLoop,
  renderedBody,
  type ScenarioContext,
  sizeNote,
  slowStore,
} from './context.js';
import { Publisher } from './publisher.js';
import { result, type ScenarioResult } from './report.js';
import { type BenchService, createWebhook, openBenchStore, startService } from './service.js';
import { startSplitService } from './split.js';
import { nowMs, percentile, sleep, waitUntil } from './stats.js';
import { DELIVERY_CONCURRENCY, splitPollInterval } from './throughput.js';

/**
 * Latency: events published at a fixed rate (open loop: each request leaves on schedule whatever the
 * previous ones are doing), each matching one webhook; for every event, the time from the moment its
 * publishEvent request left the producer to the moment the receiver had parsed the delivery's request
 * headers (its first byte, near enough). Producer, service and receiver are three processes on one
 * machine; the monotonic clock is shared, so the times compare directly. Reported: the service as
 * api and worker processes (./split.ts); full runs also measure it as one process.
 * Baseline: the same, for a raw undici loop POSTing at the same rate straight to the receiver.
 */
export async function latency(ctx: ScenarioContext): Promise<ScenarioResult> {
  const slow = slowStore(ctx);
  // FerretDB delivers a few events a second: a rate it can keep up with, or this measures its queue.
  const rate = slow ? 5 : 500;
  const seconds = ctx.quick ? 1 : 10;
  const count = rate * seconds;
  const started = nowMs();

  // Baseline: send → first byte for raw POSTs at the same rate.
  const body = await renderedBody('raw_0');
  const raw = new RawClient(ctx.receiver);
  // Warm, like the service's pool after its warm-up: connections open, code optimised.
  await rawLoop(raw, body, ctx.quick ? 500 : 1_000, DELIVERY_CONCURRENCY);
  const baselineCount = ctx.quick ? 250 : 2_500;
  await ctx.receiver.stats(true);
  ctx.receiver.configure({ record: true });
  const sent = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  const t0 = nowMs();
  for (let i = 0; i < baselineCount; i++) {
    const wait = t0 + i * 2 - nowMs();
    if (wait > 1) await sleep(wait);
    const id = `raw_${i}`;
    sent.set(id, nowMs());
    const p = raw.post(body.replace('raw_0', id)).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  await raw.close();
  const rawTimings = (await ctx.receiver.stats(true)).timings ?? [];
  const rawLatencies = rawTimings
    .filter(([id]) => sent.has(id))
    .map(([id, at]) => at / 1000 - (sent.get(id) as number));
  ctx.receiver.configure({ record: false });

  // The reported shape, as for throughput: api and worker processes, the worker woken by the api's
  // signal or polling (splitPollInterval) (its tail is steadier than one process's, which runs near its CPU limit at
  // 500 events/s). Full runs also measure one process (role all), its dispatcher woken in-process.
  const split = await serviceLatency(ctx, 'split', rate, count);
  const one = ctx.quick ? null : await serviceLatency(ctx, 'one', rate, count);
  const { p50, p99 } = split;
  const baseline = percentile(rawLatencies, 99);
  const oneText = one
    ? `one process (role all): p50 ${one.p50.toFixed(1)} ms, p99 ${one.p99.toFixed(1)} ms; `
    : '';
  ctx.log(
    `latency ${ctx.store}: api and worker processes p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${split.max.toFixed(1)} ms; ` +
      `${oneText}raw p50 ${percentile(rawLatencies, 50).toFixed(2)} p99 ${baseline.toFixed(2)} ms`,
  );
  return result({
    name: 'latency',
    store: ctx.store,
    value: p99,
    unit: 'ms',
    baseline,
    target: { kind: 'value', op: '<', bound: 25 },
    targetApplies: ctx.store === 'sqlite',
    detail:
      `p99 publish → first byte at the receiver, ${count.toLocaleString('en-US')} events at ${rate}/s` +
      `${sizeNote(ctx)}, api and worker processes (the worker ${ctx.store === 'sqlite' ? 'woken by the api process, polling every' : 'polls every'} ${splitPollInterval(ctx.store)}); ` +
      `p50 ${p50.toFixed(1)} ms; ${oneText}` +
      `baseline: raw undici POSTs at 500/s, send → first byte (p50 ${percentile(rawLatencies, 50).toFixed(2)} ms)`,
    extra: {
      events: count,
      rate,
      p50,
      p99,
      max: split.max,
      ...(one ? { oneP50: one.p50, oneP99: one.p99 } : {}),
      rawP50: percentile(rawLatencies, 50),
      rawP99: baseline,
    },
    seconds: (nowMs() - started) / 1000,
  });
}

/**
 * Publish → first byte for `count` events at `rate`, through the service as one process (role all,
 * the dispatcher woken in-process) or as api and worker processes (./split.ts).
 */
async function serviceLatency(ctx: ScenarioContext, shape: 'one' | 'split', rate: number, count: number) {
  const slow = slowStore(ctx);
  const env = {
    ...ctx.receiver.dispatchEnv,
    DISPATCH_CONCURRENCY: String(DELIVERY_CONCURRENCY),
    DISPATCH_PER_WEBHOOK_CONCURRENCY: String(DELIVERY_CONCURRENCY),
  };
  const store = await openBenchStore(ctx.store, ctx.mongo);
  let succeeded = 0;
  let service: { api: BenchService; close(): Promise<void> };
  let delivered: (target: number) => Promise<void>;
  if (shape === 'one') {
    const api = await startService(store, { dispatch: true, env });
    api.onChange = (invocation) => {
      if (invocation.status === 'SUCCEEDED') succeeded++;
    };
    service = { api, close: () => api.close() };
    delivered = (target) => waitUntil(() => succeeded >= target, 120_000, `${target} deliveries`, 2);
  } else {
    Publisher.prefork();
    const split = await startSplitService(ctx, store, env, splitPollInterval(ctx.store));
    service = split;
    delivered = async (target) => {
      await split.delivered(target);
    };
  }
  const publisher = await Publisher.connect(service.api.origin, service.api.token, 64);
  try {
    await createWebhook(service.api.client, { name: 'latency', url: ctx.receiver.url('/latency') });
    // Warm-up at the same rate, not recorded.
    const warm = Math.min(count, ctx.quick ? rate / 2 : slow ? rate : rate * 2);
    await publisher.publish({ prefix: `warm_${shape}`, count: warm, concurrency: 64, rate });
    await delivered(warm);
    await ctx.receiver.stats(true);
    ctx.receiver.configure({ record: true });
    const published = await measured(ctx, shape === 'one' ? 'latency-one-process' : 'latency', async () => {
      const out = await publisher.publish({ prefix: `lat_${shape}`, count, concurrency: 64, rate });
      await delivered(warm + count);
      return out;
    });
    ctx.receiver.configure({ record: false });
    const sentAt = new Map(published.sentAt ?? []);
    const timings = (await ctx.receiver.stats(true)).timings ?? [];
    // First delivery of each event (a retry would arrive again; none is expected).
    const first = new Map<string, number>();
    for (const [id, at] of timings) if (sentAt.has(id) && !first.has(id)) first.set(id, at);
    if (first.size < count) throw new Error(`only ${first.size} of ${count} events reached the receiver`);
    const latencies = [...first].map(([id, at]) => (at - (sentAt.get(id) as number)) / 1000);
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) };
  } finally {
    ctx.receiver.configure({ record: false });
    await publisher.stop();
    await service.close();
    await store.close();
  }
}

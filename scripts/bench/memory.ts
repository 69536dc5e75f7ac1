import { type ScenarioContext, sized, sizeNote } from './context.js';
import { Publisher } from './publisher.js';
import { result, type ScenarioResult } from './report.js';
import { createWebhook, openBenchStore, startService } from './service.js';
import { mib, nowMs, sleep, waitUntil } from './stats.js';

/**
 * Memory: the RSS of this process (the service) idle, then with N invocations in flight to a receiver
 * that holds every response (10 webhooks × N/10 events; DISPATCH_CONCURRENCY N, 1,000 per webhook),
 * then after they have all finished. Two rounds: RSS after the second round no higher than after
 * the first means finished deliveries leave nothing behind. Garbage is collected before each reading
 * (node --expose-gc, as `npm run bench` runs).
 */

async function rss(): Promise<number> {
  for (let i = 0; i < 2; i++) {
    globalThis.gc?.();
    await sleep(100);
  }
  return mib(process.memoryUsage().rss);
}

export async function memory(ctx: ScenarioContext): Promise<ScenarioResult> {
  // FerretDB's SQLite backend answers SQLITE_BUSY to some writes with a few hundred deliveries at once.
  const inFlight = sized(ctx, { full: 10_000, quick: 400, ferretdb: 100, ferretdbQuick: 10 });
  // Deliveries in flight are spread over this many webhooks (each with a per-webhook limit to match).
  const WEBHOOKS = sized(ctx, { full: 10, quick: 10, ferretdb: 10, ferretdbQuick: 2 });
  const events = inFlight / WEBHOOKS;
  const started = nowMs();

  const store = await openBenchStore(ctx.store, ctx.mongo);
  const service = await startService(store, {
    dispatch: true,
    env: {
      ...ctx.receiver.dispatchEnv,
      DISPATCH_CONCURRENCY: String(Math.max(inFlight, 64)),
      DISPATCH_PER_WEBHOOK_CONCURRENCY: String(inFlight / WEBHOOKS),
    },
  });
  const publisher = await Publisher.connect(service.origin, service.token, 16);
  try {
    for (let i = 0; i < WEBHOOKS; i++) {
      await createWebhook(service.client, {
        name: `memory ${i}`,
        url: ctx.receiver.url(`/memory/${i}`),
        timeoutSeconds: 120,
      });
    }
    let succeeded = 0;
    service.onChange = (invocation) => {
      if (invocation.status === 'SUCCEEDED') succeeded++;
    };
    // Warm: a few deliveries all the way, so code is loaded and the pools exist.
    const warm = sized(ctx, { full: 5, quick: 2, ferretdb: 2, ferretdbQuick: 1 });
    await publisher.publish({ prefix: 'warm', count: warm, concurrency: warm, matches: WEBHOOKS });
    await waitUntil(() => succeeded >= warm * WEBHOOKS, 60_000, 'warm-up deliveries');
    const idle = await rss();

    const round = async (n: number) => {
      const before = succeeded;
      const receivedBefore = (await ctx.receiver.stats()).received;
      ctx.receiver.configure({ hold: true });
      await publisher.publish({ prefix: `mem${n}`, count: events, concurrency: 16, matches: WEBHOOKS });
      let lastLog = Date.now();
      await waitUntil(
        async () => {
          const held = (await ctx.receiver.stats()).received - receivedBefore;
          if (Date.now() - lastLog > 10_000) {
            lastLog = Date.now();
            ctx.log(`memory ${ctx.store}: ${held} of ${inFlight} requests at the receiver`);
          }
          return held >= inFlight;
        },
        300_000,
        `${inFlight} requests held by the receiver`,
        100,
      );
      const peak = await rss();
      const heapMiB = mib(process.memoryUsage().heapUsed);
      ctx.receiver.configure({ hold: false });
      await ctx.receiver.release();
      await waitUntil(() => succeeded - before >= inFlight, 300_000, `${inFlight} deliveries to finish`, 50);
      await sleep(500);
      const after = await rss();
      ctx.log(
        `memory ${ctx.store} round ${n}: idle ${idle.toFixed(0)} MiB, ${inFlight} in flight ${peak.toFixed(0)} MiB (heap ${heapMiB.toFixed(0)}), after ${after.toFixed(0)} MiB`,
      );
      return { peak, after, heapMiB };
    };
    const first = await round(1);
    const second = await round(2);
    const growth = second.after - first.after;
    return result({
      name: 'memory',
      store: ctx.store,
      value: Math.max(first.peak, second.peak),
      unit: 'MiB',
      baseline: idle,
      target: { kind: 'report' },
      targetApplies: ctx.store === 'sqlite',
      detail:
        `RSS with ${inFlight.toLocaleString('en-US')} invocations in flight to a receiver holding every response` +
        sizeNote(ctx) +
        ` (heap ${first.heapMiB.toFixed(0)} MiB); after round 1 ${first.after.toFixed(0)} MiB, ` +
        `after round 2 ${second.after.toFixed(0)} MiB (${growth >= 0 ? '+' : ''}${growth.toFixed(0)} MiB); baseline: idle`,
      extra: {
        inFlight,
        idle,
        peak1: first.peak,
        peak2: second.peak,
        after1: first.after,
        after2: second.after,
        heapInFlight: first.heapMiB,
        growthAfterRounds: growth,
      },
      seconds: (nowMs() - started) / 1000,
    });
  } finally {
    ctx.receiver.configure({ hold: false });
    await ctx.receiver.release();
    await publisher.stop();
    service.onChange = null;
    await service.close();
    await store.close();
  }
}

import { type EventDeps, publishEventBatch } from '../../src/domain/event-use-cases.js';
import { benchEvent, measured, type ScenarioContext, sized, sizeNote } from './context.js';
import { result, type ScenarioResult } from './report.js';
import { createWebhook, openBenchStore, startService } from './service.js';
import { mean, nowMs } from './stats.js';

/**
 * What learning filter values costs publishing: publishEvents throughput (batches of 20 events, 8
 * batches in flight, each event matching one webhook, stored with its invocation; no dispatcher)
 * with the filter catalog learning from every event, against the same publishes without it, in
 * alternating rounds in one process. Every bench event has a new requester email, so the catalog
 * meets a new value per event (and prunes to its bound) besides the values every event repeats.
 * Measured through the domain call, so HTTP and GraphQL noise does not hide the difference.
 */

const BATCH = 20;
const IN_FLIGHT = 8;

export async function catalog(ctx: ScenarioContext): Promise<ScenarioResult> {
  const events = sized(ctx, { full: 8_000, quick: 1_000, ferretdb: 1_000, ferretdbQuick: 200 });
  const rounds = ctx.quick ? 2 : 6;
  const started = nowMs();
  const store = await openBenchStore(ctx.store, ctx.mongo);
  const service = await startService(store, { dispatch: false, env: {} });
  try {
    await createWebhook(service.client, { name: 'catalog', url: ctx.receiver.url('/catalog') });
    const { services } = service.runtime;
    const caller = { accountId: service.accountId };
    const base: EventDeps = {
      webhooks: services.stores.webhooks,
      events: services.stores.events,
      invocations: services.stores.invocations,
      notifyWork: services.notifyWork,
      onInvocationChange: services.onInvocationChange,
    };
    const learning: EventDeps = { ...base, filterCatalog: services.filterCatalog };
    let sent = 0;
    const run = async (deps: EventDeps, count: number) => {
      let next = 0;
      const t0 = nowMs();
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (next < count) {
            const n = Math.min(BATCH, count - next);
            next += n;
            const items = Array.from({ length: n }, () => ({ payload: benchEvent(`cat_${sent++}`) }));
            const res = await publishEventBatch(deps, caller, items);
            if (!res.ok || res.value.some((o) => !o.ok || o.value.matchedWebhookCount !== 1)) {
              throw new Error('publishEvents did not match exactly one webhook per event');
            }
          }
        }),
      );
      // The catalog's writes belong to the publishes that caused them.
      if (deps.filterCatalog) await deps.filterCatalog.flush();
      return count / ((nowMs() - t0) / 1000);
    };
    await run(base, Math.round(events / 4));
    await run(learning, Math.round(events / 4));
    const without: number[] = [];
    const withCatalog: number[] = [];
    await measured(ctx, 'catalog', async () => {
      for (let r = 0; r < rounds; r++) {
        // Alternate which goes first, so drift in the machine does not favour one side.
        if (r % 2 === 0) {
          without.push(await run(base, events));
          withCatalog.push(await run(learning, events));
        } else {
          withCatalog.push(await run(learning, events));
          without.push(await run(base, events));
        }
      }
    });
    const on = mean(withCatalog);
    const off = mean(without);
    ctx.log(
      `catalog ${ctx.store}: ${on.toFixed(0)} events/s learning, ${off.toFixed(0)} without (${(on / off).toFixed(3)}x)`,
    );
    return result({
      name: 'catalog',
      store: ctx.store,
      value: on,
      unit: 'events/s',
      baseline: off,
      target: { kind: 'ratio', op: '>=', bound: 0.95 },
      targetApplies: true,
      detail:
        `publishEvents (domain call, batches of ${BATCH}, ${IN_FLIGHT} in flight) with the filter catalog learning, ` +
        `${rounds} rounds of ${events.toLocaleString('en-US')} events${sizeNote(ctx)}; ` +
        `baseline: the same without the catalog, alternating rounds`,
      extra: { withCatalog: on, withoutCatalog: off },
      seconds: (nowMs() - started) / 1000,
    });
  } finally {
    await service.close();
    await store.close();
  }
}

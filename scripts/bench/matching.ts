import type { Trigger } from '../../src/domain/event.js';
import { type EventDeps, publishEvent } from '../../src/domain/event-use-cases.js';
import { newId } from '../../src/domain/ids.js';
import type { Webhook } from '../../src/domain/webhook.js';
import { draftWebhook } from '../../src/domain/webhook-use-cases.js';
import { benchEvent, measured, type ScenarioContext, sized, sizeNote } from './context.js';
import { result, type ScenarioResult } from './report.js';
import { BODY_TEMPLATE, openBenchStore, startService } from './service.js';
import { mean, nowMs, percentile } from './stats.js';

/**
 * Matching cost: publishEvent's latency (mean over sequential publishes) as the account defines more
 * webhooks, of which always exactly 5 match the event. Of the others, half listen to other triggers
 * and half to the same trigger with a filter the event fails (integrationIds), so both the trigger
 * index and the filters are exercised. Measured through the domain function publishEvent (store
 * writes included, HTTP and GraphQL excluded: their noise would swamp the differences measured here).
 * Baseline: the 10-webhook case.
 */

const MATCHING = 5;
const OTHER_TRIGGERS: Trigger[] = ['RequestApproved', 'RequestRejected', 'RequestGranted', 'RequestExpired'];

export async function matching(ctx: ScenarioContext): Promise<ScenarioResult> {
  const sizes = sized(ctx, {
    full: [10, 1_000, 10_000],
    quick: [10, 1_000, 10_000],
    ferretdb: [10, 100, 1_000],
    ferretdbQuick: [10, 50, 250],
  });
  const publishes = sized(ctx, { full: 2_000, quick: 150, ferretdb: 40, ferretdbQuick: 8 });
  const started = nowMs();

  const store = await openBenchStore(ctx.store, ctx.mongo);
  const service = await startService(store, { dispatch: false, env: {} });
  try {
    const { services } = service.runtime;
    const caller = { accountId: service.accountId };
    const deps: EventDeps = {
      webhooks: services.stores.webhooks,
      events: services.stores.events,
      invocations: services.stores.invocations,
      notifyWork: services.notifyWork,
      onInvocationChange: services.onInvocationChange,
    };
    const template = await draftWebhook(
      { webhooks: services.stores.webhooks, secrets: services.secrets, sandbox: services.sandbox },
      caller,
      {
        name: 'template',
        url: 'https://hooks.example.com/a',
        triggers: ['RequestCreated'],
        bodyTemplate: BODY_TEMPLATE,
      },
    );
    if (!template.ok) throw new Error(`draftWebhook: ${template.error.message}`);
    const base = template.value.webhook;
    let defined = 0;
    const define = async (count: number) => {
      const batch: Webhook[] = [];
      for (let i = 0; i < count; i++, defined++) {
        const n = defined;
        const matches = n < MATCHING;
        const otherTrigger = !matches && n % 2 === 0;
        batch.push({
          ...base,
          id: newId('Webhook'),
          name: `matching ${n}`,
          triggers: otherTrigger
            ? [OTHER_TRIGGERS[n % OTHER_TRIGGERS.length] as Trigger]
            : ['RequestCreated'],
          filters: {
            ...base.filters,
            integrationIds: matches || otherTrigger ? [] : [`int_elsewhere_${n}`],
          },
        });
      }
      for (let i = 0; i < batch.length; i += 200) {
        const results = await Promise.all(
          batch.slice(i, i + 200).map((w) => services.stores.webhooks.insert(w)),
        );
        if (results.some((r) => r !== 'ok')) throw new Error('inserting bench webhooks failed');
      }
    };
    const curve: { size: number; mean: number; p50: number; p99: number }[] = [];
    for (const size of sizes) {
      await define(size - defined);
      const run = async (count: number, prefix: string) => {
        const times: number[] = [];
        for (let i = 0; i < count; i++) {
          const event = benchEvent(`${prefix}_${i}`);
          const t0 = nowMs();
          const res = await publishEvent(deps, caller, event);
          times.push(nowMs() - t0);
          if (!res.ok || res.value.matchedWebhookCount !== MATCHING) {
            throw new Error(`publishEvent matched ${res.ok ? res.value.matchedWebhookCount : 'error'}`);
          }
        }
        return times;
      };
      await run(Math.max(5, Math.round(publishes / 10)), `warm${size}`);
      const times = await measured(ctx, `matching-${size}`, () => run(publishes, `m${size}`));
      curve.push({ size, mean: mean(times), p50: percentile(times, 50), p99: percentile(times, 99) });
      ctx.log(
        `matching ${ctx.store}: ${size} webhooks: mean ${mean(times).toFixed(3)} ms, p50 ${percentile(times, 50).toFixed(3)}, p99 ${percentile(times, 99).toFixed(3)}`,
      );
    }
    const first = curve[0] as (typeof curve)[number];
    const last = curve[curve.length - 1] as (typeof curve)[number];
    const describe = curve
      .map((c) => `${c.size.toLocaleString('en-US')}: ${c.mean.toFixed(2)} ms`)
      .join(', ');
    return result({
      name: 'matching',
      store: ctx.store,
      value: last.mean,
      unit: 'ms',
      baseline: first.mean,
      target: { kind: 'ratio', op: '<=', bound: 1.2 },
      targetApplies: ctx.store === 'sqlite',
      detail:
        `mean publishEvent (domain call) at ${last.size.toLocaleString('en-US')} webhooks, 5 matching` +
        `${sizeNote(ctx)}; ${describe}; ${publishes} publishes each; ` +
        `baseline: ${first.size} webhooks`,
      extra: Object.fromEntries(
        curve.flatMap((c) => [
          [`mean${c.size}`, c.mean],
          [`p99_${c.size}`, c.p99],
        ]),
      ),
      seconds: (nowMs() - started) / 1000,
    });
  } finally {
    await service.close();
    await store.close();
  }
}

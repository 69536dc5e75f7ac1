import { publishEvent } from '../../src/domain/event-use-cases.js';
import { Child } from './child.js';
import { benchEvent, measured, type ScenarioContext } from './context.js';
import { result, type ScenarioResult } from './report.js';
import { createWebhook, openBenchStore, startService } from './service.js';
import { nowMs, percentile, sleep, waitUntil } from './stats.js';
import type { SubscribersCommand, SubscribersMessage } from './subscribers-process.js';

/**
 * Live fan-out: N graphql-ws subscribers of invocationUpdated (in a child process); one invocation
 * update (an event published through publishEvent, matching one webhook: its invocation is created,
 * PENDING, and announced) reaches all of them; for each subscriber, the time from the publish call to
 * the update's arrival. Repeated for several updates, one at a time; p99 over every (update, subscriber).
 * No dispatcher runs, so each publish makes exactly one update.
 */

const SUBSCRIPTION = `subscription {
  invocationUpdated { id webhookId eventId status attemptCount createdAt updatedAt nextAttemptAt
    lastAttempt { number success response { statusCode } error { code message } } }
}`;

export async function fanout(ctx: ScenarioContext): Promise<ScenarioResult> {
  const subscribers = 1_000;
  const updates = ctx.quick ? 3 : 20;
  const started = nowMs();

  const store = await openBenchStore(ctx.store, ctx.mongo);
  const service = await startService(store, { dispatch: false, env: {} });
  const clients = new Child<SubscribersCommand, SubscribersMessage>(
    new URL('./subscribers-process.ts', import.meta.url),
    'subscribers',
  );
  try {
    await createWebhook(service.client, { name: 'fanout', url: ctx.receiver.url('/fanout') });
    const { services } = service.runtime;
    const connected = await clients.request<Extract<SubscribersMessage, { type: 'connected' }>>({
      cmd: 'connect',
      reqId: 0,
      url: `ws://127.0.0.1:${service.port}/graphql`,
      token: service.token,
      count: subscribers,
      query: SUBSCRIPTION,
    });
    if (connected.errors) throw new Error(`${connected.errors} subscribers failed: ${connected.firstError}`);
    await waitUntil(
      () => services.invocationFeed.subscribersOf(service.accountId) >= subscribers,
      60_000,
      `${subscribers} subscriptions`,
    );
    const deps = {
      webhooks: services.stores.webhooks,
      events: services.stores.events,
      invocations: services.stores.invocations,
      notifyWork: services.notifyWork,
      onInvocationChange: services.onInvocationChange,
    };
    const caller = { accountId: service.accountId };
    const publishOne = async (i: number) => {
      const t0 = nowMs();
      const res = await publishEvent(deps, caller, benchEvent(`fan_${i}`));
      if (!res.ok || res.value.invocations.length !== 1)
        throw new Error('publishEvent did not make 1 invocation');
      return { id: (res.value.invocations[0] as { id: string }).id, t0 };
    };
    const collect = () =>
      clients.request<Extract<SubscribersMessage, { type: 'timings' }>>({ cmd: 'timings', reqId: 0 });
    // Warm-up: one update, all the way round.
    await publishOne(-1);
    await sleep(500);
    await collect();

    const sent: { id: string; t0: number }[] = [];
    const cpu0 = process.cpuUsage();
    await measured(ctx, 'fanout', async () => {
      for (let i = 0; i < updates; i++) {
        sent.push(await publishOne(i));
        // One update at a time: the next one after this one has long reached everyone.
        await sleep(ctx.quick ? 300 : 400);
      }
    });
    const used = process.cpuUsage(cpu0);
    // Between updates the service idles, so this is (nearly all) the cost of delivering them.
    const cpuPerUpdate = (used.user + used.system) / 1000 / updates;
    const timings = await collect();
    if (timings.errors) throw new Error(`${timings.errors} subscriber errors: ${timings.firstError}`);
    const t0ById = new Map(sent.map((s) => [s.id, s.t0]));
    const latencies = timings.received
      .filter(([id]) => t0ById.has(id))
      .map(([id, at]) => at / 1000 - (t0ById.get(id) as number));
    const expected = updates * subscribers;
    if (latencies.length < expected) {
      throw new Error(`only ${latencies.length} of ${expected} updates reached their subscribers`);
    }
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    ctx.log(
      `fanout ${ctx.store}: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; ` +
        `service CPU ${cpuPerUpdate.toFixed(1)} ms per update`,
    );
    return result({
      name: 'fanout',
      store: ctx.store,
      value: p99,
      unit: 'ms',
      baseline: null,
      target: { kind: 'value', op: '<', bound: 100 },
      targetApplies: ctx.store === 'sqlite',
      detail:
        `p99 publish → update at each of ${subscribers.toLocaleString('en-US')} graphql-ws subscribers ` +
        `(another process), ${updates} updates one at a time; p50 ${p50.toFixed(1)} ms; ` +
        `service CPU ${cpuPerUpdate.toFixed(0)} ms per update`,
      extra: { subscribers, updates, p50, p99, max: Math.max(...latencies), cpuMsPerUpdate: cpuPerUpdate },
      seconds: (nowMs() - started) / 1000,
    });
  } finally {
    await clients.request({ cmd: 'close', reqId: 0 }).catch(() => {});
    await clients.stop();
    await service.close();
    await store.close();
  }
}

import { HOUR_MS, hourOf } from '../../src/domain/health.js';
import { newId } from '../../src/domain/ids.js';
import type { AttemptRecord, Invocation, InvocationStatus } from '../../src/domain/invocation.js';
import { measured, type ScenarioContext, sized, sizeNote, slowStore } from './context.js';
import { result, type ScenarioResult } from './report.js';
import { createWebhook, openBenchStore, startService } from './service.js';
import { nowMs, percentile } from './stats.js';

/**
 * Log queries: with N invocations stored (bulk-inserted through the store's insertMany, in batches),
 * the first page (20) of one webhook's invocations, and of `invocations(status: FAILED)`, through the
 * GraphQL HTTP endpoint, one query at a time; p95 over both kinds. 100 webhooks share the invocations;
 * 5 % are FAILED, spread over time, the rest SUCCEEDED, each with one recorded attempt.
 *
 * Then webhook health (Webhook.health, 24 hours): one more webhook with N invocations of its own over
 * the last 23 hours (94 % SUCCEEDED after one attempt, 5 % FAILED after three, 1 % RETRYING after one;
 * durations from 5 ms to a few seconds), its health with every hourly bucket over GraphQL HTTP, one
 * query at a time: the `webhookHealth` row.
 */

const PAGE_QUERY = `query($webhookId: ID, $status: InvocationStatus) {
  invocations(webhookId: $webhookId, status: $status, first: 20) {
    edges { node { id webhookId eventId status attemptCount createdAt completedAt
      lastAttempt { number success durationMs response { statusCode } error { code message } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const HEALTH_QUERY = `query($id: ID!) {
  node(id: $id) { ... on Webhook { health {
    hours succeeded failed retrying attempts p50DurationMs p95DurationMs
    buckets { start succeeded failed attempts p95DurationMs }
  } } }
}`;

interface HealthData {
  node: { health: { retrying: number; succeeded: number; failed: number; buckets: unknown[] } };
}

function attempt(success: boolean, at: Date, durationMs = 12, number = 1): AttemptRecord {
  return {
    number,
    startedAt: at,
    durationMs,
    success,
    request: {
      method: 'POST',
      url: 'https://hooks.example.com/services/T000/B000/XXXX',
      headers: [
        { name: 'content-type', value: 'application/json' },
        { name: 'user-agent', value: 'access-webhooks/0.1 (+https://github.com/access-webhooks)' },
        { name: 'authorization', value: '••••abcd' },
        { name: 'webhook-timestamp', value: String(Math.floor(at.getTime() / 1000)) },
        { name: 'webhook-signature', value: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=' },
      ],
      body: '{"id": "req_0001", "type": "RequestCreated", "text": "Jane Doe asks for prod-orders-db: on-call fix"}',
    },
    response: {
      statusCode: success ? 200 : 503,
      headers: [{ name: 'content-type', value: 'application/json' }],
      body: success ? '{"ok":true}' : '{"error":"unavailable"}',
      bodyTruncated: false,
    },
    error: success ? null : { code: 'HTTP_STATUS', message: 'the target answered HTTP 503' },
    validatorResults: [],
  };
}

export async function logQuery(ctx: ScenarioContext): Promise<ScenarioResult[]> {
  const slow = slowStore(ctx);
  // FerretDB 1.24 sorts in memory after a full scan: a first page costs ~0.3 ms per stored invocation.
  const stored = sized(ctx, { full: 1_000_000, quick: 20_000, ferretdb: 5_000, ferretdbQuick: 500 });
  const queries = sized(ctx, { full: 300, quick: 50, ferretdb: 30, ferretdbQuick: 5 });
  const batch = slow ? 1_000 : 10_000;
  const started = nowMs();

  const store = await openBenchStore(ctx.store, ctx.mongo);
  const service = await startService(store, { dispatch: false, env: {} });
  try {
    // 100 webhooks share them (fewer for small sets, so each still has more than a page).
    const webhooks = Math.max(1, Math.min(100, Math.floor(stored / 100)));
    const webhookIds = Array.from({ length: webhooks }, () => newId('Webhook'));
    const t0 = nowMs();
    const base = Date.now() - stored * 10;
    for (let done = 0; done < stored; done += batch) {
      const rows: Invocation[] = [];
      for (let i = done; i < Math.min(stored, done + batch); i++) {
        const at = new Date(base + i * 10);
        const id = newId('Invocation');
        const eventId = newId('Event');
        const webhookId = webhookIds[i % webhooks] as string;
        // Every 20th is FAILED, on a stride that spreads them over every webhook.
        const status: InvocationStatus = i % 20 === 7 ? 'FAILED' : 'SUCCEEDED';
        rows.push({
          id,
          accountId: service.accountId,
          webhookId,
          eventId,
          trigger: 'RequestCreated',
          test: false,
          messageId: id,
          fanoutKey: `${eventId}:${webhookId}`,
          status,
          attempts: [attempt(status === 'SUCCEEDED', at)],
          nextAttemptAt: null,
          leaseOwner: null,
          leaseUntil: null,
          supersededBy: null,
          createdAt: at,
          updatedAt: at,
          completedAt: at,
        });
      }
      await service.stores.invocations.insertMany(rows);
    }
    const loadSeconds = (nowMs() - t0) / 1000;
    ctx.log(`logQuery ${ctx.store}: stored ${stored} invocations in ${loadSeconds.toFixed(1)} s`);

    const kinds = [
      { name: 'webhook', variables: (i: number) => ({ webhookId: webhookIds[(i * 37) % webhooks] }) },
      { name: 'failed', variables: () => ({ status: 'FAILED' }) },
    ];
    const times: Record<string, number[]> = { webhook: [], failed: [] };
    const query = async (kind: (typeof kinds)[number], i: number) => {
      const t = nowMs();
      const data = await service.client.data<{ invocations: { edges: unknown[] } }>(
        PAGE_QUERY,
        kind.variables(i),
      );
      const ms = nowMs() - t;
      if (data.invocations.edges.length !== 20)
        throw new Error(`${kind.name}: a page of ${data.invocations.edges.length}`);
      return ms;
    };
    const warm = sized(ctx, { full: 20, quick: 5, ferretdb: 2, ferretdbQuick: 1 });
    for (let i = 0; i < warm; i++) for (const kind of kinds) await query(kind, i);
    await measured(ctx, 'logQuery', async () => {
      for (let i = 0; i < queries; i++) {
        for (const kind of kinds) (times[kind.name] as number[]).push(await query(kind, i));
      }
    });
    const all = [...(times.webhook as number[]), ...(times.failed as number[])];
    const p95 = percentile(all, 95);
    const byKind = kinds.map(
      (k) => `${k.name} p95 ${percentile(times[k.name] as number[], 95).toFixed(2)} ms`,
    );
    ctx.log(`logQuery ${ctx.store}: p95 ${p95.toFixed(2)} ms (${byKind.join(', ')})`);
    const health = await webhookHealth(ctx, service, batch, queries, warm);
    const logRow = result({
      name: 'logQuery',
      store: ctx.store,
      value: p95,
      unit: 'ms',
      baseline: null,
      target: { kind: 'value', op: '<', bound: 10 },
      targetApplies: ctx.store === 'sqlite',
      detail:
        `p95 of first pages (20) over GraphQL HTTP, ${stored.toLocaleString('en-US')} stored invocations` +
        `${sizeNote(ctx)}; ${byKind.join(', ')}`,
      extra: {
        stored,
        webhookP95: percentile(times.webhook as number[], 95),
        failedP95: percentile(times.failed as number[], 95),
        webhookP50: percentile(times.webhook as number[], 50),
        failedP50: percentile(times.failed as number[], 50),
        loadSeconds,
      },
      seconds: (nowMs() - started) / 1000,
    });
    return [logRow, health];
  } finally {
    await service.close();
    await store.close();
  }
}

/** The `webhookHealth` row: one webhook with `stored` invocations of its last 23 hours, its health. */
async function webhookHealth(
  ctx: ScenarioContext,
  service: Awaited<ReturnType<typeof startService>>,
  batch: number,
  queries: number,
  warm: number,
): Promise<ScenarioResult> {
  const stored = sized(ctx, { full: 1_000_000, quick: 20_000, ferretdb: 5_000, ferretdbQuick: 500 });
  const started = nowMs();
  const webhookId = await createWebhook(service.client, {
    name: `busy ${newId('Webhook').slice(-8)}`,
    url: 'https://hooks.example.com/busy',
  });
  const now = Date.now();
  const since = hourOf(now) - 23 * HOUR_MS;
  const step = (now - since) / stored;
  let retrying = 0;
  const t0 = nowMs();
  for (let done = 0; done < stored; done += batch) {
    const rows: Invocation[] = [];
    for (let i = done; i < Math.min(stored, done + batch); i++) {
      const at = since + Math.floor(i * step);
      const id = newId('Invocation');
      const eventId = newId('Event');
      // Strides that spread every kind over the day: 5 % FAILED, 1 % RETRYING, the rest SUCCEEDED.
      const status: InvocationStatus = i % 20 === 3 ? 'FAILED' : i % 100 === 11 ? 'RETRYING' : 'SUCCEEDED';
      if (status === 'RETRYING') retrying++;
      // 5 ms to about 1 s, and one attempt in 200 slow (3 to 5 s).
      const duration = (i * 7_919) % 200 === 0 ? 3_000 + (i % 2_000) : 5 + ((i * 7_919) % 1_000);
      const attempts =
        status === 'FAILED'
          ? [0, 1, 2].map((n) => attempt(false, new Date(at + n), duration, n + 1))
          : [attempt(status === 'SUCCEEDED', new Date(at), duration)];
      const end = new Date(at + 2);
      rows.push({
        id,
        accountId: service.accountId,
        webhookId,
        eventId,
        trigger: 'RequestCreated',
        test: false,
        messageId: id,
        fanoutKey: `${eventId}:${webhookId}`,
        status,
        attempts,
        nextAttemptAt: status === 'RETRYING' ? new Date(now + HOUR_MS) : null,
        leaseOwner: null,
        leaseUntil: null,
        supersededBy: null,
        createdAt: new Date(at),
        updatedAt: end,
        completedAt: status === 'RETRYING' ? null : end,
      });
    }
    await service.stores.invocations.insertMany(rows);
  }
  const loadSeconds = (nowMs() - t0) / 1000;
  ctx.log(
    `webhookHealth ${ctx.store}: stored ${stored} invocations of one webhook in ${loadSeconds.toFixed(1)} s`,
  );

  const query = async () => {
    const t = nowMs();
    const data = await service.client.data<HealthData>(HEALTH_QUERY, { id: webhookId });
    const ms = nowMs() - t;
    const h = data.node.health;
    if (h.buckets.length !== 24 || h.retrying !== retrying || h.succeeded + h.failed === 0)
      throw new Error(`health: ${JSON.stringify({ ...h, buckets: h.buckets.length })}`);
    return { ms, health: h };
  };
  for (let i = 0; i < warm; i++) await query();
  const times: number[] = [];
  let last: HealthData['node']['health'] | undefined;
  await measured(ctx, 'webhookHealth', async () => {
    for (let i = 0; i < queries; i++) {
      const { ms, health } = await query();
      times.push(ms);
      last = health;
    }
  });
  const p95 = percentile(times, 95);
  const p50 = percentile(times, 50);
  ctx.log(`webhookHealth ${ctx.store}: p95 ${p95.toFixed(2)} ms, p50 ${p50.toFixed(2)} ms`);
  const counted = last ? last.succeeded + last.failed : 0;
  return result({
    name: 'webhookHealth',
    store: ctx.store,
    value: p95,
    unit: 'ms',
    baseline: null,
    target: { kind: 'value', op: '<', bound: 50 },
    targetApplies: ctx.store === 'sqlite',
    detail:
      `p95 of Webhook.health (24 hourly buckets) over GraphQL HTTP, one webhook with ` +
      `${stored.toLocaleString('en-US')} stored invocations${sizeNote(ctx)}; p50 ${p50.toFixed(2)} ms; ` +
      `${counted.toLocaleString('en-US')} finished, ${retrying.toLocaleString('en-US')} retrying`,
    extra: { stored, p50, loadSeconds, finished: counted, retrying },
    seconds: (nowMs() - started) / 1000,
  });
}

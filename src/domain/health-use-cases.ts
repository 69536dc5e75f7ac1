import { fail, ok, type Result, ValidationError } from './errors.js';
import {
  DEFAULT_HEALTH_HOURS,
  type HealthBucket,
  HOUR_MS,
  histogramPercentile,
  hourOf,
  MAX_HEALTH_HOURS,
  type WebhookHealth,
} from './health.js';
import type { InvocationStore } from './ports.js';
import type { Caller } from './webhook-use-cases.js';

/** The health of a webhook (already read for the caller) over the last `hours` hours. */
export async function webhookHealth(
  deps: { invocations: InvocationStore; now?: () => Date },
  caller: Caller,
  webhookId: string,
  hours: number = DEFAULT_HEALTH_HOURS,
): Promise<Result<WebhookHealth, ValidationError>> {
  if (!Number.isInteger(hours) || hours < 1 || hours > MAX_HEALTH_HOURS) {
    return fail(
      new ValidationError([
        { path: ['hours'], message: `must be a whole number from 1 to ${MAX_HEALTH_HOURS}` },
      ]),
    );
  }
  const now = (deps.now ?? (() => new Date()))();
  const current = hourOf(now.getTime());
  const since = current - (hours - 1) * HOUR_MS;
  const rollup = await deps.invocations.health(
    caller.accountId,
    webhookId,
    new Date(since),
    new Date(current + HOUR_MS),
  );
  const buckets: HealthBucket[] = [];
  const histograms: { value: number; count: number }[][] = [];
  for (let i = 0; i < hours; i++) {
    buckets.push({
      start: new Date(since + i * HOUR_MS),
      succeeded: 0,
      failed: 0,
      attempts: 0,
      p50DurationMs: null,
      p95DurationMs: null,
    });
    histograms.push([]);
  }
  for (const o of rollup.outcomes) {
    const b = buckets[(o.hour - since) / HOUR_MS];
    if (!b) continue;
    b.succeeded += o.succeeded;
    b.failed += o.failed;
  }
  // The window's histogram: one entry per duration (a few hundred at most), not one per hour and duration.
  const window = new Map<number, number>();
  for (const d of rollup.durations) {
    const i = (d.hour - since) / HOUR_MS;
    const b = buckets[i];
    if (!b) continue;
    b.attempts += d.attempts;
    histograms[i]?.push({ value: d.durationMs, count: d.attempts });
    window.set(d.durationMs, (window.get(d.durationMs) ?? 0) + d.attempts);
  }
  buckets.forEach((b, i) => {
    b.p50DurationMs = histogramPercentile(histograms[i] ?? [], 50);
    b.p95DurationMs = histogramPercentile(histograms[i] ?? [], 95);
  });
  const all = [...window].map(([value, count]) => ({ value, count }));
  return ok({
    hours,
    since: new Date(since),
    succeeded: buckets.reduce((n, b) => n + b.succeeded, 0),
    failed: buckets.reduce((n, b) => n + b.failed, 0),
    retrying: rollup.retrying,
    attempts: buckets.reduce((n, b) => n + b.attempts, 0),
    p50DurationMs: histogramPercentile(all, 50),
    p95DurationMs: histogramPercentile(all, 95),
    buckets,
  });
}

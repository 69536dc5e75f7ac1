import type { Invocation } from './invocation.js';

/**
 * A webhook's health: its deliveries hour by hour, as a webhook platform's dashboard shows them.
 *
 * What is counted (the same on every store):
 * - A delivery is an invocation that is not a test. It counts once it has finished, as SUCCEEDED or
 *   FAILED (out of retries, or a failure that is not retried), in the hour it finished
 *   (completedAt). A redelivery is a delivery of its own; the one it replaced keeps its outcome.
 * - Durations are those of the HTTP attempts (request sent to response read, what the attempt log
 *   shows), every attempt in the hour it started, retries' failed attempts too: a receiver that
 *   times out is slow before its deliveries give up. Percentiles are nearest-rank over the window's
 *   attempts, each duration counted rounded up to two significant digits (1234 ms as 1300 ms), so a
 *   store can keep them as hourly histograms instead of reading every attempt.
 * - `retrying` is now, not per hour: deliveries that failed at least once and have an attempt to come.
 *
 * Hours are UTC hours; the window is the current hour and the `hours - 1` before it.
 */

export const HOUR_MS = 3_600_000;
export const DEFAULT_HEALTH_HOURS = 24;
export const MAX_HEALTH_HOURS = 168;

/** The start of the hour an instant falls in, in ms since the epoch. */
export function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/**
 * A duration as the histograms count it: whole milliseconds (negative as 0), rounded up to two
 * significant digits from 100 ms on (101 → 110, 1234 → 1300). The SQLite store says the same in
 * SQL (store/sqlite/database.ts); test/store/health.test.ts checks the two agree.
 */
export function durationKey(ms: number): number {
  const n = Math.max(0, Math.trunc(ms));
  if (n < 100) return n;
  const step = 10 ** (String(n).length - 2);
  return Math.ceil(n / step) * step;
}

/** Finished deliveries of one hour (`hour`: its start, in ms since the epoch). */
export interface HealthOutcomes {
  hour: number;
  succeeded: number;
  failed: number;
}

/** Attempts of one hour that took `durationMs` (a durationKey). */
export interface HealthDurations {
  hour: number;
  durationMs: number;
  attempts: number;
}

/** What a store answers for one webhook and window: only hours and durations with something in them. */
export interface HealthRollup {
  outcomes: HealthOutcomes[];
  durations: HealthDurations[];
  retrying: number;
}

/** One invocation's share of the rollup, for a store that computes it from the log (MongoDB). */
export function healthContribution(
  inv: Pick<Invocation, 'test' | 'status' | 'completedAt' | 'updatedAt' | 'attempts'>,
): {
  outcome: { hour: number; succeeded: boolean } | null;
  attempts: { hour: number; durationMs: number }[];
} {
  if (inv.test) return { outcome: null, attempts: [] };
  const finished = inv.status === 'SUCCEEDED' || inv.status === 'FAILED';
  return {
    outcome: finished
      ? {
          hour: hourOf((inv.completedAt ?? inv.updatedAt).getTime()),
          succeeded: inv.status === 'SUCCEEDED',
        }
      : null,
    attempts: inv.attempts.map((a) => ({
      hour: hourOf(a.startedAt.getTime()),
      durationMs: durationKey(a.durationMs),
    })),
  };
}

/** Sums contributions into a rollup, keeping the hours in [from, to). */
export function rollUp(
  contributions: ReturnType<typeof healthContribution>[],
  from: Date,
  to: Date,
  retrying: number,
): HealthRollup {
  const inWindow = (hour: number) => hour >= from.getTime() && hour < to.getTime();
  const outcomes = new Map<number, HealthOutcomes>();
  const durations = new Map<string, HealthDurations>();
  for (const c of contributions) {
    if (c.outcome && inWindow(c.outcome.hour)) {
      const o = outcomes.get(c.outcome.hour) ?? { hour: c.outcome.hour, succeeded: 0, failed: 0 };
      outcomes.set(c.outcome.hour, o);
      if (c.outcome.succeeded) o.succeeded++;
      else o.failed++;
    }
    for (const a of c.attempts) {
      if (!inWindow(a.hour)) continue;
      const key = `${a.hour}:${a.durationMs}`;
      const d = durations.get(key) ?? { hour: a.hour, durationMs: a.durationMs, attempts: 0 };
      durations.set(key, d);
      d.attempts++;
    }
  }
  return { outcomes: [...outcomes.values()], durations: [...durations.values()], retrying };
}

export interface HealthBucket {
  /** The hour's start. */
  start: Date;
  succeeded: number;
  failed: number;
  attempts: number;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
}

export interface WebhookHealth {
  hours: number;
  /** The first bucket's start. */
  since: Date;
  succeeded: number;
  failed: number;
  retrying: number;
  attempts: number;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  /** Every hour of the window, oldest first, empty ones too. */
  buckets: HealthBucket[];
}

/** The nearest-rank percentile (0–100) of a histogram of (value, count); null when it is empty. */
export function histogramPercentile(histogram: { value: number; count: number }[], p: number): number | null {
  const sorted = histogram.filter((h) => h.count > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((n, h) => n + h.count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const h of sorted) {
    seen += h.count;
    if (seen >= rank) return h.value;
  }
  return (sorted.at(-1) as { value: number }).value;
}

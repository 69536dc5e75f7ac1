import type { EventStore, InvocationStore, OperationalStore } from './ports.js';

/**
 * Retention: finished invocations (with their attempt logs) older than the window are deleted,
 * then the events no invocation refers to any more, then idempotency keys past their 24 h, then
 * operational events older than the window whose delivery is not under way.
 * Batched, so one sweep never holds the store for long; the sweep is the contract on both stores
 * (FerretDB has no TTL indexes).
 */
export async function sweepRetention(
  deps: { invocations: InvocationStore; events: EventStore; operational: OperationalStore },
  options: { now: Date; retentionMs: number; idempotencyMs: number; batch?: number },
): Promise<{ invocations: number; events: number; idempotencyKeys: number; operationalEvents: number }> {
  const batch = options.batch ?? 1_000;
  const before = new Date(options.now.getTime() - options.retentionMs);
  let invocations = 0;
  for (;;) {
    const n = await deps.invocations.deleteFinishedBefore(before, batch);
    invocations += n;
    if (n < batch) break;
  }
  let events = 0;
  for (;;) {
    const n = await deps.events.deleteOrphansBefore(before, batch);
    events += n;
    if (n < batch) break;
  }
  const idempotencyKeys = await deps.events.deleteIdempotencyKeysBefore(
    new Date(options.now.getTime() - options.idempotencyMs),
  );
  let operationalEvents = 0;
  for (;;) {
    const n = await deps.operational.deleteEventsBefore(before, batch);
    operationalEvents += n;
    if (n < batch) break;
  }
  return { invocations, events, idempotencyKeys, operationalEvents };
}

import type { EventStore, InvocationStore } from './ports.js';

/**
 * Retention: finished invocations (with their attempt logs) older than the window are deleted,
 * then the events no invocation refers to any more, then idempotency keys past their 24 h.
 * Batched, so one sweep never holds the store for long; the sweep is the contract on both stores
 * (FerretDB has no TTL indexes).
 */
export async function sweepRetention(
  deps: { invocations: InvocationStore; events: EventStore },
  options: { now: Date; retentionMs: number; idempotencyMs: number; batch?: number },
): Promise<{ invocations: number; events: number; idempotencyKeys: number }> {
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
  return { invocations, events, idempotencyKeys };
}

import { fail, ok, type Result, ValidationError } from './errors.js';
import { type AccessEvent, eventSchema } from './event.js';
import type { FilterCatalog } from './filter-catalog.js';
import { newId } from './ids.js';
import type { Invocation, StoredEvent } from './invocation.js';
import { eventFilterValues, eventMatchKeys, matchesFilterValues } from './matching.js';
import type { EventStore, InvocationStore, WebhookStore } from './ports.js';
import type { Webhook } from './webhook.js';
import type { Caller } from './webhook-use-cases.js';

/** Publishing events: validate, store, match, fan out one invocation per matching active webhook. */

export interface EventDeps {
  webhooks: WebhookStore;
  events: EventStore;
  invocations: InvocationStore;
  /** Tells local workers that work is due now (they also poll, for work enqueued elsewhere). */
  notifyWork: () => void;
  /** Told about every invocation created or changed (the live feed); must not block. */
  onInvocationChange?: (invocation: Invocation) => void;
  /** This process's dispatcher, when it has one (role all): fresh invocations go to it directly. */
  localDispatch?: LocalDispatch;
  /** Learns the filter values of published events (the console's pickers); absent: nothing learned. */
  filterCatalog?: FilterCatalog;
  now?: () => Date;
}

export const IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000;
const MAX_IDEMPOTENCY_KEY = 255;
const MAX_EVENT_BYTES = 256 * 1024;
/** Nesting an event may have (the sample has 7). Deeper ones overflow JSON.stringify's stack or MongoDB's 100 levels. */
const MAX_EVENT_DEPTH = 32;

export interface PublishResult {
  eventId: string;
  matchedWebhookCount: number;
  invocations: Invocation[];
  duplicate: boolean;
}

/** One event to publish, as a producer sends it. */
export interface PublishInput {
  payload: unknown;
  idempotencyKey?: string | null;
}

/** How many events one publishEvents call may carry. */
export const MAX_PUBLISH_BATCH = 500;

/**
 * A dispatcher in this process that takes fresh invocations at once: they are stored already leased
 * to it, and it starts them with the webhook and event in hand, so no claim and no re-read stands
 * between a publish and its deliveries. A process that dies with them leased loses nothing: the
 * lease expires and any worker claims them (at-least-once, as for claimed work).
 */
export interface LocalDispatch {
  readonly owner: string;
  /** Until when a lease taken now holds, by the dispatcher's own clock (the one it expires leases by). */
  leaseUntil(): Date;
  /** Takes up to `count` free slots for invocations about to be stored; returns how many it took. */
  reserve(count: number): number;
  /** The reserved invocations are stored: run them. */
  adopt(work: { invocation: Invocation; webhook: Webhook; event: StoredEvent }[]): void;
  /** The write failed: gives `count` reserved slots back. */
  release(count: number): void;
}

export async function publishEvent(
  deps: EventDeps,
  caller: Caller,
  payload: unknown,
  idempotencyKey?: string | null,
): Promise<Result<PublishResult, ValidationError>> {
  const [outcome] = await publishEvents(deps, caller, [{ payload, idempotencyKey }]);
  if (!outcome) throw new Error('publishEvents returned no outcome');
  return outcome;
}

/** publishEvents for a producer's batch: 1 to MAX_PUBLISH_BATCH events, each with its own outcome. */
export async function publishEventBatch(
  deps: EventDeps,
  caller: Caller,
  items: PublishInput[],
): Promise<Result<Result<PublishResult, ValidationError>[], ValidationError>> {
  if (items.length === 0 || items.length > MAX_PUBLISH_BATCH) {
    return fail(
      new ValidationError([
        { path: ['events'], message: `must hold 1 to ${MAX_PUBLISH_BATCH} events (got ${items.length})` },
      ]),
    );
  }
  return ok(await publishEvents(deps, caller, items));
}

/**
 * Publishes a batch: each event is validated, matched and (idempotency keys aside) stored with its
 * invocations in one write for the whole batch, and gets its own outcome, in order; a bad event
 * fails alone. Everything an outcome reports as published is stored when this resolves.
 */
export async function publishEvents(
  deps: EventDeps,
  caller: Caller,
  items: PublishInput[],
): Promise<Result<PublishResult, ValidationError>[]> {
  const now = (deps.now ?? (() => new Date()))();
  const outcomes: Result<PublishResult, ValidationError>[] = new Array(items.length);
  // An idempotency key repeated within the batch: the later events are duplicates of the first one.
  const firstWithKey = new Map<string, number>();
  const repeats: [index: number, first: number][] = [];
  items.forEach((item, index) => {
    if (!item.idempotencyKey) return;
    const first = firstWithKey.get(item.idempotencyKey);
    if (first === undefined) firstWithKey.set(item.idempotencyKey, index);
    else repeats.push([index, first]);
  });
  const repeated = new Set(repeats.map(([index]) => index));
  const fresh: { index: number; event: StoredEvent; matched: Webhook[] }[] = [];
  await Promise.all(
    items.map(async (item, index) => {
      if (repeated.has(index)) return;
      const checked = checkEvent(item.payload, item.idempotencyKey);
      if (checked instanceof ValidationError) {
        outcomes[index] = fail(checked);
        return;
      }
      const event: StoredEvent = {
        id: newId('Event'),
        accountId: caller.accountId,
        trigger: checked.event_type,
        payload: checked,
        idempotencyKey: item.idempotencyKey ?? null,
        test: false,
        fannedOut: false,
        createdAt: now,
      };
      if (item.idempotencyKey) {
        const previous = await claimIdempotencyKey(deps, event, item.idempotencyKey, now);
        if (previous) {
          outcomes[index] = ok(previous);
          return;
        }
      }
      fresh.push({ index, event, matched: await matchingWebhooks(deps, event) });
    }),
  );
  // Stored in publish order (matching finishes in any order): invocation ids follow it, and FIFO
  // queues deliver by id.
  fresh.sort((a, b) => a.index - b.index);
  await storeFresh(deps, now, fresh, outcomes);
  const retry: number[] = [];
  for (const [index, first] of repeats) {
    const outcome = outcomes[first] as Result<PublishResult, ValidationError>;
    if (outcome.ok) outcomes[index] = ok({ ...outcome.value, duplicate: true });
    else retry.push(index);
  }
  // The first event with the key was refused: the next one stands on its own.
  if (retry.length) {
    const again = await publishEvents(
      deps,
      caller,
      retry.map((i) => items[i] as PublishInput),
    );
    retry.forEach((index, i) => {
      outcomes[index] = again[i] as Result<PublishResult, ValidationError>;
    });
  }
  return outcomes;
}

/** Stores the batch's new events with their invocations in one write and fills in their outcomes. */
async function storeFresh(
  deps: EventDeps,
  now: Date,
  fresh: { index: number; event: StoredEvent; matched: Webhook[] }[],
  outcomes: Result<PublishResult, ValidationError>[],
): Promise<void> {
  if (fresh.length === 0) return;

  const local = deps.localDispatch;
  const total = fresh.reduce((n, f) => n + f.matched.length, 0);
  // FIFO webhooks' invocations are stored held, never leased here (see newInvocation).
  const adoptable = fresh.reduce((n, f) => n + f.matched.filter((w) => w.ordering !== 'FIFO').length, 0);
  const reserved = local && adoptable ? local.reserve(adoptable) : 0;
  let leased = 0;
  const lease = local && { leaseOwner: local.owner, leaseUntil: local.leaseUntil() };
  const batch = fresh.map(({ event, matched }) => ({
    event,
    invocations: matched.map((w) => {
      const invocation = newInvocation(w, event, now);
      // Held FIFO invocations wait for their turn in the queue, not in this process.
      if (lease && leased < reserved && !invocation.orderingKey) {
        leased++;
        return { ...invocation, status: 'IN_FLIGHT' as const, ...lease };
      }
      return invocation;
    }),
  }));
  try {
    await deps.events.insertFannedOut(batch);
  } catch (err) {
    if (reserved) local?.release(reserved);
    throw err;
  }
  const adopted: Parameters<LocalDispatch['adopt']>[0] = [];
  if (deps.filterCatalog)
    for (const { event } of batch) deps.filterCatalog.learn(event.accountId, event.payload, now);
  batch.forEach(({ event, invocations }, i) => {
    const { index, matched } = fresh[i] as (typeof fresh)[number];
    outcomes[index] = ok({
      eventId: event.id,
      matchedWebhookCount: invocations.length,
      invocations,
      duplicate: false,
    });
    invocations.forEach((invocation, j) => {
      if (!invocation.leaseOwner) {
        deps.onInvocationChange?.(invocation);
        return;
      }
      // Watchers see the same lifecycle as for claimed work: created, then taken by a worker.
      deps.onInvocationChange?.({ ...invocation, status: 'PENDING', leaseOwner: null, leaseUntil: null });
      adopted.push({ invocation, webhook: matched[j] as Webhook, event });
    });
  });
  if (adopted.length) local?.adopt(adopted);
  if (total > adopted.length) deps.notifyWork();
}

/**
 * Maps an idempotency key to this event, unless a mapping within the window exists: then the first
 * publish's result (fanning it out first if its publisher died half-way). Null: go on and publish.
 */
async function claimIdempotencyKey(
  deps: EventDeps,
  event: StoredEvent,
  idempotencyKey: string,
  now: Date,
): Promise<PublishResult | null> {
  const expiresBefore = new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS);
  let claim = await deps.events.claimIdempotencyKey(
    event.accountId,
    idempotencyKey,
    event.id,
    now,
    expiresBefore,
  );
  if (claim.claimed) return null;
  const first = await deps.events.get(event.accountId, claim.eventId);
  if (first) return previousResult(deps, first);
  // The first publisher claimed the key but died before storing its event: this one takes over.
  claim = await deps.events.claimIdempotencyKey(
    event.accountId,
    idempotencyKey,
    event.id,
    now,
    expiresBefore,
    claim.eventId,
  );
  if (claim.claimed) return null;
  const raced = await deps.events.get(event.accountId, claim.eventId);
  // Taken over by a third publisher whose event is not stored yet either: publish this one.
  return raced ? previousResult(deps, raced) : null;
}

/** The active webhooks whose triggers and filters the event matches. */
async function matchingWebhooks(deps: EventDeps, event: StoredEvent): Promise<Webhook[]> {
  const values = eventFilterValues(event.payload);
  const candidates = await deps.webhooks.listMatchCandidates(
    event.accountId,
    event.trigger,
    eventMatchKeys(values),
  );
  return candidates.filter((w) => matchesFilterValues(w.filters, values));
}

/**
 * Creates the invocations of an event and then marks it fanned out. Safe to run again on the same
 * event (the sweep does after a crash): an invocation already made for a webhook is not made twice.
 */
export async function fanOut(deps: EventDeps, event: StoredEvent): Promise<Invocation[]> {
  const matching = await matchingWebhooks(deps, event);
  const now = (deps.now ?? (() => new Date()))();
  const invocations = matching.map((w) => newInvocation(w, event, now));
  await deps.invocations.insertMany(invocations);
  // Announced as soon as they exist, before any worker can report them IN_FLIGHT; due at once, so
  // workers are told before the mark (which only tells the crash sweep this event is done).
  for (const invocation of invocations) deps.onInvocationChange?.(invocation);
  if (invocations.length) deps.notifyWork();
  await deps.events.markFannedOut(event.accountId, event.id);
  return invocations;
}

/** Finishes fan-outs that a crashed process left half-done; returns how many events it completed. */
export async function sweepUnfannedEvents(
  deps: EventDeps,
  olderThanMs = 30_000,
  limit = 100,
): Promise<number> {
  const now = (deps.now ?? (() => new Date()))();
  const events = await deps.events.listUnfannedOut(new Date(now.getTime() - olderThanMs), limit);
  for (const event of events) await fanOut(deps, event);
  return events.length;
}

export function newInvocation(
  webhook: Pick<Webhook, 'id' | 'accountId'> & Partial<Pick<Webhook, 'ordering'>>,
  event: StoredEvent,
  now: Date,
  options: { messageId?: string; test?: boolean; fanout?: boolean } = {},
): Invocation {
  const id = newId('Invocation');
  // A FIFO webhook's invocations queue up held; tests are sent at once, outside the queue.
  const fifo = webhook.ordering === 'FIFO' && !options.test;
  return {
    id,
    accountId: webhook.accountId,
    webhookId: webhook.id,
    eventId: event.id,
    trigger: event.trigger,
    test: options.test ?? false,
    messageId: options.messageId ?? id,
    fanoutKey: options.fanout === false ? id : `${event.id}:${webhook.id}`,
    status: 'PENDING',
    attempts: [],
    nextAttemptAt: fifo ? null : now,
    leaseOwner: null,
    leaseUntil: null,
    supersededBy: null,
    orderingKey: fifo ? webhook.id : null,
    waitedFor: null,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
  };
}

async function previousResult(deps: EventDeps, event: StoredEvent): Promise<PublishResult> {
  if (!event.fannedOut) await fanOut(deps, event);
  const page = await deps.invocations.list(event.accountId, { first: 1000, eventId: event.id });
  const invocations = page.items.filter((i) => i.fanoutKey === `${event.id}:${i.webhookId}`).reverse();
  return { eventId: event.id, matchedWebhookCount: invocations.length, invocations, duplicate: true };
}

/** Too deep, or a key no store can hold (NUL); walked without recursion, so any depth is safe to check. */
function shapeProblem(payload: unknown): string | null {
  const pending: [unknown, number][] = [[payload, 0]];
  for (let item = pending.pop(); item; item = pending.pop()) {
    const [value, depth] = item;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_EVENT_DEPTH) return `must not nest more than ${MAX_EVENT_DEPTH} levels deep`;
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\u0000')) return 'must not have a key with a NUL character';
      pending.push([child, depth + 1]);
    }
  }
  return null;
}

function checkEvent(payload: unknown, idempotencyKey?: string | null): AccessEvent | ValidationError {
  const errors: { path: string[]; message: string }[] = [];
  if (idempotencyKey !== undefined && idempotencyKey !== null) {
    if (idempotencyKey.trim() === '' || idempotencyKey.length > MAX_IDEMPOTENCY_KEY) {
      errors.push({ path: ['idempotencyKey'], message: `must be 1 to ${MAX_IDEMPOTENCY_KEY} characters` });
    }
  }
  const shape = shapeProblem(payload);
  if (shape) {
    errors.push({ path: ['event'], message: shape });
    return new ValidationError(errors);
  }
  const size = Buffer.byteLength(JSON.stringify(payload ?? null));
  if (size > MAX_EVENT_BYTES) {
    errors.push({
      path: ['event'],
      message: `must be at most ${MAX_EVENT_BYTES} bytes as JSON (got ${size})`,
    });
    return new ValidationError(errors);
  }
  const parsed = eventSchema.safeParse(payload);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      errors.push({
        path: ['event', ...issue.path.map(String)],
        message: issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message,
      });
    }
  }
  return errors.length || !parsed.success ? new ValidationError(errors) : parsed.data;
}

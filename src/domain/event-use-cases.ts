import { fail, ok, type Result, ValidationError } from './errors.js';
import { type AccessEvent, eventSchema } from './event.js';
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

export async function publishEvent(
  deps: EventDeps,
  caller: Caller,
  payload: unknown,
  idempotencyKey?: string | null,
): Promise<Result<PublishResult, ValidationError>> {
  const now = (deps.now ?? (() => new Date()))();
  const checked = checkEvent(payload, idempotencyKey);
  if (checked instanceof ValidationError) return fail(checked);
  const event: StoredEvent = {
    id: newId('Event'),
    accountId: caller.accountId,
    trigger: checked.event_type,
    payload: checked,
    idempotencyKey: idempotencyKey ?? null,
    test: false,
    fannedOut: false,
    createdAt: now,
  };

  if (idempotencyKey) {
    const expiresBefore = new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS);
    let claim = await deps.events.claimIdempotencyKey(
      caller.accountId,
      idempotencyKey,
      event.id,
      now,
      expiresBefore,
    );
    if (!claim.claimed) {
      const first = await deps.events.get(caller.accountId, claim.eventId);
      if (first) return ok(await previousResult(deps, first));
      // The first publisher claimed the key but died before storing its event: this one takes over.
      claim = await deps.events.claimIdempotencyKey(
        caller.accountId,
        idempotencyKey,
        event.id,
        now,
        expiresBefore,
        claim.eventId,
      );
      if (!claim.claimed) {
        const raced = await deps.events.get(caller.accountId, claim.eventId);
        if (raced) return ok(await previousResult(deps, raced));
      }
    }
  }

  // Stored before any invocation: if the process dies from here on, the sweep finishes the fan-out.
  await deps.events.insert(event);
  const invocations = await fanOut(deps, event);
  return ok({ eventId: event.id, matchedWebhookCount: invocations.length, invocations, duplicate: false });
}

/**
 * Creates the invocations of an event and then marks it fanned out. Safe to run again on the same
 * event (the sweep does after a crash): an invocation already made for a webhook is not made twice.
 */
export async function fanOut(deps: EventDeps, event: StoredEvent): Promise<Invocation[]> {
  const values = eventFilterValues(event.payload);
  const candidates = await deps.webhooks.listMatchCandidates(
    event.accountId,
    event.trigger,
    eventMatchKeys(values),
  );
  const matching = candidates.filter((w) => matchesFilterValues(w.filters, values));
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
  webhook: Pick<Webhook, 'id' | 'accountId'>,
  event: StoredEvent,
  now: Date,
  options: { messageId?: string; test?: boolean; fanout?: boolean } = {},
): Invocation {
  const id = newId('Invocation');
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
    nextAttemptAt: now,
    leaseOwner: null,
    leaseUntil: null,
    supersededBy: null,
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

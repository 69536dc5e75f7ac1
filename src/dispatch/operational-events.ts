import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Invocation } from '../domain/invocation.js';
import {
  newOperationalEvent,
  type OperationalEvent,
  type OperationalWebhook,
  operationalEventBody,
  type StoredOperationalEvent,
} from '../domain/operational-event.js';
import type { OperationalStore } from '../domain/ports.js';
import type { SecretBox } from '../domain/secrets.js';
import type { OperationalEventFeed } from '../live/operational-feed.js';
import { errorFields, type Logger } from '../ops/log.js';
import { type AttemptOutcome, USER_AGENT } from './deliver.js';
import { DeliveryError, type HttpClient, type InboundResponse } from './http-client.js';
import { classify, nextDelayMs, type RetryPolicy } from './retry.js';
import { signatureHeaders } from './signing.js';

export interface OperationalEventsDeps {
  store: OperationalStore;
  secrets: SecretBox;
  /** The deliveries' client: https only, port 443, the SSRF address guard, pinned addresses. */
  http: Pick<HttpClient, 'send'>;
  feed: OperationalEventFeed;
  log: Logger;
  /** The deliveries' retry schedule (DISPATCH_RETRY_SCHEDULE), Retry-After honoured. */
  policy: RetryPolicy;
  now?: () => number;
}

export interface OperationalEventsOptions {
  /** How often started (worker) processes look for due deliveries: retries, and crashed processes' leases. */
  pollMs: number;
  /** How long a claim on a delivery lasts; a process that dies mid-attempt loses it after this long. */
  leaseMs?: number;
  /** Operational deliveries in flight in this process; more wait, stored as due, for a free slot. */
  concurrency?: number;
}

/**
 * The INVOCATION_EXHAUSTED event of an attempt, if it was one: the attempt failed retryably and
 * the retry schedule has no attempt left, so the invocation is FAILED. A failure that is never
 * retried (4xx, a validator, the template) is not exhausted; test invocations never count.
 */
export function invocationExhausted(after: Invocation, outcome: AttemptOutcome): OperationalEvent | null {
  if (after.status !== 'FAILED' || outcome.verdict.kind !== 'retry' || after.test) return null;
  const error = outcome.record.error;
  return newOperationalEvent({
    accountId: after.accountId,
    type: 'INVOCATION_EXHAUSTED',
    webhookId: after.webhookId,
    invocationId: after.id,
    reason: `${after.attempts.length} attempts failed, the last: ${error ? `${error.code}: ${error.message}` : 'no answer'}`,
    occurredAt: after.updatedAt,
  });
}

/** An operational webhook gets this long to answer (it is the admins' own endpoint, not a target). */
export const OPERATIONAL_TIMEOUT_MS = 10_000;
const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_CONCURRENCY = 8;

/**
 * Operational events from the moment they happen: each is stored (the record, and the queue of its
 * delivery), published on the live feed, and POSTed to the account's operational webhook if it has
 * one. `emit` is the hook the dispatcher, the auto-disable policy and the webhook use cases call.
 *
 * Delivery is at-least-once: the event is stored leased to this process before the first attempt,
 * so a process that dies mid-attempt leaves a lease that expires and another process (any started
 * worker, polling) sends it again, with the same `webhook-id` (the event id). Failures retry on the
 * deliveries' schedule; retries due soon are timed here, later ones found by the poll. A burst (many
 * invocations exhausted together) is stored as due and sent `concurrency` at a time. What cannot be
 * closed is the gap between the state change and its event's write: a crash between the two loses
 * the event (no transactions across stores on MongoDB), never the state change.
 */
export class OperationalEvents {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}:operational`;
  readonly #deps: OperationalEventsDeps;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #concurrency: number;
  readonly #now: () => number;
  readonly #tasks = new Set<Promise<void>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #inFlight = 0;
  #poll: NodeJS.Timeout | null = null;
  #draining = false;
  /** A drain was asked for while one ran: it goes round again. */
  #drainAgain = false;
  /** The last drain may have left due deliveries for lack of a slot: a freed slot drains again. */
  #leftBehind = false;
  #closed = false;

  constructor(deps: OperationalEventsDeps, options: OperationalEventsOptions) {
    this.#deps = deps;
    this.#pollMs = options.pollMs;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.#now = deps.now ?? Date.now;
  }

  /** The hook: fire-and-forget, never throws, never waits. */
  readonly emit = (event: OperationalEvent): void => {
    if (this.#closed) return;
    this.#track(this.#record(event));
  };

  /** Polls for due deliveries (worker processes): retries, and what a crashed process left leased. */
  start(): void {
    if (this.#poll || this.#closed) return;
    this.#drain();
    this.#poll = setInterval(() => this.#drain(), this.#pollMs);
    this.#poll.unref();
  }

  /** Stops polling and timers, and waits for the attempts in progress (each bounded by its timeout). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#poll) clearInterval(this.#poll);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    while (this.#tasks.size) await Promise.allSettled([...this.#tasks]);
  }

  async #record(event: OperationalEvent): Promise<void> {
    const { store, feed, log } = this.#deps;
    const webhook = await store.getWebhook(event.accountId).catch((err: unknown) => {
      log.error('cannot read the operational webhook', { accountId: event.accountId, ...errorFields(err) });
      return null;
    });
    const now = this.#now();
    // Sent at once when a slot is free (stored leased to this process); otherwise stored due.
    const sendNow = webhook !== null && this.#inFlight < this.#concurrency;
    const stored: StoredOperationalEvent = {
      ...event,
      delivery: {
        status: webhook ? (sendNow ? 'IN_FLIGHT' : 'PENDING') : 'NONE',
        attempts: 0,
        nextAttemptAt: webhook ? new Date(now) : null,
        leaseOwner: sendNow ? this.owner : null,
        leaseUntil: sendNow ? new Date(now + this.#leaseMs) : null,
        lastError: null,
        deliveredAt: null,
      },
    };
    if (sendNow) this.#inFlight++;
    try {
      await store.insertEvent(stored);
    } catch (err) {
      if (sendNow) this.#inFlight--;
      log.error('cannot store an operational event', { eventId: event.id, ...errorFields(err) });
      feed.publish(stored);
      return;
    }
    log.info('operational event', {
      eventId: event.id,
      type: event.type,
      accountId: event.accountId,
      webhookId: event.webhookId,
      invocationId: event.invocationId,
    });
    feed.publish(stored);
    if (sendNow && webhook) await this.#attempt(stored, webhook).finally(() => this.#slotFreed());
    else if (webhook) this.#drain();
  }

  /** Claims due deliveries up to the free slots and sends them; again while claims come back full. */
  #drain(): void {
    if (this.#closed) return;
    if (this.#draining) {
      this.#drainAgain = true;
      return;
    }
    this.#draining = true;
    this.#track(
      (async () => {
        try {
          do {
            this.#drainAgain = false;
            const free = this.#concurrency - this.#inFlight;
            if (free <= 0) {
              this.#leftBehind = true;
              break;
            }
            const now = this.#now();
            const claimed = await this.#deps.store.claimDueDeliveries({
              now: new Date(now),
              owner: this.owner,
              leaseUntil: new Date(now + this.#leaseMs),
              limit: free,
            });
            for (const event of claimed) {
              this.#inFlight++;
              this.#track(this.#attempt(event, null).finally(() => this.#slotFreed()));
            }
            this.#leftBehind = claimed.length === free;
          } while (this.#drainAgain && !this.#closed);
        } catch (err) {
          this.#deps.log.error('cannot claim operational deliveries', errorFields(err));
        } finally {
          this.#draining = false;
        }
      })(),
    );
  }

  #slotFreed(): void {
    this.#inFlight--;
    if (this.#leftBehind) this.#drain();
  }

  /** One attempt to the account's operational webhook, then the delivery's new state written back. */
  async #attempt(event: StoredOperationalEvent, known: OperationalWebhook | null): Promise<void> {
    const { store, secrets, http, log, policy } = this.#deps;
    const webhook = known ?? (await store.getWebhook(event.accountId));
    const attempts = event.delivery.attempts + 1;
    let error: string | null = null;
    let retryable = false;
    let retryAfter: string | null = null;
    if (!webhook) {
      error = 'the account has no operational webhook any more';
    } else {
      const body = operationalEventBody(event);
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
      };
      for (const h of webhook.headers)
        headers[h.name.toLowerCase()] = secrets.decrypt(h.value, event.accountId);
      Object.assign(
        headers,
        signatureHeaders({
          messageId: event.id,
          // Wall-clock time, as deliveries sign with: the receiver checks it against its own clock.
          timestampSeconds: Math.floor(Date.now() / 1000),
          body,
          secrets: [secrets.decrypt(webhook.signingSecret, event.accountId)],
        }),
      );
      let response: InboundResponse | null = null;
      let code: DeliveryError['code'] | 'HTTP_STATUS' | null = null;
      try {
        response = await http.send({
          method: 'POST',
          url: webhook.url,
          headers,
          body,
          timeoutMs: OPERATIONAL_TIMEOUT_MS,
        });
        if (response.statusCode < 200 || response.statusCode > 299) {
          code = 'HTTP_STATUS';
          error = `the operational webhook answered HTTP ${response.statusCode}`;
          retryAfter = response.headers.find(([name]) => name === 'retry-after')?.[1] ?? null;
        }
      } catch (err) {
        if (!(err instanceof DeliveryError)) throw err;
        code = err.code;
        error = err.message;
      }
      retryable = classify(code, response?.statusCode ?? null).kind === 'retry';
    }

    const now = this.#now();
    const delay = error !== null && retryable ? nextDelayMs(policy, attempts, retryAfter, now) : null;
    const delivery: StoredOperationalEvent['delivery'] = {
      ...event.delivery,
      attempts,
      leaseOwner: null,
      leaseUntil: null,
      lastError: error,
      ...(error === null
        ? { status: 'SUCCEEDED', nextAttemptAt: null, deliveredAt: new Date(now) }
        : delay !== null
          ? { status: 'PENDING', nextAttemptAt: new Date(now + delay) }
          : { status: 'FAILED', nextAttemptAt: null }),
    };
    const fields = { eventId: event.id, accountId: event.accountId, type: event.type, attempts };
    if (delivery.status === 'FAILED') {
      log.warn('operational event not delivered; giving up', { ...fields, error });
    } else if (delivery.status === 'PENDING') {
      log.info('operational event delivery failed; will retry', {
        ...fields,
        error,
        nextAttemptAt: delivery.nextAttemptAt?.toISOString(),
      });
    }
    const saved = await store.saveDelivery({ ...event, delivery }, this.owner);
    if (!saved) log.warn('operational delivery lease lost before it was recorded', fields);
    else if (delay !== null) this.#wakeAt(delay);
  }

  /** Retries due before the next poll are timed here (in any role: the api process too). */
  #wakeAt(delayMs: number): void {
    if (this.#closed || (this.#poll && delayMs >= this.#pollMs)) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#drain();
    }, delayMs + 1);
    timer.unref();
    this.#timers.add(timer);
  }

  #track(task: Promise<void>): void {
    const tracked = task
      .catch((err: unknown) =>
        this.#deps.log.error('operational event failed unexpectedly', errorFields(err)),
      )
      .finally(() => this.#tasks.delete(tracked));
    this.#tasks.add(tracked);
  }
}

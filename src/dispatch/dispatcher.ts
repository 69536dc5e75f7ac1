import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type EventDeps, type LocalDispatch, sweepUnfannedEvents } from '../domain/event-use-cases.js';
import type { Invocation, StoredEvent } from '../domain/invocation.js';
import type { OperationalEventSink } from '../domain/operational-event.js';
import type { Stores } from '../domain/ports.js';
import type { SecretBox } from '../domain/secrets.js';
import type { Webhook } from '../domain/webhook.js';
import { errorFields, type Logger } from '../ops/log.js';
import type { Metrics } from '../ops/metrics.js';
import { attemptInfo, type Tracing } from '../ops/tracing.js';
import { afterAttempt, undeliverable } from './attempt-state.js';
import { AutoDisable } from './auto-disable.js';
import { type AttemptOutcome, attemptDelivery, type DeliveryDeps } from './deliver.js';
import { invocationExhausted } from './operational-events.js';
import { parseRetryAfter, type RetryPolicy } from './retry.js';

export interface DispatcherOptions {
  concurrency: number;
  perWebhookConcurrency: number;
  /** How long a claim is held; a worker that dies loses its claims after this long. */
  leaseMs: number;
  /** Fallback poll for work enqueued by other processes (local enqueues wake the loop at once). */
  pollMs: number;
  /** How often to look for events whose fan-out a crash interrupted. */
  sweepMs: number;
  policy: RetryPolicy;
  /** A webhook whose deliveries have all failed for this long is deactivated. */
  autoDisableAfterMs: number;
}

export interface DispatcherDeps {
  stores: Stores;
  secrets: SecretBox;
  delivery: DeliveryDeps;
  log: Logger;
  metrics?: Metrics;
  /** A span per attempt (when traces are exported). */
  tracing?: Tracing;
  /** Called with every state change (claimed, attempt recorded); must not block. */
  onInvocationChange?: (invocation: Invocation) => void;
  /** Told of operational events (a webhook deactivated, an invocation out of retries); must not block. */
  onOperationalEvent?: OperationalEventSink;
  now?: () => number;
}

/** The webhook's own retry schedule (seconds before each retry) in place of the server's, if it has one. */
function policyOf(webhook: Webhook, server: RetryPolicy): RetryPolicy {
  if (!webhook.retrySchedule) return server;
  return { ...server, schedule: [0, ...webhook.retrySchedule.map((s) => s * 1000)] };
}

/** Webhook reads shared by the attempts of one claimed batch, by `accountId/webhookId`. */
type WebhookReads = Map<string, Promise<Webhook | null>>;

/** A held invocation and what is already known about it (adopted work comes with both). */
interface Held {
  invocation: Invocation;
  webhooks: WebhookReads;
  event?: StoredEvent;
}

/**
 * The delivery loop of a worker process: claims due invocations under a lease, runs attempts with
 * a global and a per-webhook concurrency limit, and records each outcome. At-least-once: a claim
 * whose worker died is claimable again once its lease expires.
 */
export class Dispatcher implements LocalDispatch {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  readonly #deps: DispatcherDeps;
  readonly #opts: DispatcherOptions;
  readonly #now: () => number;
  /** Claimed and not finished, per webhook: running ones and ones waiting for a per-webhook slot. */
  readonly #running = new Map<string, number>();
  readonly #waiting = new Map<string, Held[]>();
  /** Slots promised to publishes in this process whose invocations are being stored (LocalDispatch). */
  #reserved = 0;
  readonly #tasks = new Set<Promise<void>>();
  #held = 0;
  #active = false;
  #loop: Promise<void> | null = null;
  #wakeUp: (() => void) | null = null;
  #wakeRequested = false;
  #wakeScheduled = false;
  /**
   * Whether the last claim may have left due work behind because of this worker's own limits (a
   * full batch, no free slot, or webhooks excluded at their per-webhook limit). Only then can a
   * finished attempt make more work claimable; otherwise new work announces itself (wake, timers,
   * the poll), and claiming after every attempt would be one empty query per delivery.
   */
  #leftBehind = false;
  #timers = new Set<NodeJS.Timeout>();
  #lastSweep = 0;
  #abandoned = false;
  readonly #autoDisable: AutoDisable;
  /** Attempts finished by this dispatcher, by verdict (for tests and metrics). */
  readonly stats = { attempts: 0, succeeded: 0, retried: 0, failed: 0, lostLeases: 0, throttled: 0 };
  /** Webhooks whose deliveries wait until a time: a used-up rate-limit window, or a 429's pause. */
  readonly #throttled = new Map<string, number>();

  constructor(deps: DispatcherDeps, opts: DispatcherOptions) {
    this.#deps = deps;
    this.#opts = opts;
    this.#now = deps.now ?? Date.now;
    const { stores, secrets, log, metrics } = deps;
    this.#autoDisable = new AutoDisable(
      { webhooks: stores.webhooks, secrets, log, metrics, onOperationalEvent: deps.onOperationalEvent },
      opts.autoDisableAfterMs,
    );
  }

  start(): void {
    if (this.#active) return;
    this.#active = true;
    this.#loop = this.#run();
  }

  /**
   * New work may be due: claim now instead of at the next poll. "Now" is once the current callback
   * and its promise continuations are done, so the wakes of the many publishes (or finished
   * attempts) that one store commit settles make one claim.
   */
  wake(): void {
    this.#wakeRequested = true;
    if (this.#wakeScheduled || !this.#wakeUp) return;
    this.#wakeScheduled = true;
    queueMicrotask(() => {
      this.#wakeScheduled = false;
      this.#wakeUp?.();
    });
  }

  /**
   * Stops claiming, lets attempts in progress finish for up to `graceMs`, then gives back the
   * leases of everything not finished so another worker can take it at once.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.#active) return;
    this.#active = false;
    this.wake();
    for (const t of this.#timers) clearTimeout(t);
    await this.#loop;
    const drained = Promise.allSettled([...this.#tasks]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    this.#waiting.clear();
    // Attempts still running past the deadline are given up: their claims go back to the queue,
    // and whatever they end with is not recorded (the connection is about to be cut under them).
    this.#abandoned = true;
    const released = await this.#deps.stores.invocations.releaseLeases(this.owner, new Date(this.#now()));
    if (released)
      this.#deps.log.info('released unfinished invocations', { count: released, owner: this.owner });
  }

  get inFlight(): number {
    return this.#held;
  }

  leaseUntil(): Date {
    return new Date(this.#now() + this.#opts.leaseMs);
  }

  reserve(count: number): number {
    if (!this.#active) return 0;
    const taken = Math.max(0, Math.min(count, this.#opts.concurrency - this.#held - this.#reserved));
    this.#reserved += taken;
    return taken;
  }

  release(count: number): void {
    this.#reserved -= count;
    if (this.#leftBehind) this.wake();
  }

  /**
   * Runs invocations a publish in this process stored leased to this dispatcher, with their webhook
   * and event as the publish had them: no claim, no reads. Past the per-webhook limit they wait,
   * held, like claimed ones.
   */
  adopt(work: { invocation: Invocation; webhook: Webhook; event: StoredEvent }[]): void {
    this.#reserved -= work.length;
    for (const { invocation, webhook, event } of work) {
      this.#held++;
      this.#deps.onInvocationChange?.(invocation);
      const webhooks: WebhookReads = new Map([
        [`${webhook.accountId}/${webhook.id}`, Promise.resolve(webhook)],
      ]);
      this.#startOrWait({ invocation, webhooks, event });
    }
  }

  async #run(): Promise<void> {
    while (this.#active) {
      this.#wakeRequested = false;
      let full = false;
      try {
        await this.#maybeSweep();
        full = await this.#claim();
      } catch (err) {
        this.#deps.log.error('dispatch loop error', errorFields(err));
      }
      const free = this.#opts.concurrency - this.#held;
      // A full batch means more may be due: go again at once (unless every slot is taken).
      if (this.#active && full && free > 0 && !this.#wakeRequested) continue;
      if (this.#active && !this.#wakeRequested) await this.#sleep(this.#opts.pollMs);
    }
  }

  /** Claims what is due, up to the free slots; true when the batch was full (more may be due). */
  async #claim(): Promise<boolean> {
    const free = this.#opts.concurrency - this.#held - this.#reserved;
    if (free <= 0) {
      this.#leftBehind = true;
      return false;
    }
    const now = this.#now();
    // FIFO queues whose head finished get their next one due, before the claim that may take it.
    await this.#deps.stores.invocations.promoteFifoHeads(new Date(now));
    const exclude = [...this.#running.entries()]
      .filter(([id, n]) => n + (this.#waiting.get(id)?.length ?? 0) >= this.#opts.perWebhookConcurrency)
      .map(([id]) => id);
    for (const [id, until] of this.#throttled) {
      if (until <= now) this.#throttled.delete(id);
      else if (!exclude.includes(id)) exclude.push(id);
    }
    const limit = Math.min(free, 100);
    // Set before the query: a slot freed while it runs must still wake the loop afterwards.
    this.#leftBehind = true;
    const batch = await this.#deps.stores.invocations.claimDue({
      now: new Date(now),
      owner: this.owner,
      leaseUntil: new Date(now + this.#opts.leaseMs),
      limit,
      excludeWebhookIds: exclude,
    });
    this.#leftBehind = batch.length === limit || exclude.length > 0;
    // The attempts that start now read each of their webhooks once, as of this claim (a batch is
    // often many invocations of a few webhooks); the ones queued behind a webhook's limit read it
    // again when they start.
    const webhooks: WebhookReads = new Map();
    for (const invocation of batch) {
      this.#held++;
      this.#deps.onInvocationChange?.(invocation);
      this.#startOrWait({ invocation, webhooks });
    }
    return batch.length === limit;
  }

  #startOrWait(held: Held): void {
    const webhookId = held.invocation.webhookId;
    if ((this.#running.get(webhookId) ?? 0) < this.#opts.perWebhookConcurrency) {
      this.#start(held);
      return;
    }
    const queue = this.#waiting.get(webhookId) ?? [];
    queue.push(held);
    this.#waiting.set(webhookId, queue);
  }

  #start(held: Held): void {
    const { invocation } = held;
    const webhookId = invocation.webhookId;
    this.#running.set(webhookId, (this.#running.get(webhookId) ?? 0) + 1);
    const task = this.#process(held)
      .catch((err) =>
        this.#deps.log.error('delivery failed unexpectedly', {
          invocationId: invocation.id,
          ...errorFields(err),
        }),
      )
      .finally(() => {
        this.#tasks.delete(task);
        this.#held--;
        const left = (this.#running.get(webhookId) ?? 1) - 1;
        if (left === 0) this.#running.delete(webhookId);
        else this.#running.set(webhookId, left);
        const next = this.#active ? this.#waiting.get(webhookId)?.shift() : undefined;
        if (this.#waiting.get(webhookId)?.length === 0) this.#waiting.delete(webhookId);
        // Read again when it starts: the webhook may have changed while it waited.
        if (next) this.#start({ ...next, webhooks: new Map() });
        // A FIFO invocation that finished lets its queue's next one go: promote it now, not at the poll.
        else if (this.#leftBehind || invocation.orderingKey) this.wake();
      });
    this.#tasks.add(task);
  }

  async #process({ invocation, webhooks, event: known }: Held): Promise<void> {
    const { stores } = this.#deps;
    const key = `${invocation.accountId}/${invocation.webhookId}`;
    let webhookRead = webhooks.get(key);
    if (!webhookRead) {
      webhookRead = stores.webhooks.get(invocation.accountId, invocation.webhookId);
      webhooks.set(key, webhookRead);
    }
    const [webhook, event] = await Promise.all([
      webhookRead,
      known ?? stores.events.get(invocation.accountId, invocation.eventId),
    ]);
    const now = new Date(this.#now());
    if (!webhook || !event || webhook.status !== 'ACTIVE') {
      // Deleted or deactivated since the event: nothing is sent; recoverFailedInvocations can resend.
      await this.#save(undeliverable(invocation, now.getTime()));
      this.stats.failed++;
      return;
    }
    const waitMs = await this.#throttle(webhook, now.getTime());
    if (waitMs > 0) {
      await this.#defer(invocation, now.getTime() + waitMs);
      return;
    }
    const outcome = await attemptDelivery(this.#deps.delivery, { webhook, event, invocation });
    if (this.#abandoned) return;
    if (outcome.record.response?.statusCode === 429) this.#slowDown(webhook.id, outcome.retryAfter);
    const next = afterAttempt(invocation, outcome, policyOf(webhook, this.#opts.policy), this.#now());
    const updated = next.invocation;
    this.stats.attempts++;
    if (updated.status === 'SUCCEEDED') this.stats.succeeded++;
    else if (updated.status === 'RETRYING') this.stats.retried++;
    else this.stats.failed++;
    if (next.retryInMs !== null) this.#wakeAt(next.retryInMs);
    this.#record(invocation, updated, outcome);
    // The webhook's state changes first, so the invocation update that follows shows it.
    if (outcome.verdict.kind === 'gone') await this.#autoDisable.gone(webhook, now);
    else if (updated.status === 'FAILED' || updated.status === 'SUCCEEDED') {
      await this.#autoDisable.track(webhook, updated.status === 'FAILED', now);
    }
    const exhausted = invocationExhausted(updated, outcome);
    if ((await this.#save(updated)) && exhausted) this.#deps.onOperationalEvent?.(exhausted);
  }

  /**
   * How long a webhook's next delivery must wait: until the end of a 429 pause, or, for a webhook
   * with a rate limit, until its window has a slot (taken here, from the store every process shares).
   */
  async #throttle(webhook: Webhook, nowMs: number): Promise<number> {
    const paused = this.#throttled.get(webhook.id);
    if (paused !== undefined && paused > nowMs) return paused - nowMs;
    const limit = webhook.rateLimit;
    if (!limit) return 0;
    const windowMs = limit.perSeconds * 1000;
    const start = Math.floor(nowMs / windowMs) * windowMs;
    const got = await this.#deps.stores.quotas.take(
      webhook.accountId,
      webhook.id,
      new Date(start),
      1,
      limit.count,
    );
    if (got > 0) return 0;
    this.#throttled.set(webhook.id, start + windowMs);
    return start + windowMs - nowMs;
  }

  /** A 429: this worker holds the webhook's deliveries back for Retry-After (or a second). */
  #slowDown(webhookId: string, retryAfter: string | null | undefined): void {
    const now = this.#now();
    const asked = parseRetryAfter(retryAfter, now) ?? 1000;
    const until = now + Math.min(asked, this.#opts.policy.maxRetryAfterMs);
    this.#throttled.set(webhookId, Math.max(until, this.#throttled.get(webhookId) ?? 0));
  }

  /** Puts a claimed invocation back, due at `untilMs`, with no attempt made or counted. */
  async #defer(invocation: Invocation, untilMs: number): Promise<void> {
    this.stats.throttled++;
    const now = new Date(this.#now());
    this.#deps.log.debug('delivery throttled', {
      invocationId: invocation.id,
      webhookId: invocation.webhookId,
      until: new Date(untilMs).toISOString(),
    });
    await this.#save({
      ...invocation,
      status: invocation.attempts.length ? 'RETRYING' : 'PENDING',
      nextAttemptAt: new Date(untilMs),
      leaseOwner: null,
      leaseUntil: null,
      updatedAt: now,
    });
    this.#wakeAt(untilMs - now.getTime());
  }

  /** One log line and the metrics of one attempt. Never a secret: ids, codes and timings only. */
  #record(before: Invocation, after: Invocation, outcome: AttemptOutcome): void {
    const { record, verdict } = outcome;
    const due = (before.nextAttemptAt ?? before.createdAt).getTime();
    const metrics = this.#deps.metrics;
    metrics?.attempts.inc({ outcome: verdict.kind, error_code: record.error?.code ?? 'none' });
    metrics?.enqueueToSend.observe(Math.max(0, record.startedAt.getTime() - due) / 1000);
    if (record.response) metrics?.sendToResponse.observe(record.durationMs / 1000);
    if (this.#deps.tracing?.enabled) {
      this.#deps.tracing.attempt(attemptInfo(after, record, verdict.kind, after.status));
    }
    // Successes at debug: at full load one line per delivery is a real share of a worker's CPU, and
    // the attempt log and the metrics hold every success anyway; anything else is worth a line.
    const level = verdict.kind === 'success' ? 'debug' : 'info';
    this.#deps.log[level]('delivery attempt', {
      invocationId: after.id,
      webhookId: after.webhookId,
      accountId: after.accountId,
      eventId: after.eventId,
      attempt: record.number,
      statusCode: record.response?.statusCode ?? null,
      errorCode: record.error?.code ?? null,
      durationMs: record.durationMs,
      outcome: verdict.kind,
      status: after.status,
      nextAttemptAt: after.nextAttemptAt?.toISOString() ?? null,
    });
  }

  /** False when the lease was lost (nothing written). */
  async #save(invocation: Invocation): Promise<boolean> {
    const saved = await this.#deps.stores.invocations.saveLeased(invocation, this.owner);
    if (!saved) {
      // Our lease expired and another worker took the invocation over: its result wins.
      this.stats.lostLeases++;
      this.#deps.log.warn('lease lost before the attempt was recorded', { invocationId: invocation.id });
      return false;
    }
    this.#deps.onInvocationChange?.(invocation);
    return true;
  }

  /** Retries due sooner than the next poll wake this worker themselves. */
  #wakeAt(delayMs: number): void {
    if (delayMs >= this.#opts.pollMs) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.wake();
    }, delayMs + 1);
    timer.unref();
    this.#timers.add(timer);
  }

  async #maybeSweep(): Promise<void> {
    const now = this.#now();
    if (now - this.#lastSweep < this.#opts.sweepMs) return;
    this.#lastSweep = now;
    const { stores } = this.#deps;
    const deps: EventDeps = {
      webhooks: stores.webhooks,
      events: stores.events,
      invocations: stores.invocations,
      notifyWork: () => this.wake(),
      onInvocationChange: this.#deps.onInvocationChange,
    };
    const finished = await sweepUnfannedEvents(deps, Math.min(30_000, this.#opts.sweepMs));
    if (finished) this.#deps.log.warn('finished interrupted fan-outs', { events: finished });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wakeUp = () => {
        this.#wakeUp = null;
        done();
      };
    });
  }
}

import type { Invocation } from '../domain/invocation.js';

/**
 * The live feed of invocation updates behind `Subscription.invocationUpdated`.
 *
 * Updates are published per account (`invocation:<accountId>`) on a bus: an in-process
 * EventTarget, or Redis (./redis-feed.ts) so a subscriber on one process sees the invocations a
 * worker changed on another. Each process listens once per channel that has local subscribers and
 * fans out to them; the webhook filter is applied here, on the subscriber's side.
 *
 * Publishing never waits for anyone: a subscriber's updates go into its own bounded buffer, and a
 * subscriber that falls `bufferSize` updates behind is dropped (buffer freed at once) and ends with
 * a `SubscriberTooSlow` update, so a slow or dead client can neither slow a delivery nor grow memory.
 */
export interface InvocationFeed {
  /** Fire-and-forget: never throws, never blocks; safe on the delivery path. */
  publish(invocation: Invocation): void;
  /**
   * Updates of one account, optionally of one webhook only, from now on. Ends when the consumer
   * calls `return()`, the signal aborts, the feed closes, or (after a final `SubscriberTooSlow`)
   * the subscriber falls too far behind.
   */
  subscribe(
    accountId: string,
    webhookId: string | null,
    options?: SubscribeOptions,
  ): AsyncIterableIterator<InvocationUpdate>;
  readonly stats: FeedStats;
  /** Subscriptions of this account attached in this process. */
  subscribersOf(accountId: string): number;
  /** Ends every subscription and releases the bus (Redis connections). */
  close(): Promise<void>;
}

export interface SubscribeOptions {
  signal?: AbortSignal;
  /** Called once when the subscriber is dropped for being too slow (e.g. to close its socket). */
  onOverflow?: (reason: string) => void;
  /** Called once when the subscription ends, for whatever reason (cleanup of the caller's hooks). */
  onEnd?: () => void;
}

export interface FeedStats {
  kind: 'in-process' | 'redis';
  /** Subscriptions currently attached to a channel. */
  subscribers: number;
  /** Channels this process listens to (one bus listener, and one Redis subscription, each). */
  channels: number;
  published: number;
  /** Subscribers dropped because their buffer was full. */
  overflows: number;
  /** Publishes the bus refused or lost (Redis down, too many pending); logged, never thrown. */
  publishFailures: number;
  /** The Redis feed's connections (CLIENT LIST names) and publishes waiting for Redis. */
  redis?: { publisher: string; subscriber: string; pendingPublishes: number };
}

/** The last update of a subscriber that fell `bufferSize` updates behind; nothing follows it. */
export class SubscriberTooSlow {
  readonly code = 'SUBSCRIBER_TOO_SLOW';
  /** Short enough for a WebSocket close reason (at most 123 bytes). */
  readonly reason: string;
  readonly message: string;
  constructor(readonly bufferSize: number) {
    this.reason = `subscriber too slow: more than ${bufferSize} updates waiting`;
    this.message =
      `subscriber too slow: more than ${bufferSize} updates were waiting to be sent, so this subscription ` +
      'was ended and its pending updates dropped; subscribe again and query invocations to catch up';
  }
}

export type InvocationUpdate = Invocation | SubscriberTooSlow;

export const DEFAULT_BUFFER_SIZE = 1_000;

export function channelOf(accountId: string): string {
  return `invocation:${accountId}`;
}

/**
 * The transport between publishers and the per-process listeners: an EventTarget-like object
 * (yoga's TypedEventTarget shape), as `new EventTarget()` or `createRedisEventTarget` provide.
 * `event.detail` is the Invocation.
 */
export interface Bus {
  addEventListener(type: string, listener: (event: CustomEvent<Invocation>) => void): void;
  removeEventListener(type: string, listener: (event: CustomEvent<Invocation>) => void): void;
  dispatchEvent(event: CustomEvent<Invocation>): boolean;
}

export interface FeedOptions {
  /** Updates buffered per subscriber before it is dropped as too slow. */
  bufferSize?: number;
}

interface Channel {
  subscribers: Set<Subscriber>;
  listener: (event: CustomEvent<Invocation>) => void;
}

/** The in-process feed: the default, for one process (or tests). */
export function createInProcessFeed(options: FeedOptions = {}): InvocationFeed {
  return new BusFeed('in-process', new EventTarget() as unknown as Bus, options);
}

export class BusFeed implements InvocationFeed {
  readonly #kind: FeedStats['kind'];
  readonly #bus: Bus;
  readonly #bufferSize: number;
  readonly #release: () => Promise<void>;
  readonly #extraStats: () => Partial<FeedStats>;
  readonly #channels = new Map<string, Channel>();
  readonly #counts = { subscribers: 0, published: 0, overflows: 0, publishFailures: 0 };
  #closed = false;

  constructor(
    kind: FeedStats['kind'],
    bus: Bus,
    options: FeedOptions = {},
    release: () => Promise<void> = async () => {},
    extraStats: () => Partial<FeedStats> = () => ({}),
  ) {
    this.#kind = kind;
    this.#bus = bus;
    this.#bufferSize = options.bufferSize ?? DEFAULT_BUFFER_SIZE;
    this.#release = release;
    this.#extraStats = extraStats;
  }

  get stats(): FeedStats {
    return { kind: this.#kind, channels: this.#channels.size, ...this.#counts, ...this.#extraStats() };
  }

  subscribersOf(accountId: string): number {
    return this.#channels.get(channelOf(accountId))?.subscribers.size ?? 0;
  }

  /** For the bus adapter: a publish it could not hand over. */
  countPublishFailure(): void {
    this.#counts.publishFailures++;
  }

  publish(invocation: Invocation): void {
    if (this.#closed) return;
    const channel = channelOf(invocation.accountId);
    // In-process, nobody else can be listening: skip the event entirely.
    if (this.#kind === 'in-process' && !this.#channels.has(channel)) return;
    try {
      this.#bus.dispatchEvent(new CustomEvent(channel, { detail: invocation }));
      this.#counts.published++;
    } catch {
      this.#counts.publishFailures++;
    }
  }

  subscribe(
    accountId: string,
    webhookId: string | null,
    options: SubscribeOptions = {},
  ): AsyncIterableIterator<InvocationUpdate> {
    const name = channelOf(accountId);
    const subscriber: Subscriber = new Subscriber(
      webhookId,
      this.#bufferSize,
      options.onOverflow,
      (overflowed) => this.#detach(name, subscriber, overflowed),
    );
    if (this.#closed || options.signal?.aborted) {
      subscriber.end();
      options.onEnd?.();
      return subscriber;
    }
    let channel = this.#channels.get(name);
    if (!channel) {
      const subscribers = new Set<Subscriber>();
      const listener = (event: CustomEvent<Invocation>) => {
        const invocation = event.detail as Invocation | null;
        // Defence in depth: an update reaches only the account named in it and in its channel.
        if (invocation?.accountId !== accountId) return;
        for (const s of subscribers) s.push(invocation);
      };
      channel = { subscribers, listener };
      this.#channels.set(name, channel);
      this.#bus.addEventListener(name, listener);
    }
    channel.subscribers.add(subscriber);
    this.#counts.subscribers++;
    if (options.signal) {
      const signal = options.signal;
      const onAbort = () => subscriber.end();
      signal.addEventListener('abort', onAbort, { once: true });
      subscriber.onDetach(() => signal.removeEventListener('abort', onAbort));
    }
    if (options.onEnd) subscriber.onDetach(options.onEnd);
    return subscriber;
  }

  #detach(name: string, subscriber: Subscriber, overflowed: boolean): void {
    const channel = this.#channels.get(name);
    if (!channel?.subscribers.delete(subscriber)) return;
    this.#counts.subscribers--;
    if (overflowed) this.#counts.overflows++;
    if (channel.subscribers.size === 0) {
      this.#channels.delete(name);
      this.#bus.removeEventListener(name, channel.listener);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const channel of [...this.#channels.values()]) {
      for (const subscriber of [...channel.subscribers]) subscriber.end();
    }
    await this.#release();
  }
}

/**
 * One subscription: a bounded FIFO between the bus (push, synchronous) and the transport (next).
 * Written by hand rather than as an async generator so that `return()` ends it at once even while
 * a `next()` is waiting (a generator would queue the return behind that next: a leak per client).
 */
class Subscriber implements AsyncIterableIterator<InvocationUpdate> {
  readonly #webhookId: string | null;
  readonly #bufferSize: number;
  readonly #onOverflow: ((reason: string) => void) | undefined;
  readonly #detachFromFeed: (overflowed: boolean) => void;
  readonly #detachHooks: (() => void)[] = [];
  #buffer: InvocationUpdate[] = [];
  #waiting: ((result: IteratorResult<InvocationUpdate>) => void) | null = null;
  /** No more pushes are accepted (detached); what is buffered is still handed out. */
  #detached = false;
  /** Nothing more will be handed out. */
  #done = false;

  constructor(
    webhookId: string | null,
    bufferSize: number,
    onOverflow: ((reason: string) => void) | undefined,
    detach: (overflowed: boolean) => void,
  ) {
    this.#webhookId = webhookId;
    this.#bufferSize = bufferSize;
    this.#onOverflow = onOverflow;
    this.#detachFromFeed = detach;
  }

  onDetach(hook: () => void): void {
    this.#detachHooks.push(hook);
  }

  push(invocation: Invocation): void {
    if (this.#detached) return;
    if (this.#webhookId !== null && invocation.webhookId !== this.#webhookId) return;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve({ value: invocation, done: false });
      return;
    }
    if (this.#buffer.length < this.#bufferSize) {
      this.#buffer.push(invocation);
      return;
    }
    // Too far behind: free the buffer now, leave only the reason, and stop listening.
    const tooSlow = new SubscriberTooSlow(this.#bufferSize);
    this.#buffer = [tooSlow];
    this.#detach(true);
    try {
      this.#onOverflow?.(tooSlow.reason);
    } catch {
      // A transport's hook must not break the publisher's loop.
    }
  }

  /** Ends the subscription now: buffered updates are dropped, a waiting next() resolves done. */
  end(): void {
    this.#detach(false);
    this.#done = true;
    this.#buffer = [];
    const resolve = this.#waiting;
    this.#waiting = null;
    resolve?.({ value: undefined, done: true });
  }

  #detach(overflowed: boolean): void {
    if (this.#detached) return;
    this.#detached = true;
    this.#detachFromFeed(overflowed);
    for (const hook of this.#detachHooks) hook();
  }

  next(): Promise<IteratorResult<InvocationUpdate>> {
    const value = this.#buffer.shift();
    if (value !== undefined) {
      if (value instanceof SubscriberTooSlow) this.#done = true;
      return Promise.resolve({ value, done: false });
    }
    if (this.#done || this.#detached) {
      this.#done = true;
      return Promise.resolve({ value: undefined, done: true });
    }
    if (this.#waiting) return Promise.reject(new Error('next() called while another next() is waiting'));
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<InvocationUpdate>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<InvocationUpdate>> {
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<InvocationUpdate> {
    return this;
  }
}

/**
 * A live feed: the updates of one account, published on a bus and handed to that account's
 * subscribers in this process. Behind `Subscription.invocationUpdated` (./invocation-feed.ts) and
 * `Subscription.operationalEvents` (./operational-feed.ts).
 *
 * Updates are published per account on a channel (`<prefix>:<accountId>`) of a bus: an in-process
 * EventTarget, or Redis (./redis-feed.ts) so a subscriber on one process sees what a worker did on
 * another. Each process listens once per channel that has local subscribers and fans out to them;
 * the webhook filter is applied here, on the subscriber's side.
 *
 * Publishing never waits for anyone: a subscriber's updates go into its own bounded buffer, and a
 * subscriber that falls `bufferSize` updates behind is dropped (buffer freed at once) and ends with
 * a `SubscriberTooSlow` update, so a slow or dead client can neither slow a delivery nor grow memory.
 */

/** What a feed carries: each update belongs to one account and is about one webhook. */
export interface FeedItem {
  accountId: string;
  webhookId: string;
}

export interface LiveFeed<T extends FeedItem> {
  /** Fire-and-forget: never throws, never blocks; safe on the delivery path. */
  publish(item: T): void;
  /**
   * Updates of one account, optionally of one webhook only, from now on. Ends when the consumer
   * calls `return()`, the signal aborts, the feed closes, or (after a final `SubscriberTooSlow`)
   * the subscriber falls too far behind.
   */
  subscribe(
    accountId: string,
    webhookId: string | null,
    options?: SubscribeOptions,
  ): AsyncIterableIterator<T | SubscriberTooSlow>;
  readonly stats: FeedStats;
  /** Subscriptions of this account attached in this process. */
  subscribersOf(accountId: string): number;
  /** Ends every subscription and releases the bus (Redis connections) once no feed uses it. */
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
  /** `catchUp`: the query that lists what the subscriber missed. */
  constructor(
    readonly bufferSize: number,
    catchUp = 'invocations',
  ) {
    this.reason = `subscriber too slow: more than ${bufferSize} updates waiting`;
    this.message =
      `subscriber too slow: more than ${bufferSize} updates were waiting to be sent, so this subscription ` +
      `was ended and its pending updates dropped; subscribe again and query ${catchUp} to catch up`;
  }
}

export const DEFAULT_BUFFER_SIZE = 1_000;

/**
 * The transport between publishers and the per-process listeners: an EventTarget-like object
 * (yoga's TypedEventTarget shape), as `new EventTarget()` or `createRedisEventTarget` provide.
 * `event.detail` is the update. Several feeds may share one bus: their channels differ by prefix.
 */
export interface Bus {
  addEventListener(type: string, listener: (event: CustomEvent<unknown>) => void): void;
  removeEventListener(type: string, listener: (event: CustomEvent<unknown>) => void): void;
  dispatchEvent(event: CustomEvent<unknown>): boolean;
}

export interface FeedOptions {
  /** Updates buffered per subscriber before it is dropped as too slow. */
  bufferSize?: number;
}

/** What a feed is on its bus: the channel of each account, and what a slow subscriber should query. */
export interface FeedSpec {
  /** The first part of every channel name: `<prefix>:<accountId>`. */
  prefix: string;
  /** The query that lists what a dropped subscriber missed (its error message names it). */
  catchUp: string;
}

/** A feed on its own in-process bus: the default, for one process (or tests). */
export function inProcessFeed<T extends FeedItem>(spec: FeedSpec, options: FeedOptions = {}): BusFeed<T> {
  return new BusFeed<T>('in-process', spec, new EventTarget() as unknown as Bus, options);
}

/** The bus channel of an account's updates in a feed. */
export function channelName(spec: FeedSpec, accountId: string): string {
  return `${spec.prefix}:${accountId}`;
}

interface Channel<T extends FeedItem> {
  subscribers: Set<Subscriber<T>>;
  listener: (event: CustomEvent<unknown>) => void;
}

export class BusFeed<T extends FeedItem> implements LiveFeed<T> {
  readonly #kind: FeedStats['kind'];
  readonly #spec: FeedSpec;
  readonly #bus: Bus;
  readonly #bufferSize: number;
  readonly #release: () => Promise<void>;
  readonly #extraStats: () => Partial<FeedStats>;
  readonly #channels = new Map<string, Channel<T>>();
  readonly #counts = { subscribers: 0, published: 0, overflows: 0, publishFailures: 0 };
  #closed = false;

  constructor(
    kind: FeedStats['kind'],
    spec: FeedSpec,
    bus: Bus,
    options: FeedOptions = {},
    release: () => Promise<void> = async () => {},
    extraStats: () => Partial<FeedStats> = () => ({}),
  ) {
    this.#kind = kind;
    this.#spec = spec;
    this.#bus = bus;
    this.#bufferSize = options.bufferSize ?? DEFAULT_BUFFER_SIZE;
    this.#release = release;
    this.#extraStats = extraStats;
  }

  get stats(): FeedStats {
    return { kind: this.#kind, channels: this.#channels.size, ...this.#counts, ...this.#extraStats() };
  }

  subscribersOf(accountId: string): number {
    return this.#channels.get(channelName(this.#spec, accountId))?.subscribers.size ?? 0;
  }

  /** For the bus adapter: a publish it could not hand over. */
  countPublishFailure(): void {
    this.#counts.publishFailures++;
  }

  publish(item: T): void {
    if (this.#closed) return;
    const channel = channelName(this.#spec, item.accountId);
    // In-process, nobody else can be listening: skip the event entirely.
    if (this.#kind === 'in-process' && !this.#channels.has(channel)) return;
    try {
      this.#bus.dispatchEvent(new CustomEvent(channel, { detail: item }));
      this.#counts.published++;
    } catch {
      this.#counts.publishFailures++;
    }
  }

  subscribe(
    accountId: string,
    webhookId: string | null,
    options: SubscribeOptions = {},
  ): AsyncIterableIterator<T | SubscriberTooSlow> {
    const name = channelName(this.#spec, accountId);
    const subscriber: Subscriber<T> = new Subscriber<T>(
      webhookId,
      this.#bufferSize,
      () => new SubscriberTooSlow(this.#bufferSize, this.#spec.catchUp),
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
      const subscribers = new Set<Subscriber<T>>();
      const listener = (event: CustomEvent<unknown>) => {
        const item = event.detail as T | null;
        // Defence in depth: an update reaches only the account named in it and in its channel.
        if (item?.accountId !== accountId) return;
        for (const s of subscribers) s.push(item);
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

  #detach(name: string, subscriber: Subscriber<T>, overflowed: boolean): void {
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
class Subscriber<T extends FeedItem> implements AsyncIterableIterator<T | SubscriberTooSlow> {
  readonly #webhookId: string | null;
  readonly #bufferSize: number;
  readonly #tooSlow: () => SubscriberTooSlow;
  readonly #onOverflow: ((reason: string) => void) | undefined;
  readonly #detachFromFeed: (overflowed: boolean) => void;
  readonly #detachHooks: (() => void)[] = [];
  #buffer: (T | SubscriberTooSlow)[] = [];
  #waiting: ((result: IteratorResult<T | SubscriberTooSlow>) => void) | null = null;
  /** No more pushes are accepted (detached); what is buffered is still handed out. */
  #detached = false;
  /** Nothing more will be handed out. */
  #done = false;

  constructor(
    webhookId: string | null,
    bufferSize: number,
    tooSlow: () => SubscriberTooSlow,
    onOverflow: ((reason: string) => void) | undefined,
    detach: (overflowed: boolean) => void,
  ) {
    this.#webhookId = webhookId;
    this.#bufferSize = bufferSize;
    this.#tooSlow = tooSlow;
    this.#onOverflow = onOverflow;
    this.#detachFromFeed = detach;
  }

  onDetach(hook: () => void): void {
    this.#detachHooks.push(hook);
  }

  push(item: T): void {
    if (this.#detached) return;
    if (this.#webhookId !== null && item.webhookId !== this.#webhookId) return;
    if (this.#waiting) {
      const resolve = this.#waiting;
      this.#waiting = null;
      resolve({ value: item, done: false });
      return;
    }
    if (this.#buffer.length < this.#bufferSize) {
      this.#buffer.push(item);
      return;
    }
    // Too far behind: free the buffer now, leave only the reason, and stop listening.
    const tooSlow = this.#tooSlow();
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

  next(): Promise<IteratorResult<T | SubscriberTooSlow>> {
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

  return(): Promise<IteratorResult<T | SubscriberTooSlow>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T | SubscriberTooSlow>> {
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T | SubscriberTooSlow> {
    return this;
  }
}

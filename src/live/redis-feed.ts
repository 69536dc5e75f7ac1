import { randomBytes } from 'node:crypto';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { Invocation } from '../domain/invocation.js';
import type { OperationalEvent } from '../domain/operational-event.js';
import { errorFields, type Logger } from '../ops/log.js';
import { type Bus, BusFeed, type FeedItem, type FeedOptions, type FeedSpec } from './feed.js';
import { INVOCATION_FEED, type InvocationFeed } from './invocation-feed.js';
import { OPERATIONAL_FEED, type OperationalEventFeed } from './operational-feed.js';

/**
 * The feeds across processes: updates go through Redis pub/sub (`@graphql-yoga/redis-event-target`),
 * so a subscriber on an api process sees what a worker process did.
 *
 * Two connections per process, whatever the number of GraphQL subscribers (and of feeds: invocation
 * updates and operational events share them, on channels of their own): one publishes, one is
 * in subscriber mode with one SUBSCRIBE per account channel that has local subscribers (it connects
 * on the first subscription, so a worker process that serves none holds only the publisher).
 *
 * Redis is best-effort here, never on the critical path: the store is the record. A publish is
 * handed to ioredis and not awaited; while Redis is unreachable, ioredis queues it (up to
 * `maxPendingPublishes`, then updates are dropped and counted), and errors are logged once per
 * outage, never thrown. The event target ignores the promises ioredis returns, so the clients
 * handed to it catch their own rejections (an unhandled rejection would end the process).
 */
export interface RedisFeedOptions extends FeedOptions {
  url: string;
  log: Logger;
  /** Publishes waiting for Redis (reconnecting) before further updates are dropped. */
  maxPendingPublishes?: number;
}

export const DEFAULT_MAX_PENDING_PUBLISHES = 10_000;

/** The process's live feeds, on one pair of Redis connections (their channels differ by prefix). */
export interface RedisFeeds {
  invocations: InvocationFeed;
  operational: OperationalEventFeed;
}

export function createRedisFeeds(options: RedisFeedOptions): RedisFeeds {
  const redis = redisBus(options, 2);
  return {
    invocations: redis.feed<Invocation>(INVOCATION_FEED),
    operational: redis.feed<OperationalEvent>(OPERATIONAL_FEED),
  };
}

/** The invocation feed alone, on connections of its own. */
export function createRedisFeed(options: RedisFeedOptions): InvocationFeed {
  return redisBus(options, 1).feed<Invocation>(INVOCATION_FEED);
}

/**
 * The Redis connections and the event target on them, for `feeds` feeds: the connections close
 * when the last of them closes.
 */
function redisBus(options: RedisFeedOptions, feeds: number) {
  const { log } = options;
  const maxPending = options.maxPendingPublishes ?? DEFAULT_MAX_PENDING_PUBLISHES;
  // Named so operators (and tests) can find this process's connections in CLIENT LIST.
  const id = `${process.pid}:${randomBytes(3).toString('hex')}`;
  const names = { publisher: `access-webhooks:pub:${id}`, subscriber: `access-webhooks:sub:${id}` };
  const publisher = new Redis(options.url, { connectionName: names.publisher });
  const subscriber = new Redis(options.url, {
    connectionName: names.subscriber,
    lazyConnect: true,
    // SUBSCRIBE commands wait through an outage (no retry limit); ioredis resubscribes on reconnect.
    maxRetriesPerRequest: null,
    // ioredis 5 writes a SUBSCRIBE issued while it is still handshaking, then its ready check
    // (INFO) is refused in subscriber mode, it reconnects, and the subscription can be lost. A
    // subscriber connection sends nothing but (UN)SUBSCRIBE, so it skips those extra commands.
    enableReadyCheck: false,
    disableClientInfo: true,
  });
  watchConnection(publisher, 'publisher', log);
  watchConnection(subscriber, 'subscriber', log);
  log.info('live updates go through Redis', { connections: names });

  /** The feeds on this bus by channel prefix, so a lost publish is counted by its feed. */
  const byPrefix = new Map<string, BusFeed<FeedItem>>();
  let pending = 0;
  let failing = false;
  const publishFailed = (channel: string, reason: string, fields: Record<string, unknown> = {}) => {
    byPrefix.get(channel.slice(0, channel.indexOf(':')))?.countPublishFailure();
    if (failing) return;
    failing = true;
    log.warn('live updates are not reaching Redis; subscribers on other processes miss them', {
      reason,
      ...fields,
    });
  };
  const publishClient = {
    publish(channel: string, message: string): Promise<number> {
      if (pending >= maxPending) {
        publishFailed(channel, `${maxPending} publishes already wait for Redis`);
        return Promise.resolve(0);
      }
      pending++;
      return publisher.publish(channel, message).then(
        (receivers) => {
          pending--;
          if (failing) log.info('live updates reach Redis again');
          failing = false;
          return receivers;
        },
        (err: unknown) => {
          pending--;
          publishFailed(channel, 'publish failed', errorFields(err));
          return 0;
        },
      );
    },
  };
  const subscribeClient = {
    on(event: 'message', listener: (channel: string, message: string) => void) {
      subscriber.on(event, listener);
      return subscribeClient;
    },
    subscribe: (channel: string) =>
      subscriber.subscribe(channel).catch((err: unknown) => {
        log.error('redis SUBSCRIBE failed', { channel, ...errorFields(err) });
      }),
    unsubscribe: (channel: string) =>
      subscriber.unsubscribe(channel).catch((err: unknown) => {
        log.error('redis UNSUBSCRIBE failed', { channel, ...errorFields(err) });
      }),
  };

  const bus = createRedisEventTarget({
    publishClient: publishClient as unknown as Redis,
    subscribeClient: subscribeClient as unknown as Redis,
    serializer: feedWire,
  }) as unknown as Bus;

  let open = feeds;
  const release = async () => {
    if (--open > 0) return;
    await Promise.all([closeConnection(publisher), closeConnection(subscriber)]);
  };
  return {
    feed<T extends FeedItem>(spec: FeedSpec): BusFeed<T> {
      const feed = new BusFeed<T>('redis', spec, bus, options, release, () => ({
        redis: { ...names, pendingPublishes: pending },
      }));
      byPrefix.set(spec.prefix, feed as unknown as BusFeed<FeedItem>);
      return feed;
    },
  };
}

/**
 * JSON with Dates kept as Dates: `{"$date": "<ISO>"}` on the wire, a Date again on receipt. A
 * message that does not parse becomes null (and is ignored) instead of an exception in ioredis.
 */
export const feedWire = {
  stringify(value: unknown): string {
    return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
      const raw = this[key];
      return raw instanceof Date ? { $date: raw.toISOString() } : v;
    });
  },
  parse(text: string): unknown {
    try {
      return JSON.parse(text, (_key, v: unknown) => {
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          const tagged = v as { $date?: unknown };
          if (typeof tagged.$date === 'string' && Object.keys(v).length === 1) return new Date(tagged.$date);
        }
        return v;
      });
    } catch {
      return null;
    }
  },
};

/** Logs a connection's outage once, and its recovery, instead of every reconnection attempt. */
function watchConnection(redis: Redis, role: string, log: Logger): void {
  let down = false;
  redis.on('error', (err: unknown) => {
    if (down) return;
    down = true;
    log.warn('redis connection failed; retrying', { connection: role, ...errorFields(err) });
  });
  redis.on('ready', () => {
    if (down) log.info('redis connection restored', { connection: role });
    down = false;
  });
}

async function closeConnection(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    // QUIT lets Redis drop our subscriptions cleanly; a server that does not answer is cut off.
    await Promise.race([
      redis.quit(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('QUIT timed out')), 2_000);
      }),
    ]);
  } catch {
    redis.disconnect();
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The bench's event producer, run as a child process (./publisher.ts starts it) so the cost of making
 * requests is not charged to the service under test: publishEvent over GraphQL HTTP with a keep-alive
 * undici Pool, either as fast as `concurrency` allows or at a fixed rate.
 */
import { benchEvent } from './context.js';
import { GraphqlClient, PUBLISH_EVENT } from './service.js';

export type PublisherCommand =
  | { cmd: 'connect'; reqId: number; origin: string; token: string; connections: number }
  | {
      cmd: 'publish';
      reqId: number;
      /** Events get data.id `<prefix>_<i>`. */
      prefix: string;
      count: number;
      concurrency: number;
      /** Events per second; absent: as fast as possible. */
      rate?: number;
      /** Each event must match this many webhooks. */
      matches: number;
      /**
       * Events per GraphQL request (one publishEvents call, as a producer under load batches
       * them); 1 when absent. Only without a rate.
       */
      batch?: number;
    };

export type PublisherMessage =
  | { type: 'connected'; reqId: number }
  | {
      type: 'published';
      reqId: number;
      /** µs on the monotonic clock: first request sent, last answer received. */
      startedAt: number;
      finishedAt: number;
      failures: number;
      firstFailure?: string;
      /** With a rate: [data.id, µs when its request was sent]. */
      sentAt?: [string, number][];
    };

/** One publishEvents call: the whole batch in one field, one write. */
const PUBLISH_EVENTS = `mutation($events: [PublishEventInput!]!) {
  publishEvents(events: $events) {
    ... on PublishEventsSuccess { results { ... on PublishEventSuccess { matchedWebhookCount } } }
  }
}`;

const micros = () => Number(process.hrtime.bigint() / 1000n);
const send = (m: PublisherMessage) => process.send?.(m);
let client: GraphqlClient | null = null;

async function publish(c: Extract<PublisherCommand, { cmd: 'publish' }>) {
  if (!client) throw new Error('publish before connect');
  const api = client;
  let failures = 0;
  let firstFailure: string | undefined;
  const sentAt: [string, number][] = [];
  const one = async (i: number) => {
    const id = `${c.prefix}_${i}`;
    const at = micros();
    const pending = api.request<{ publishEvent: { matchedWebhookCount?: number } }>(PUBLISH_EVENT, {
      event: benchEvent(id),
    });
    if (c.rate) sentAt.push([id, at]);
    try {
      const res = await pending;
      if (res.errors || res.data?.publishEvent.matchedWebhookCount !== c.matches) {
        failures++;
        firstFailure ??= JSON.stringify(res).slice(0, 300);
      }
    } catch (err) {
      failures++;
      firstFailure ??= err instanceof Error ? err.message : String(err);
    }
  };
  const startedAt = micros();
  if (c.rate) {
    // Open loop: request i is due at start + i/rate whatever the answers do (no coordinated omission).
    const inFlight = new Set<Promise<void>>();
    const intervalUs = 1e6 / c.rate;
    for (let i = 0; i < c.count; i++) {
      const due = startedAt + i * intervalUs;
      const wait = (due - micros()) / 1000;
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const p = one(i).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  } else if (c.batch && c.batch > 1) {
    const size = c.batch;
    let next = 0;
    const many = async (from: number, n: number) => {
      const events = Array.from({ length: n }, (_, k) => ({ event: benchEvent(`${c.prefix}_${from + k}`) }));
      try {
        const res = await api.request<{ publishEvents: { results?: { matchedWebhookCount?: number }[] } }>(
          PUBLISH_EVENTS,
          { events },
        );
        const results = res.data?.publishEvents.results ?? [];
        const bad = n - results.filter((r) => r.matchedWebhookCount === c.matches).length;
        const lost = res.errors || !res.data ? n : bad;
        if (lost) {
          failures += lost;
          firstFailure ??= JSON.stringify(res).slice(0, 300);
        }
      } catch (err) {
        failures += n;
        firstFailure ??= err instanceof Error ? err.message : String(err);
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(c.concurrency, Math.ceil(c.count / size)) }, async () => {
        while (next < c.count) {
          const from = next;
          const n = Math.min(size, c.count - from);
          next += n;
          await many(from, n);
        }
      }),
    );
  } else {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(c.concurrency, c.count) }, async () => {
        while (next < c.count) await one(next++);
      }),
    );
  }
  send({
    type: 'published',
    reqId: c.reqId,
    startedAt,
    finishedAt: micros(),
    failures,
    firstFailure,
    sentAt: c.rate ? sentAt : undefined,
  });
}

process.on('message', (m: PublisherCommand) => {
  if (m.cmd === 'connect') {
    client = new GraphqlClient(m.origin, m.token, m.connections);
    send({ type: 'connected', reqId: m.reqId });
  } else if (m.cmd === 'publish') {
    publish(m).catch((err: unknown) => {
      send({
        type: 'published',
        reqId: m.reqId,
        startedAt: 0,
        finishedAt: 0,
        failures: m.count,
        firstFailure: err instanceof Error ? err.message : String(err),
      });
    });
  }
});
process.on('disconnect', () => process.exit(0));

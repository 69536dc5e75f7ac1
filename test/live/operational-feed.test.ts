import { describe, expect, inject, test } from 'vitest';
import type { Invocation } from '../../src/domain/invocation.js';
import { newOperationalEvent, type OperationalEvent } from '../../src/domain/operational-event.js';
import { SubscriberTooSlow } from '../../src/live/feed.js';
import { createInProcessOperationalFeed, operationalChannelOf } from '../../src/live/operational-feed.js';
import { createRedisFeeds } from '../../src/live/redis-feed.js';
import { createLogger } from '../../src/ops/log.js';
import { eventually } from '../support/routes.js';
import { uniqueAccountId } from '../support/stores.js';
import { redisCounts } from './clients.js';

const silent = createLogger('silent');

function event(accountId: string, webhookId: string): OperationalEvent {
  return newOperationalEvent({
    accountId,
    type: 'WEBHOOK_DISABLED',
    webhookId,
    invocationId: null,
    reason: 'deactivated: the target answered 410 Gone',
    occurredAt: new Date('2026-01-02T03:04:05.678Z'),
  });
}

/** The operational feed is the invocation feed's machinery (./invocation-feed.test.ts) on channels of its own. */
describe('the operational event feed', () => {
  test('across processes through Redis: on the same connections as invocation updates, apart from them', async () => {
    const url = inject('redisUrl');
    const api = createRedisFeeds({ url, log: silent });
    const worker = createRedisFeeds({ url, log: silent });
    try {
      const accountId = uniqueAccountId();
      const ops = api.operational.subscribe(accountId, null);
      const invocations = api.invocations.subscribe(accountId, null);
      const onlyW2 = api.operational.subscribe(accountId, 'wh_2');
      await eventually(async () => (await redisCounts(url, operationalChannelOf(accountId))).numsub === 1);
      // One pair of connections per process, whichever feeds it has.
      expect(api.operational.stats.redis).toEqual(api.invocations.stats.redis);

      worker.invocations.publish({ accountId, webhookId: 'wh_1', id: 'inv_x' } as Invocation);
      const sent = [event(accountId, 'wh_1'), event(accountId, 'wh_2')];
      for (const e of sent) worker.operational.publish(e);
      expect(await ops.next()).toEqual({ value: sent[0], done: false });
      expect(await ops.next()).toEqual({ value: sent[1], done: false });
      expect(await onlyW2.next()).toEqual({ value: sent[1], done: false });
      // The invocation update reached the invocation subscriber, and only it.
      expect(await invocations.next()).toMatchObject({ value: { id: 'inv_x' } });
      expect((sent[0] as OperationalEvent).occurredAt).toBeInstanceOf(Date);
      for (const s of [ops, invocations, onlyW2]) await s.return?.();
    } finally {
      const names = api.invocations.stats.redis;
      await api.invocations.close();
      // Still open while the other feed on them is.
      expect(api.operational.stats.redis).toEqual(names);
      await api.operational.close();
      await Promise.all([worker.invocations.close(), worker.operational.close()]);
      // Closed with the last feed: the subscriber connection is gone from the server.
      await eventually(
        async () => (await redisCounts(url, 'none', names?.subscriber)).connectionSubs === null,
      );
    }
  });

  test('a subscriber that falls behind is told to query operationalEvents', async () => {
    const feed = createInProcessOperationalFeed({ bufferSize: 2 });
    try {
      const accountId = uniqueAccountId();
      const slow = feed.subscribe(accountId, null);
      for (let i = 0; i < 3; i++) feed.publish(event(accountId, 'wh_1'));
      const last = (await slow.next()).value;
      expect(last).toBeInstanceOf(SubscriberTooSlow);
      expect((last as SubscriberTooSlow).message).toMatch(/query operationalEvents to catch up$/);
    } finally {
      await feed.close();
    }
  });
});

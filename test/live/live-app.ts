/**
 * A test app listening on a loopback port with its dispatcher running, real HTTPS receivers, and the
 * live feed in-process or through the run's Redis: what the live-update tests subscribe to.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import type { FeedOptions } from '../../src/live/feed.js';
import { channelOf, type InvocationFeed } from '../../src/live/invocation-feed.js';
import { PublishEvent, TestWebhook } from '../dispatch/operations.js';
import type { CreateWebhookInput } from '../gql/graphql.js';
import { CreateWebhook } from '../graphql/operations.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { webhookInput } from '../support/factories.js';
import { eventually, type Routes, startRoutes } from '../support/routes.js';
import type { StoreKind } from '../support/stores.js';
import { testCa } from '../support/tls.js';
import { redisCounts } from './clients.js';

export const FEED_KINDS = ['in-process', 'redis'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export interface LiveApp {
  t: TestApp;
  routes: Routes;
  feed: InvocationFeed;
  /** http://127.0.0.1:<port> */
  base: string;
  /** A fresh account (its own feed channel) and its admin key. */
  account(): Promise<{ accountId: string; token: string }>;
  /** Resolves once `n` subscriptions of the account are attached (and, on Redis, subscribed there). */
  subscribed(accountId: string, n: number): Promise<void>;
  createWebhook(token: string, overrides: Partial<CreateWebhookInput>): Promise<string>;
  publish(token: string, flowId: string): Promise<{ invocationIds: string[] }>;
  testWebhook(token: string, id: string): Promise<{ invocationId: string; success: boolean }>;
  close(): Promise<void>;
}

export const flow = () => `flow_${randomBytes(5).toString('hex')}`;

export async function startLiveApp(
  kind: StoreKind,
  feedKind: FeedKind,
  options: { feed?: FeedOptions; env?: Record<string, string> } = {},
): Promise<LiveApp> {
  const routes = await startRoutes();
  const t = await createTestApp(kind, {
    dispatch: true,
    feed: options.feed,
    env: {
      DISPATCH_ALLOWED_CIDRS: '127.0.0.0/8',
      DISPATCH_RESOLVE: `${routes.receiver.host}:443=127.0.0.1:${routes.receiver.port}`,
      DISPATCH_CA_FILE: testCa().caFile,
      DISPATCH_RETRY_SCHEDULE: '0,100ms,100ms',
      ...(feedKind === 'redis' ? { REDIS_URL: inject('redisUrl') } : {}),
      ...options.env,
    },
  });
  await new Promise<void>((resolve) => t.app.server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const feed = t.runtime.services.invocationFeed;

  return {
    t,
    routes,
    feed,
    base,
    account: () => t.newAccount(),
    async subscribed(accountId, n) {
      await eventually(() => feed.subscribersOf(accountId) >= n).catch((err: Error) => {
        throw new Error(`${feed.subscribersOf(accountId)} of ${n} subscriptions attached: ${err.message}`);
      });
      if (feedKind === 'redis') {
        await eventually(
          async () => (await redisCounts(inject('redisUrl'), channelOf(accountId))).numsub >= 1,
        );
      }
    },
    async createWebhook(token, overrides) {
      const res = await t.as(token).gql(CreateWebhook, { input: webhookInput(overrides) });
      const result = res.data?.createWebhook;
      if (result?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(res));
      return result.webhook.id;
    },
    async publish(token, flowId) {
      const event = sampleEvent('RequestCreated');
      event.data.id = `req_${randomBytes(4).toString('hex')}`;
      event.data.access_flow = { id: flowId, name: 'Flow under test' };
      const res = await t.as(token).gql(PublishEvent, { event });
      const result = res.data?.publishEvent;
      if (result?.__typename !== 'PublishEventSuccess') throw new Error(JSON.stringify(res));
      return { invocationIds: result.invocations.map((i) => i.id) };
    },
    async testWebhook(token, id) {
      const res = await t.as(token).gql(TestWebhook, { id });
      const result = res.data?.testWebhook;
      if (result?.__typename !== 'TestWebhookSuccess') throw new Error(JSON.stringify(res));
      return { invocationId: result.invocation.id, success: result.success };
    },
    async close() {
      await t.app.close(1_000);
      await t.close();
      await routes.close();
    },
  };
}

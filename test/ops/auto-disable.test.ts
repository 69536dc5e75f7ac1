import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import { GetInvocation, PublishEvent } from '../dispatch/operations.js';
import { CreateWebhook, GetWebhook, UpdateWebhook } from '../graphql/operations.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';
import { webhookInput } from '../support/factories.js';
import { sample } from '../support/metrics.js';
import { eventually, json, loopbackEnv, type Routes, startRoutes } from '../support/routes.js';
import { STORE_KINDS } from '../support/stores.js';

/**
 * The window passes by moving the workers' clock (../support/clock.ts), not by sleeping: it is the
 * default 5 days, so no delivery can cross it unless the test moves the clock. The tests do not run
 * concurrently: a clock moved 5 days ahead would also make the lease of a delivery in flight look
 * expired, and each test moves it only while none of its app's deliveries is in flight.
 */
const WINDOW_MS = 5 * 86_400_000;

describe.each(STORE_KINDS)('auto-disable on %s', (kind) => {
  let t: TestApp;
  let routes: Routes;
  const clock = testClock();
  beforeAll(async () => {
    routes = await startRoutes();
    t = await createTestApp(kind, {
      dispatch: true,
      now: clock.now,
      env: {
        ...loopbackEnv(routes),
        DISPATCH_RETRY_SCHEDULE: '0',
        AUTO_DISABLE_AFTER: `${WINDOW_MS}ms`,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await routes?.close();
  });

  async function setup(handler: Parameters<Routes['route']>[0]) {
    const route = routes.route(handler);
    const flowId = `flow_${randomBytes(4).toString('hex')}`;
    const res = await t.gql(CreateWebhook, {
      input: webhookInput({ url: route.url(), filters: { accessFlowIds: [flowId] } }),
    });
    if (res.data?.createWebhook?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(res));
    const webhookId = res.data.createWebhook.webhook.id;
    const deliverOnce = async () => {
      const event = sampleEvent('RequestCreated');
      event.data.access_flow = { id: flowId, name: 'auto-disable' };
      const published = await t.gql(PublishEvent, { event });
      if (published.data?.publishEvent?.__typename !== 'PublishEventSuccess')
        throw new Error(JSON.stringify(published));
      const id = published.data.publishEvent.invocations[0]?.id;
      if (!id) return null;
      return eventually(async () => {
        const inv = (await t.gql(GetInvocation, { id })).data?.invocation;
        return inv && (inv.status === 'SUCCEEDED' || inv.status === 'FAILED') ? inv : undefined;
      });
    };
    const webhook = async () => (await t.gql(GetWebhook, { id: webhookId })).data?.webhook;
    const stored = async () => t.stores.webhooks.get(t.accountId, webhookId);
    return { webhookId, deliverOnce, webhook, stored };
  }

  const disabledCount = async () =>
    sample(await t.runtime.services.metrics.registry.metrics(), 'webhook_auto_disabled_total', {
      reason: 'failing',
    });

  test('deliveries that all fail for the window deactivate the webhook; reactivating starts over', async () => {
    const h = await setup((_req, res) => json(res, 400, { rejected: true }));
    const before = await disabledCount();
    expect((await h.deliverOnce())?.status).toBe('FAILED');
    expect((await h.stored())?.failingSince).toBeInstanceOf(Date);
    expect((await h.webhook())?.status).toBe('ACTIVE');

    clock.advance(WINDOW_MS);
    expect((await h.deliverOnce())?.status).toBe('FAILED');
    const disabled = await h.webhook();
    expect(disabled?.status).toBe('INACTIVE');
    expect(disabled?.disabledReason).toMatch(/every delivery has failed since/);
    expect((await disabledCount()) - before).toBeGreaterThanOrEqual(1);
    // Deactivated: new events are not delivered to it.
    expect(await h.deliverOnce()).toBeNull();

    const res = await t.gql(UpdateWebhook, { id: h.webhookId, input: { status: 'ACTIVE' } });
    expect(res.data?.updateWebhook).toMatchObject({ webhook: { status: 'ACTIVE', disabledReason: null } });
    expect((await h.stored())?.failingSince ?? null).toBeNull();
    // A fresh failure after reactivation starts a new window instead of disabling at once.
    expect((await h.deliverOnce())?.status).toBe('FAILED');
    expect((await h.webhook())?.status).toBe('ACTIVE');
  });

  test('any success resets the window', async () => {
    let calls = 0;
    const h = await setup((_req, res) =>
      calls++ === 1 ? json(res, 200, { ok: true }) : json(res, 500, { down: true }),
    );
    expect((await h.deliverOnce())?.status).toBe('FAILED');
    expect((await h.deliverOnce())?.status).toBe('SUCCEEDED');
    expect((await h.stored())?.failingSince ?? null).toBeNull();
    clock.advance(WINDOW_MS);
    expect((await h.deliverOnce())?.status).toBe('FAILED');
    expect((await h.webhook())?.status).toBe('ACTIVE');
  });
});

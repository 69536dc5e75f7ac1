import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import { GetInvocation, PublishEvent } from '../dispatch/operations.js';
import type { CreateWebhookInput } from '../gql/graphql.js';
import { CreateWebhook } from '../graphql/operations.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { webhookInput } from '../support/factories.js';
import { sample } from '../support/metrics.js';
import { eventually, json, loopbackEnv, type Routes, startRoutes } from '../support/routes.js';

/** Scrapes /metrics before and after known work; a dedicated app so the counts are exact. */
describe('GET /metrics', () => {
  let t: TestApp;
  let routes: Routes;
  let base: string;
  beforeAll(async () => {
    routes = await startRoutes();
    t = await createTestApp('sqlite', {
      dispatch: true,
      env: {
        ...loopbackEnv(routes),
        DISPATCH_RETRY_SCHEDULE: '0,50ms',
      },
    });
    await new Promise<void>((r) => t.app.server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t?.app.close(500);
    await t?.close();
    await routes?.close();
  });

  const scrape = async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    return res.text();
  };

  async function deliver(overrides: Partial<CreateWebhookInput>) {
    const flowId = `flow_${randomBytes(4).toString('hex')}`;
    const created = await t.gql(CreateWebhook, {
      input: webhookInput({ ...overrides, filters: { accessFlowIds: [flowId] } }),
    });
    if (created.data?.createWebhook?.__typename !== 'CreateWebhookSuccess')
      throw new Error(JSON.stringify(created));
    const event = sampleEvent('RequestCreated');
    event.data.access_flow = { id: flowId, name: 'metrics' };
    const published = await t.gql(PublishEvent, { event });
    if (published.data?.publishEvent?.__typename !== 'PublishEventSuccess')
      throw new Error(JSON.stringify(published));
    const id = published.data.publishEvent.invocations[0]?.id as string;
    const inv = await eventually(async () => {
      const i = (await t.gql(GetInvocation, { id })).data?.invocation;
      return i && (i.status === 'SUCCEEDED' || i.status === 'FAILED') ? i : undefined;
    });
    return { webhookId: created.data.createWebhook.webhook.id, inv };
  }

  test('counters, histograms and gauges move by exactly the work done', async () => {
    const before = await scrape();
    expect(sample(before, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(before, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);

    let flaky = 0;
    const ok = routes.route();
    const bad = routes.route((_req, res) => json(res, 400, { no: true }));
    const gone = routes.route((_req, res) => json(res, 410, { gone: true }));
    const flakyRoute = routes.route((_req, res) => (flaky++ === 0 ? json(res, 503, {}) : json(res, 200, {})));
    const token = routes.route((_req, res) => json(res, 200, { access_token: 'tok', expires_in: 3600 }));
    const oauth = {
      clientId: 'metrics-client',
      clientSecret: 'metrics-secret-123456',
      tokenEndpointUrl: token.url('/token'),
    };

    await deliver({ url: ok.url() }); // success
    await deliver({ url: ok.url(), oauth }); // success, 1 token fetch
    await deliver({ url: ok.url(), oauth: { ...oauth, clientId: 'metrics-client' } }); // another webhook: own cache key
    const failing = await deliver({ url: bad.url() }); // fail HTTP_STATUS
    await deliver({ url: gone.url() }); // gone, webhook disabled
    const retried = await deliver({ url: flakyRoute.url() }); // retry, then success
    expect(failing.inv.status).toBe('FAILED');
    expect(retried.inv.attemptCount).toBe(2);

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(delta('webhook_attempts_total', { outcome: 'success', error_code: 'none' })).toBe(4);
    expect(delta('webhook_attempts_total', { outcome: 'fail', error_code: 'HTTP_STATUS' })).toBe(1);
    expect(delta('webhook_attempts_total', { outcome: 'gone', error_code: 'HTTP_STATUS' })).toBe(1);
    expect(delta('webhook_attempts_total', { outcome: 'retry', error_code: 'HTTP_STATUS' })).toBe(1);
    expect(delta('webhook_delivery_enqueue_to_send_seconds_count')).toBe(7);
    expect(delta('webhook_delivery_send_to_response_seconds_count')).toBe(7);
    expect(delta('webhook_oauth_token_fetches_total')).toBe(2);
    expect(delta('webhook_auto_disabled_total', { reason: 'gone' })).toBe(1);
    expect(sample(after, 'webhook_consecutive_failures', { webhook_id: failing.webhookId })).toBe(1);
    expect(sample(after, 'webhook_invocations', { status: 'SUCCEEDED' })).toBe(4);
    expect(sample(after, 'webhook_invocations', { status: 'FAILED' })).toBe(2);
    expect(sample(after, 'webhook_invocations', { status: 'PENDING' })).toBe(0);
    expect(sample(after, 'webhook_in_flight')).toBe(0);
  });
});

import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Client } from 'graphql-ws';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import { GetInvocation, PublishEvent } from '../dispatch/operations.js';
import type { OperationalEventsSubscription } from '../gql/graphql.js';
import { CreateWebhook, UpdateWebhook } from '../graphql/operations.js';
import { type ResultPayload, sseSubscribe, wsClient, wsSubscribe } from '../live/clients.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';
import { webhookInput } from '../support/factories.js';
import type { ReceivedRequest } from '../support/receiver.js';
import { eventually, json, loopbackEnv, type Routes, startRoutes } from '../support/routes.js';
import { STORE_KINDS, type StoreKind } from '../support/stores.js';
import {
  ClearOperationalWebhook,
  GetOperationalWebhook,
  ListOperationalEvents,
  OperationalEvents,
  SetOperationalWebhook,
} from './operational-operations.js';

/**
 * Operational events end to end, on both stores: a real dispatcher delivering to HTTPS receivers on
 * loopback, the events on a real graphql-ws (and SSE) subscription and POSTed, signed, to a real
 * HTTPS operational webhook through the guarded client. Every test has its own account.
 */

const WINDOW_MS = 5 * 86_400_000;

type Ops = OperationalEventsSubscription['operationalEvents'];
const eventsOf = (results: ResultPayload<OperationalEventsSubscription>[]) =>
  results.map((r) => r.data?.operationalEvents).filter((e): e is Ops => !!e);

interface LiveOps {
  t: TestApp;
  routes: Routes;
  base: string;
  ws(token: string): Client;
  /** Resolves once the account has `n` operational-event subscriptions in this process. */
  subscribed(accountId: string, n?: number): Promise<void>;
  close(): Promise<void>;
}

/** A name for the cloud metadata address: IP literals the guard refuses are refused at save already. */
const METADATA_HOST = 'metadata.internal.test';
const METADATA_RESOLVE = `${METADATA_HOST}:443=169.254.169.254:443`;

async function startApp(kind: StoreKind, env: Record<string, string>, now?: () => number): Promise<LiveOps> {
  const routes = await startRoutes();
  const t = await createTestApp(kind, {
    dispatch: true,
    now,
    env: { ...loopbackEnv(routes, METADATA_RESOLVE), ...env },
  });
  await new Promise<void>((resolve) => t.app.server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const clients: Client[] = [];
  return {
    t,
    routes,
    base,
    ws(token) {
      const client = wsClient(base, token);
      clients.push(client);
      return client;
    },
    async subscribed(accountId, n = 1) {
      await eventually(() => t.runtime.services.operationalFeed.subscribersOf(accountId) >= n);
    },
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await t.app.close(1_000);
      await t.close();
      await routes.close();
    },
  };
}

/** A webhook of `token`'s account behind its own filter, and a way to deliver one event to it. */
async function failingWebhook(live: LiveOps, token: string, handler: Parameters<Routes['route']>[0]) {
  const client = live.t.as(token);
  const flowId = `flow_${randomBytes(4).toString('hex')}`;
  const route = live.routes.route(handler);
  const res = await client.gql(CreateWebhook, {
    input: webhookInput({ url: route.url(), filters: { accessFlowIds: [flowId] } }),
  });
  if (res.data?.createWebhook?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(res));
  const webhookId = res.data.createWebhook.webhook.id;
  /** Publishes one event for it and waits for its invocation to finish; null when none was made. */
  const deliverOnce = async () => {
    const event = sampleEvent('RequestCreated');
    event.data.access_flow = { id: flowId, name: 'operational events' };
    const published = await client.gql(PublishEvent, { event });
    if (published.data?.publishEvent?.__typename !== 'PublishEventSuccess')
      throw new Error(JSON.stringify(published));
    const id = published.data.publishEvent.invocations[0]?.id;
    if (!id) return null;
    return eventually(async () => {
      const inv = (await client.gql(GetInvocation, { id })).data?.invocation;
      return inv && (inv.status === 'SUCCEEDED' || inv.status === 'FAILED') ? inv : undefined;
    });
  };
  return { webhookId, route, deliverOnce };
}

async function setOperational(
  live: LiveOps,
  token: string,
  url: string,
  headers = [] as { name: string; value?: string }[],
) {
  const res = await live.t.as(token).gql(SetOperationalWebhook, { url, headers });
  const result = res.data?.setOperationalWebhook;
  if (result?.__typename !== 'SetOperationalWebhookSuccess') throw new Error(JSON.stringify(res));
  return result;
}

/** The Standard Webhooks verification a receiver does; returns the payload. */
function verified(secret: string, received: ReceivedRequest): unknown {
  return new StandardWebhook(secret).verify(received.body, {
    'webhook-id': String(received.headers['webhook-id']),
    'webhook-timestamp': String(received.headers['webhook-timestamp']),
    'webhook-signature': String(received.headers['webhook-signature']),
  });
}

async function listed(live: LiveOps, token: string) {
  const res = await live.t.as(token).gql(ListOperationalEvents, { first: 100 });
  return res.data?.operationalEvents.edges.map((e) => e.node) ?? [];
}

/**
 * The window passes by moving the workers' clock, not by sleeping (as in ./auto-disable.test.ts):
 * these tests run one after another, and move it only while none of their deliveries is in flight.
 */
describe.each(STORE_KINDS)('system deactivations and reactivations on %s', (kind) => {
  let live: LiveOps;
  const clock = testClock();
  beforeAll(async () => {
    live = await startApp(
      kind,
      { DISPATCH_RETRY_SCHEDULE: '0', AUTO_DISABLE_AFTER: `${WINDOW_MS}ms` },
      clock.now,
    );
  });
  afterAll(async () => {
    await live?.close();
  });

  test('auto-disabling a webhook yields an operational event on the subscription and at the operational webhook', async () => {
    const { accountId, token } = await live.t.newAccount();
    const ops = live.routes.route();
    const set = await setOperational(live, token, ops.url('/ops'), [
      { name: 'Authorization', value: 'Bearer ops-receiver-token-1' },
    ]);
    const secret = set.signingSecret as string;
    expect(secret).toMatch(/^whsec_/);
    const sub = wsSubscribe(live.ws(token), OperationalEvents, {});
    await live.subscribed(accountId);

    const h = await failingWebhook(live, token, (_req, res) => json(res, 400, { rejected: true }));
    expect((await h.deliverOnce())?.status).toBe('FAILED');
    clock.advance(WINDOW_MS);
    expect((await h.deliverOnce())?.status).toBe('FAILED');

    // On the subscription, with the webhook as it is now.
    const [disabled] = eventsOf(await sub.waitFor((r) => eventsOf(r).length >= 1));
    expect(disabled).toMatchObject({
      type: 'WEBHOOK_DISABLED',
      webhookId: h.webhookId,
      invocationId: null,
      reason: expect.stringMatching(/^deactivated: every delivery has failed since /),
      webhook: { id: h.webhookId, status: 'INACTIVE' },
    });
    expect(disabled?.reason).toBe(disabled?.webhook?.disabledReason);

    // At the operational webhook: signed with the returned secret, its header sent, the event as JSON.
    const [received] = await ops.waitFor(1);
    if (!received) throw new Error('no request');
    expect(received.method).toBe('POST');
    expect(received.headers.authorization).toBe('Bearer ops-receiver-token-1');
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.headers['webhook-id']).toBe(disabled?.id);
    expect(verified(secret, received)).toEqual({
      type: 'WEBHOOK_DISABLED',
      timestamp: disabled?.occurredAt,
      data: {
        id: disabled?.id,
        type: 'WEBHOOK_DISABLED',
        webhookId: h.webhookId,
        invocationId: null,
        reason: disabled?.reason,
        occurredAt: disabled?.occurredAt,
      },
    });
    await eventually(async () => (await listed(live, token))[0]?.delivery.status === 'SUCCEEDED');
    expect((await listed(live, token))[0]).toMatchObject({
      id: disabled?.id,
      delivery: { status: 'SUCCEEDED', attempts: 1, lastError: null, deliveredAt: expect.any(String) },
    });

    // An admin turns it back on: WEBHOOK_ENABLED, live and at the operational webhook.
    const res = await live.t.as(token).gql(UpdateWebhook, { id: h.webhookId, input: { status: 'ACTIVE' } });
    expect(res.data?.updateWebhook).toMatchObject({ webhook: { status: 'ACTIVE', disabledReason: null } });
    const events = eventsOf(await sub.waitFor((r) => eventsOf(r).length >= 2));
    // The failed deliveries before were not retryable (400): they made no event of their own.
    expect(events.map((e) => e.type)).toEqual(['WEBHOOK_DISABLED', 'WEBHOOK_ENABLED']);
    expect(events[1]).toMatchObject({
      webhookId: h.webhookId,
      reason: `set ACTIVE again by an admin (it was ${disabled?.reason})`,
      webhook: { status: 'ACTIVE', disabledReason: null },
    });
    const [, enabled] = await ops.waitFor(2);
    expect(verified(secret, enabled as ReceivedRequest)).toMatchObject({
      type: 'WEBHOOK_ENABLED',
      data: { id: events[1]?.id, webhookId: h.webhookId },
    });
    // Setting an already active webhook ACTIVE again is no event.
    await live.t.as(token).gql(UpdateWebhook, { id: h.webhookId, input: { status: 'ACTIVE' } });
    await sub.close();
  });

  test('410 Gone deactivates at once; without an operational webhook the event is still live and listed', async () => {
    const { accountId, token } = await live.t.newAccount();
    const viewer = await live.t.newKey('VIEWER', accountId);
    // A VIEWER key may watch, over SSE as over graphql-ws.
    const sse = await sseSubscribe(live.base, viewer.token, OperationalEvents, {});
    await live.subscribed(accountId);
    const h = await failingWebhook(live, token, (_req, res) => json(res, 410, { gone: true }));
    expect((await h.deliverOnce())?.status).toBe('FAILED');
    const [gone] = eventsOf(await sse.waitFor((r) => eventsOf(r).length >= 1));
    expect(gone).toMatchObject({
      type: 'WEBHOOK_DISABLED',
      webhookId: h.webhookId,
      reason: expect.stringMatching(/410 Gone/),
      delivery: { status: 'NONE' },
    });
    expect(await listed(live, token)).toMatchObject([
      { id: gone?.id, delivery: { status: 'NONE', attempts: 0 } },
    ]);
    await sse.close();
  });
});

describe.each(STORE_KINDS)('operational events on %s', (kind) => {
  let live: LiveOps;
  beforeAll(async () => {
    live = await startApp(kind, { DISPATCH_RETRY_SCHEDULE: '0,50ms,50ms' });
  });
  afterAll(async () => {
    await live?.close();
  });

  /** A webhook whose target answers 410: one delivery deactivates it, one WEBHOOK_DISABLED event. */
  async function disableOne(token: string) {
    const h = await failingWebhook(live, token, (_req, res) => json(res, 410, {}));
    expect((await h.deliverOnce())?.status).toBe('FAILED');
    return h;
  }

  test.concurrent('an invocation that fails its last scheduled attempt: INVOCATION_EXHAUSTED', async () => {
    const { accountId, token } = await live.t.newAccount();
    const ops = live.routes.route();
    const { signingSecret } = await setOperational(live, token, ops.url());
    const h = await failingWebhook(live, token, (_req, res) => json(res, 503, { down: true }));
    const sub = wsSubscribe(live.ws(token), OperationalEvents, { webhookId: h.webhookId });
    await live.subscribed(accountId);
    const invocation = await h.deliverOnce();
    expect(invocation).toMatchObject({ status: 'FAILED', attemptCount: 3 });
    const [exhausted] = eventsOf(await sub.waitFor((r) => eventsOf(r).length >= 1));
    expect(exhausted).toMatchObject({
      type: 'INVOCATION_EXHAUSTED',
      webhookId: h.webhookId,
      invocationId: invocation?.id,
      reason: '3 attempts failed, the last: HTTP_STATUS: the target answered HTTP 503',
      webhook: { status: 'ACTIVE' },
    });
    const [received] = await ops.waitFor(1);
    expect(verified(signingSecret as string, received as ReceivedRequest)).toMatchObject({
      type: 'INVOCATION_EXHAUSTED',
      data: { id: exhausted?.id, invocationId: invocation?.id },
    });
    await sub.close();
  });

  test.concurrent('a failing operational webhook is retried with the same webhook-id until it answers', async () => {
    const { token } = await live.t.newAccount();
    let calls = 0;
    const ops = live.routes.route((_req, res) => (calls++ === 0 ? json(res, 503, {}) : json(res, 204, {})));
    const { signingSecret } = await setOperational(live, token, ops.url());
    await disableOne(token);
    const [first, second] = await ops.waitFor(2);
    expect(first?.headers['webhook-id']).toBe(second?.headers['webhook-id']);
    for (const r of [first, second])
      expect(() => verified(signingSecret as string, r as ReceivedRequest)).not.toThrow();
    await eventually(async () => (await listed(live, token))[0]?.delivery.status === 'SUCCEEDED');
    expect((await listed(live, token))[0]?.delivery).toMatchObject({ attempts: 2, lastError: null });
  });

  test.concurrent('deliveries go through the address guard: a blocked address fails, unretried', async () => {
    const { token } = await live.t.newAccount();
    await setOperational(live, token, `https://${METADATA_HOST}/latest/meta-data`);
    await disableOne(token);
    const event = await eventually(async () => {
      const [e] = await listed(live, token);
      return e?.delivery.status === 'FAILED' ? e : undefined;
    });
    expect(event.delivery).toMatchObject({
      attempts: 1,
      lastError: expect.stringMatching(/169\.254\.169\.254/),
    });
  });

  test.concurrent('setOperationalWebhook: the definition rules as field errors, the secret once, headers kept', async () => {
    const { accountId, token } = await live.t.newAccount();
    const admin = live.t.as(token);
    const bad = await admin.gql(SetOperationalWebhook, {
      url: 'http://ops.example.com:8443/x',
      headers: [
        { name: 'webhook-signature', value: 'x' },
        { name: 'X-Team', value: 'a' },
        { name: 'x-team', value: 'b' },
        { name: 'X-New' },
      ],
    });
    expect(bad.data?.setOperationalWebhook).toMatchObject({ __typename: 'ValidationError' });
    const paths =
      bad.data?.setOperationalWebhook.__typename === 'ValidationError'
        ? bad.data.setOperationalWebhook.fieldErrors.map((e) => e.path.join('.'))
        : [];
    expect(paths).toEqual(expect.arrayContaining(['url', 'headers.0.name', 'headers.2.name']));
    const missingValue = await admin.gql(SetOperationalWebhook, {
      url: 'https://ops.example.com/x',
      headers: [{ name: 'X-New' }],
    });
    expect(missingValue.data?.setOperationalWebhook).toMatchObject({
      fieldErrors: [{ path: ['headers', '0', 'value'], message: 'is required for a new header' }],
    });
    expect((await admin.gql(GetOperationalWebhook)).data?.operationalWebhook).toBeNull();

    const first = await setOperational(live, token, 'https://ops.example.com/a', [
      { name: 'Authorization', value: 'Bearer a-long-ops-token' },
    ]);
    expect(first.signingSecret).toMatch(/^whsec_/);
    expect(first.operationalWebhook.headers).toEqual([{ name: 'Authorization', value: '••••oken' }]);
    // Changing the URL keeps the secret (not shown again) and, with no value sent, the header's value.
    const second = await setOperational(live, token, 'https://ops.example.com:443/b', [
      { name: 'authorization' },
    ]);
    expect(second.signingSecret).toBeNull();
    expect(second.operationalWebhook).toMatchObject({
      url: 'https://ops.example.com/b',
      headers: [{ name: 'authorization', value: '••••oken' }],
    });
    const stored = await live.t.stores.operational.getWebhook(accountId);
    expect(live.t.secrets.decrypt(stored?.headers[0]?.value as never, accountId)).toBe(
      'Bearer a-long-ops-token',
    );
    const rotated = await admin.gql(SetOperationalWebhook, {
      url: 'https://ops.example.com/b',
      rotate: true,
    });
    const secret = rotated.data?.setOperationalWebhook;
    expect(secret?.__typename === 'SetOperationalWebhookSuccess' && secret.signingSecret).toMatch(/^whsec_/);
    expect(secret?.__typename === 'SetOperationalWebhookSuccess' && secret.signingSecret).not.toBe(
      first.signingSecret,
    );

    // Viewers read it (masked), only admins change it.
    const viewer = live.t.as((await live.t.newKey('VIEWER', accountId)).token);
    expect((await viewer.gql(GetOperationalWebhook)).data?.operationalWebhook?.url).toBe(
      'https://ops.example.com/b',
    );
    const refused = await viewer.gql(ClearOperationalWebhook);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await admin.gql(ClearOperationalWebhook)).data?.clearOperationalWebhook).toEqual({
      cleared: true,
    });
    expect((await admin.gql(ClearOperationalWebhook)).data?.clearOperationalWebhook).toEqual({
      cleared: false,
    });
    expect((await admin.gql(GetOperationalWebhook)).data?.operationalWebhook).toBeNull();
  });

  test.concurrent('revoking the key ends its operationalEvents subscription', async () => {
    const { accountId, token } = await live.t.newAccount();
    const doomed = await live.t.newKey('VIEWER', accountId);
    const sub = wsSubscribe(live.ws(doomed.token), OperationalEvents, {});
    await live.subscribed(accountId);
    const res = await live.t.as(token).raw('mutation ($id: ID!) { revokeApiKey(id: $id) { __typename } }', {
      id: doomed.id,
    });
    expect(res.data?.revokeApiKey).toEqual({ __typename: 'RevokeApiKeySuccess' });
    // Only the revocation can end it: the wait is for that event, bounded by the test's timeout.
    await sub.ended;
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import { fanOut, newInvocation, sweepUnfannedEvents } from '../../src/domain/event-use-cases.js';
import { newId } from '../../src/domain/ids.js';
import type { StoredEvent } from '../../src/domain/invocation.js';
import type { CreateWebhookInput } from '../gql/graphql.js';
import { CreateWebhook } from '../graphql/operations.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { testClock } from '../support/clock.js';
import { webhookInput } from '../support/factories.js';
import { eventually, json, loopbackEnv, type Routes, startRoutes } from '../support/routes.js';
import { STORE_KINDS } from '../support/stores.js';
import { testCa } from '../support/tls.js';
import { GetInvocation, PublishEvent } from './operations.js';

const flow = () => `flow_${randomBytes(5).toString('hex')}`;
function scopedEvent(flowId: string) {
  const event = sampleEvent('RequestCreated');
  event.data.access_flow = { id: flowId, name: 'Flow under test' };
  return event;
}

function helpers(app: () => TestApp) {
  return {
    async create(overrides: Partial<CreateWebhookInput>) {
      const res = await app().gql(CreateWebhook, { input: webhookInput(overrides) });
      const result = res.data?.createWebhook;
      if (result?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(res));
      return result.webhook;
    },
    async publish(event: unknown) {
      const res = await app().gql(PublishEvent, { event });
      const result = res.data?.publishEvent;
      if (result?.__typename !== 'PublishEventSuccess') throw new Error(JSON.stringify(res));
      return result;
    },
    async settled(id: string) {
      return eventually(async () => {
        const inv = (await app().gql(GetInvocation, { id })).data?.invocation;
        return inv && (inv.status === 'SUCCEEDED' || inv.status === 'FAILED') ? inv : undefined;
      });
    },
  };
}

describe.each(STORE_KINDS)('OAuth, concurrency and fan-out recovery on %s', (kind) => {
  let t: TestApp;
  let routes: Routes;
  const h = helpers(() => t);
  /**
   * Moved forward by a minute at most (a token's lifetime), well inside the 5-minute lease, so the
   * concurrent tests' deliveries in flight keep their claims when it moves.
   */
  const clock = testClock();
  beforeAll(async () => {
    routes = await startRoutes();
    t = await createTestApp(kind, {
      dispatch: true,
      now: clock.now,
      env: {
        ...loopbackEnv(routes),
        DISPATCH_RETRY_SCHEDULE: '0,100ms',
        DISPATCH_PER_WEBHOOK_CONCURRENCY: '2',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await routes?.close();
  });

  /** A token endpoint that issues tok-1, tok-2, … and a target that accepts any token not revoked. */
  function oauthPair(expiresIn: number) {
    let issued = 0;
    const revoked = new Set<string>();
    const tokenRoute = routes.route((req, res) => {
      issued++;
      const form = new URLSearchParams(req.body);
      if (form.get('grant_type') !== 'client_credentials')
        return json(res, 400, { error: 'unsupported_grant_type' });
      json(res, 200, { access_token: `tok-${issued}`, token_type: 'Bearer', expires_in: expiresIn });
    });
    const target = routes.route((req, res) => {
      const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!token.startsWith('tok-') || revoked.has(token)) return json(res, 401, { error: 'invalid_token' });
      json(res, 200, { ok: true });
    });
    return { tokenRoute, target, revoked, issued: () => issued };
  }

  test.concurrent('OAuth: one token for many deliveries, a fresh one after a 401', async () => {
    const { tokenRoute, target, revoked, issued } = oauthPair(3600);
    const flowId = flow();
    await h.create({
      url: target.url(),
      filters: { accessFlowIds: [flowId] },
      oauth: {
        clientId: 'client-a',
        clientSecret: 'secret-a-123456',
        tokenEndpointUrl: tokenRoute.url('/token'),
        scopes: ['hooks'],
      },
    });
    for (let i = 0; i < 6; i++) await h.publish(scopedEvent(flowId));
    const received = await target.waitFor(6);
    expect(received.every((r) => r.headers.authorization === 'Bearer tok-1')).toBe(true);
    expect(issued()).toBe(1);
    const [tokenRequest] = tokenRoute.requests();
    expect(tokenRequest?.method).toBe('POST');
    expect(tokenRequest?.headers.authorization).toBe(
      `Basic ${Buffer.from('client-a:secret-a-123456').toString('base64')}`,
    );
    expect(new URLSearchParams(tokenRequest?.body).get('scope')).toBe('hooks');

    revoked.add('tok-1');
    const published = await h.publish(scopedEvent(flowId));
    const inv = await h.settled(published.invocations[0]?.id as string);
    expect(inv).toMatchObject({ status: 'SUCCEEDED', attemptCount: 1 });
    expect(issued()).toBe(2);
    expect(
      target
        .requests()
        .slice(-2)
        .map((r) => r.headers.authorization),
    ).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(inv.attempts[0]?.request.headers).toEqual(
      expect.arrayContaining([{ name: 'authorization', value: 'Bearer ••••' }]),
    );
  });

  test.concurrent('OAuth: the token is fetched again after it expires', async () => {
    // Cached for 54 s (60 s less the 10 % skew of short lifetimes); only the clock makes it pass.
    const { tokenRoute, target, issued } = oauthPair(60);
    const flowId = flow();
    await h.create({
      url: target.url(),
      filters: { accessFlowIds: [flowId] },
      oauth: {
        clientId: 'client-b',
        clientSecret: 'secret-b-123456',
        tokenEndpointUrl: tokenRoute.url('/token'),
      },
    });
    await h.publish(scopedEvent(flowId));
    await target.waitFor(1);
    expect(issued()).toBe(1);
    clock.advance(60_000);
    await h.publish(scopedEvent(flowId));
    const received = await target.waitFor(2);
    expect(issued()).toBe(2);
    expect(received.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  test.concurrent('OAuth: a token endpoint failure is an OAUTH error and is retried', async () => {
    const tokenRoute = routes.route((_req, res) => json(res, 401, { error: 'invalid_client' }));
    const target = routes.route();
    const flowId = flow();
    await h.create({
      url: target.url(),
      filters: { accessFlowIds: [flowId] },
      oauth: {
        clientId: 'client-c',
        clientSecret: 'wrong-secret-9999',
        tokenEndpointUrl: tokenRoute.url('/token'),
      },
    });
    const inv = await h.settled((await h.publish(scopedEvent(flowId))).invocations[0]?.id as string);
    expect(inv).toMatchObject({ status: 'FAILED', attemptCount: 2 });
    expect(inv.attempts.map((a) => a.error?.code)).toEqual(['OAUTH', 'OAUTH']);
    expect(JSON.stringify(inv)).not.toContain('wrong-secret-9999');
    expect(target.requests()).toHaveLength(0);
  });

  test.concurrent('no more than DISPATCH_PER_WEBHOOK_CONCURRENCY deliveries to one webhook at once', async () => {
    const EVENTS = 8;
    let current = 0;
    let peak = 0;
    let arrived = 0;
    // Each request is held until a second one is held with it (or it is the last): with a limit of
    // 2 the pairs always come, so the peak is reached however slowly the requests travel.
    const held = new Set<() => void>();
    const target = routes.route(async (_req, res) => {
      current++;
      arrived++;
      peak = Math.max(peak, current);
      await new Promise<void>((release) => {
        held.add(release);
        if (current >= 2 || arrived === EVENTS) {
          for (const r of held) r();
          held.clear();
        }
      });
      current--;
      json(res, 200, { ok: true });
    });
    const flowId = flow();
    await h.create({ url: target.url(), filters: { accessFlowIds: [flowId] } });
    const published = await Promise.all(Array.from({ length: EVENTS }, () => h.publish(scopedEvent(flowId))));
    await target.waitFor(EVENTS);
    for (const p of published)
      expect((await h.settled(p.invocations[0]?.id as string)).status).toBe('SUCCEEDED');
    expect(peak).toBe(2);
  });

  test.concurrent('a fan-out interrupted by a crash is finished by the sweep, exactly once', async () => {
    const target = routes.route();
    const flowId = flow();
    const webhook = await h.create({ url: target.url(), filters: { accessFlowIds: [flowId] } });
    const deps = {
      webhooks: t.stores.webhooks,
      events: t.stores.events,
      invocations: t.stores.invocations,
      notifyWork: () => t.dispatcher?.wake(),
    };
    // The state a crash between "event stored" and "invocations written" leaves behind.
    const event: StoredEvent = {
      id: newId('Event'),
      accountId: t.accountId,
      trigger: 'RequestCreated',
      payload: scopedEvent(flowId),
      idempotencyKey: null,
      test: false,
      fannedOut: false,
      createdAt: new Date(Date.now() - 60_000),
    };
    await t.stores.events.insert(event);
    // …or a crash after some invocations were written: the re-run must not add a second one.
    await t.stores.invocations.insertMany([
      newInvocation({ id: webhook.id, accountId: t.accountId }, event, new Date()),
    ]);
    // The dispatcher's own periodic sweep may get to the event first (it moves with the clock the
    // OAuth test advances): either way, once a sweep has run, the event is finished.
    await sweepUnfannedEvents(deps, 30_000, 10_000);
    expect((await t.stores.events.get(t.accountId, event.id))?.fannedOut).toBe(true);
    await fanOut(deps, event);
    const stored = await t.stores.invocations.list(t.accountId, { first: 10, eventId: event.id });
    expect(stored.items).toHaveLength(1);
    // The one invocation finished: with no other invocation of the event, nothing more can be sent.
    expect((await h.settled(stored.items[0]?.id as string)).status).toBe('SUCCEEDED');
    expect(
      (await t.stores.invocations.list(t.accountId, { first: 10, eventId: event.id })).items,
    ).toHaveLength(1);
    expect(target.requests()).toHaveLength(1);
  });
});

describe('SSRF guard without an allow-list', () => {
  let t: TestApp;
  let routes: Routes;
  const h = helpers(() => t);
  beforeAll(async () => {
    routes = await startRoutes();
    t = await createTestApp('sqlite', {
      dispatch: true,
      env: {
        DISPATCH_RESOLVE: `${routes.receiver.host}:443=127.0.0.1:${routes.receiver.port},internal.example.com:443=10.1.2.3:443`,
        DISPATCH_CA_FILE: testCa().caFile,
        DISPATCH_RETRY_SCHEDULE: '0,50ms,50ms',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await routes?.close();
  });

  // Host names: judged when resolved, at delivery. (IP literals the guard refuses are refused at
  // save already, by the same rule: test/graphql/address-rule.test.ts, and below.)
  test.concurrent.each([
    ['a hostname that resolves to loopback', 'https://localhost/hook', /loopback/],
    ['a loopback receiver reached through a resolve rule', null, /loopback/],
    ['a private address', 'https://internal.example.com/hook', /private/],
  ])('%s is refused, not retried, and nothing is sent', async (_label, url, reason) => {
    const route = routes.route();
    const flowId = flow();
    await h.create({ url: url ?? route.url(), filters: { accessFlowIds: [flowId] } });
    const inv = await h.settled((await h.publish(scopedEvent(flowId))).invocations[0]?.id as string);
    expect(inv).toMatchObject({ status: 'FAILED', attemptCount: 1 });
    expect(inv.lastAttempt?.error?.code).toBe('SSRF_BLOCKED');
    expect(inv.lastAttempt?.error?.message).toMatch(reason);
    expect(route.requests()).toHaveLength(0);
  });

  test.concurrent.each([
    ['an IPv4 loopback literal', 'https://127.0.0.1/hook', /loopback/],
    ['an IPv6 loopback literal', 'https://[::1]/hook', /loopback/],
    ['an IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/hook', /loopback/],
    ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data', /metadata/],
    ['a CGNAT address', 'https://100.64.0.1/hook', /CGNAT/],
    ['the unspecified address', 'https://0.0.0.0/hook', /unspecified/],
  ])(
    '%s is refused at save, in the words of the guard; one stored before the rule, at delivery',
    async (_label, url, reason) => {
      const res = await t.gql(CreateWebhook, { input: webhookInput({ url }) });
      const result = res.data?.createWebhook;
      expect(result?.__typename).toBe('ValidationError');
      if (result?.__typename !== 'ValidationError') return;
      expect(result.fieldErrors).toContainEqual({
        path: ['input', 'url'],
        message: expect.stringMatching(reason),
      });

      // A webhook stored with such a URL before the rule existed: the guard still refuses it.
      const route = routes.route();
      const flowId = flow();
      const { id } = await h.create({ url: route.url(), filters: { accessFlowIds: [flowId] } });
      const stored = await t.stores.webhooks.get(t.accountId, id);
      if (!stored) throw new Error('the webhook was not stored');
      expect(
        await t.stores.webhooks.update({ ...stored, url, version: stored.version + 1 }, stored.version),
      ).toBe('ok');
      const inv = await h.settled((await h.publish(scopedEvent(flowId))).invocations[0]?.id as string);
      expect(inv).toMatchObject({ status: 'FAILED', attemptCount: 1 });
      expect(inv.lastAttempt?.error?.code).toBe('SSRF_BLOCKED');
      expect(inv.lastAttempt?.error?.message).toMatch(reason);
      expect(route.requests()).toHaveLength(0);
    },
  );
});

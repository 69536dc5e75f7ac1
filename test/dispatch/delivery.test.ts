import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sampleEvent, type Trigger } from '../../src/domain/event.js';
import type { CreateWebhookInput } from '../gql/graphql.js';
import { CreateWebhook, GetWebhook, UpdateWebhook } from '../graphql/operations.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { webhookInput } from '../support/factories.js';
import { eventually, json, loopbackEnv, type Routes, startRoutes } from '../support/routes.js';
import { STORE_KINDS } from '../support/stores.js';
import {
  GetInvocation,
  ListInvocations,
  PublishEvent,
  PublishEvents,
  Recover,
  Redeliver,
  RotateSecret,
  TestWebhook,
  WebhookInvocations,
} from './operations.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** An event that only this test's webhooks match: each test filters on its own access flow id. */
function scopedEvent(flowId: string, trigger: Trigger = 'RequestCreated') {
  const event = sampleEvent(trigger);
  event.data.id = `req_${randomBytes(4).toString('hex')}`;
  event.data.access_flow = { id: flowId, name: 'Flow under test' };
  return event;
}

const flow = () => `flow_${randomBytes(5).toString('hex')}`;

describe.each(STORE_KINDS)('delivery on %s', (kind) => {
  let t: TestApp;
  let routes: Routes;
  beforeAll(async () => {
    routes = await startRoutes();
    const refused = await closedPort();
    t = await createTestApp(kind, {
      dispatch: true,
      env: {
        ...loopbackEnv(routes, `refused.loopback.test:443=127.0.0.1:${refused}`),
        DISPATCH_RETRY_SCHEDULE: '0,100ms,100ms',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await routes?.close();
  });

  async function create(overrides: Partial<CreateWebhookInput>) {
    const res = await t.gql(CreateWebhook, { input: webhookInput(overrides) });
    const result = res.data?.createWebhook;
    if (result?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(res));
    return result;
  }

  async function publish(event: unknown, idempotencyKey?: string) {
    const res = await t.gql(PublishEvent, { event, idempotencyKey });
    const result = res.data?.publishEvent;
    if (result?.__typename !== 'PublishEventSuccess') throw new Error(JSON.stringify(res));
    return result;
  }

  async function settled(id: string, timeoutMs = 10_000) {
    return eventually(async () => {
      const inv = (await t.gql(GetInvocation, { id })).data?.invocation;
      return inv && (inv.status === 'SUCCEEDED' || inv.status === 'FAILED') ? inv : undefined;
    }, timeoutMs);
  }

  test.concurrent('a published event reaches the target rendered, with headers and a verifiable signature', async () => {
    const route = routes.route();
    const flowId = flow();
    const { webhook, signingSecret } = await create({
      url: route.url(),
      method: 'PUT',
      bodyTemplate:
        '{"request": "{{ data.friendly_id }}", "who": "{{ data.requester.name }}", "why": "{{ data.justification }}"}',
      headers: [
        { name: 'Authorization', value: 'Bearer target-token-123456' },
        { name: 'X-Team', value: 'security' },
      ],
      filters: { accessFlowIds: [flowId] },
    });
    const event = scopedEvent(flowId);
    const published = await publish(event);
    expect(published).toMatchObject({ matchedWebhookCount: 1, duplicate: false });
    const invocationId = published.invocations[0]?.id as string;

    const [received] = await route.waitFor(1);
    expect(received?.method).toBe('PUT');
    expect(JSON.parse(received?.body ?? '')).toEqual({
      request: 'AR-1042',
      who: 'Dana O"Brien',
      why: 'Investigating incident INC-311\nneed read access to prod orders',
    });
    expect(received?.headers).toMatchObject({
      authorization: 'Bearer target-token-123456',
      'x-team': 'security',
      'content-type': 'application/json',
      'webhook-id': invocationId,
    });
    expect(received?.headers['user-agent']).toMatch(/^access-webhooks\//);
    const verified = new StandardWebhook(signingSecret).verify(received?.body ?? '', {
      'webhook-id': String(received?.headers['webhook-id']),
      'webhook-timestamp': String(received?.headers['webhook-timestamp']),
      'webhook-signature': String(received?.headers['webhook-signature']),
    });
    expect(verified).toEqual(JSON.parse(received?.body ?? ''));

    const inv = await settled(invocationId);
    expect(inv).toMatchObject({ status: 'SUCCEEDED', attemptCount: 1, webhookId: webhook.id, test: false });
    const attempt = inv.attempts[0];
    expect(attempt?.request.method).toBe('PUT');
    expect(attempt?.request.url).toBe(route.url());
    expect(attempt?.request.body).toBe(received?.body);
    expect(attempt?.request.headers).toEqual(
      expect.arrayContaining([
        { name: 'Authorization', value: '••••3456' },
        { name: 'X-Team', value: '••••' },
        { name: 'webhook-id', value: invocationId },
      ]),
    );
    expect(JSON.stringify(inv)).not.toContain('target-token-123456');
    expect(attempt?.response).toMatchObject({ statusCode: 200, body: '{"ok":true}', bodyTruncated: false });
    expect(attempt?.error).toBeNull();
  });

  test.concurrent('matching: trigger, status and filters decide which webhooks get an invocation', async () => {
    const route = routes.route();
    const flowId = flow();
    const base = { url: route.url(), filters: { accessFlowIds: [flowId] } };
    const created = await create({ ...base, triggers: ['REQUEST_CREATED'] });
    await create({ ...base, triggers: ['REQUEST_APPROVED'] });
    await create({ ...base, status: 'INACTIVE' });
    const pg = await create({
      ...base,
      filters: { accessFlowIds: [flowId], integrationTypes: ['postgresql'] },
    });
    await create({ ...base, filters: { accessFlowIds: [flowId], integrationTypes: ['mysql'] } });
    const result = await publish(scopedEvent(flowId));
    expect(result.invocations.map((i) => i.webhookId).sort()).toEqual(
      [created.webhook.id, pg.webhook.id].sort(),
    );
    await route.waitFor(2);
  });

  test.concurrent('idempotency: the same key returns the first result and sends nothing new', async () => {
    const route = routes.route();
    const flowId = flow();
    const { webhook } = await create({ url: route.url(), filters: { accessFlowIds: [flowId] } });
    const key = `key-${randomBytes(6).toString('hex')}`;
    const first = await publish(scopedEvent(flowId), key);
    const second = await publish(scopedEvent(flowId), key);
    expect(second).toMatchObject({ eventId: first.eventId, duplicate: true, matchedWebhookCount: 1 });
    expect(second.invocations.map((i) => i.id)).toEqual(first.invocations.map((i) => i.id));
    // A second request would need a second invocation (publishEvent stores its invocations before
    // it answers) or a retry of the first: there is neither once the first has succeeded.
    expect(await settled(first.invocations[0]?.id as string)).toMatchObject({
      status: 'SUCCEEDED',
      attemptCount: 1,
    });
    const invocations = (await t.gql(WebhookInvocations, { id: webhook.id })).data?.webhook?.invocations;
    expect(invocations?.edges.map((e) => e.node.id)).toEqual(first.invocations.map((i) => i.id));
    expect(route.requests()).toHaveLength(1);
    const other = await publish(scopedEvent(flowId), `${key}-other`);
    expect(other.duplicate).toBe(false);
  });

  test.concurrent('publishEvent rejects a malformed event with field paths and stores nothing', async () => {
    const event = scopedEvent(flow()) as unknown as Record<string, unknown>;
    event.event_type = 'RequestExploded';
    (event.data as Record<string, unknown>).requester = { id: 1 };
    const res = await t.gql(PublishEvent, { event });
    const result = res.data?.publishEvent;
    if (result?.__typename !== 'ValidationError') throw new Error(JSON.stringify(res));
    const paths = result.fieldErrors.map((e) => e.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['event.event_type', 'event.data.requester.id', 'event.data.requester.name']),
    );
    const bad = await t.gql(PublishEvent, { event: 'not an object' });
    expect(bad.data?.publishEvent?.__typename).toBe('ValidationError');
  });

  test.concurrent('publishEvents: one request, an outcome per event in order, a bad event fails alone', async () => {
    const route = routes.route();
    const flowId = flow();
    const { webhook } = await create({ url: route.url(), filters: { accessFlowIds: [flowId] } });
    const bad = scopedEvent(flowId) as unknown as Record<string, unknown>;
    bad.event_type = 'RequestExploded';
    const key = `key-${randomBytes(6).toString('hex')}`;
    const events = [
      { event: scopedEvent(flowId) },
      { event: bad },
      { event: scopedEvent(flowId), idempotencyKey: key },
      { event: scopedEvent(flowId), idempotencyKey: key },
      { event: scopedEvent(flow()) },
    ];
    const res = await t.gql(PublishEvents, { events });
    const result = res.data?.publishEvents;
    if (result?.__typename !== 'PublishEventsSuccess') throw new Error(JSON.stringify(res));
    const [first, invalid, keyed, again, unmatched] = result.results;
    expect(result.results.map((r) => r.__typename)).toEqual([
      'PublishEventSuccess',
      'ValidationError',
      'PublishEventSuccess',
      'PublishEventSuccess',
      'PublishEventSuccess',
    ]);
    if (invalid?.__typename !== 'ValidationError') throw new Error('expected a ValidationError');
    expect(invalid.fieldErrors.map((e) => e.path.join('.'))).toContain('events.1.event.event_type');
    if (first?.__typename !== 'PublishEventSuccess' || keyed?.__typename !== 'PublishEventSuccess') return;
    if (again?.__typename !== 'PublishEventSuccess' || unmatched?.__typename !== 'PublishEventSuccess')
      return;
    expect(first.matchedWebhookCount).toBe(1);
    expect(unmatched.matchedWebhookCount).toBe(0);
    // Two events with one key in one batch: one is published, the other is its duplicate.
    expect([keyed.duplicate, again.duplicate].sort()).toEqual([false, true]);
    expect(again.eventId).toBe(keyed.eventId);
    const sent = [first, keyed].flatMap((r) => r.invocations.map((i) => i.id));
    for (const id of sent) expect(await settled(id)).toMatchObject({ status: 'SUCCEEDED', attemptCount: 1 });
    const stored = (await t.gql(WebhookInvocations, { id: webhook.id })).data?.webhook?.invocations;
    expect(stored?.edges.map((e) => e.node.id).sort()).toEqual(sent.sort());
    expect(route.requests()).toHaveLength(2);
  });

  test.concurrent('publishEvents refuses an empty batch and one over 500 events, storing nothing', async () => {
    const empty = (await t.gql(PublishEvents, { events: [] })).data?.publishEvents;
    expect(empty).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['events'] }] });
    const flowId = flow();
    const route = routes.route();
    await create({ url: route.url(), filters: { accessFlowIds: [flowId] } });
    const many = Array.from({ length: 501 }, () => ({ event: scopedEvent(flowId) }));
    const res = await t.gql(PublishEvents, { events: many });
    expect(res.data?.publishEvents).toMatchObject({ __typename: 'ValidationError' });
    const one = await publish(scopedEvent(flowId));
    await settled(one.invocations[0]?.id as string);
    expect(route.requests()).toHaveLength(1);
  });

  describe('response validators', () => {
    const cases: [string, (res: import('node:http').ServerResponse) => void, boolean, RegExp | null][] = [
      ['pass', (res) => json(res, 200, { result: { status: 'created', count: 2 } }), true, null],
      ['fail on value', (res) => json(res, 200, { result: { status: 'queued', count: 2 } }), false, /queued/],
      ['fail on a missing path', (res) => json(res, 200, { other: true }), false, /missing/],
      [
        'fail on a body that is not JSON',
        (res) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end('all good');
        },
        false,
        /not JSON/,
      ],
    ];
    test.concurrent.each(cases)('%s', async (label, respond, success, message) => {
      const route = routes.route((_req, res) => respond(res));
      const flowId = flow();
      await create({
        url: route.url(),
        filters: { accessFlowIds: [flowId] },
        responseValidators: [
          { jsonPath: '$.data.result.status', expectedValues: ['created', 'accepted'] },
          { jsonPath: '$.data.result.count', expectedValues: ['2'] },
        ],
      });
      const published = await publish(scopedEvent(flowId));
      const inv = await settled(published.invocations[0]?.id as string);
      expect(inv.status, label).toBe(success ? 'SUCCEEDED' : 'FAILED');
      // Validation failures are not retried.
      expect(inv.attemptCount).toBe(1);
      const attempt = inv.attempts[0];
      if (success) {
        expect(attempt?.validatorResults).toEqual([
          {
            jsonPath: '$.data.result.status',
            expectedValues: ['created', 'accepted'],
            actualValue: 'created',
            passed: true,
          },
          { jsonPath: '$.data.result.count', expectedValues: ['2'], actualValue: '2', passed: true },
        ]);
      } else {
        expect(attempt?.error?.code).toBe('RESPONSE_VALIDATION');
        expect(attempt?.error?.message).toMatch(message as RegExp);
        expect(attempt?.validatorResults.some((v) => !v.passed)).toBe(true);
      }
    });

    test.concurrent('customValidationErrorMessage is the error message when validation fails', async () => {
      const route = routes.route((_req, res) => json(res, 200, { ok: false }));
      const flowId = flow();
      await create({
        url: route.url(),
        filters: { accessFlowIds: [flowId] },
        responseValidators: [{ jsonPath: '$.data.ok', expectedValues: ['true'] }],
        customValidationErrorMessage: 'ServiceNow did not accept the incident',
      });
      const inv = await settled((await publish(scopedEvent(flowId))).invocations[0]?.id as string);
      expect(inv.lastAttempt?.error).toEqual({
        code: 'RESPONSE_VALIDATION',
        message: 'ServiceNow did not accept the incident',
      });
      expect(inv.attempts[0]?.validatorResults[0]).toMatchObject({ actualValue: 'false', passed: false });
    });
  });

  describe('retries', () => {
    test.concurrent('503 with Retry-After is retried no sooner than asked, then succeeds', async () => {
      let calls = 0;
      const route = routes.route((_req, res) => {
        calls++;
        if (calls === 1) return json(res, 503, { busy: true }, { 'retry-after': '1' });
        return json(res, 200, { ok: true });
      });
      const flowId = flow();
      await create({ url: route.url(), filters: { accessFlowIds: [flowId] } });
      const published = await publish(scopedEvent(flowId));
      const inv = await settled(published.invocations[0]?.id as string);
      expect(inv.status).toBe('SUCCEEDED');
      expect(inv.attempts.map((a) => a.response?.statusCode)).toEqual([503, 200]);
      expect(inv.attempts[0]?.error).toMatchObject({ code: 'HTTP_STATUS' });
      const requests = route.requests();
      expect(requests[1]?.headers['webhook-id']).toBe(requests[0]?.headers['webhook-id']);
      const gap = Date.parse(inv.attempts[1]?.startedAt ?? '') - Date.parse(inv.attempts[0]?.startedAt ?? '');
      expect(gap).toBeGreaterThanOrEqual(1_000);
    });

    test.concurrent('connection refused is retried through the whole schedule, then FAILED', async () => {
      const flowId = flow();
      await create({ url: 'https://refused.loopback.test/hook', filters: { accessFlowIds: [flowId] } });
      const published = await publish(scopedEvent(flowId));
      const inv = await settled(published.invocations[0]?.id as string);
      expect(inv.status).toBe('FAILED');
      expect(inv.attemptCount).toBe(3);
      expect(inv.attempts.map((a) => a.error?.code)).toEqual(['CONNECTION', 'CONNECTION', 'CONNECTION']);
      expect(inv.nextAttemptAt).toBeNull();
    });

    test.concurrent('a timeout is retried', async () => {
      let calls = 0;
      const route = routes.route((_req, res) => {
        calls++;
        if (calls === 1) {
          // Sound as a time: the client's 1 s timer starts before this one (when it sends), in this
          // same process, and timers fire in the order they expire, so the timeout always comes first.
          setTimeout(() => json(res, 200, { late: true }), 2_500);
          return;
        }
        json(res, 200, { ok: true });
      });
      const flowId = flow();
      await create({ url: route.url(), timeoutSeconds: 1, filters: { accessFlowIds: [flowId] } });
      const inv = await settled((await publish(scopedEvent(flowId))).invocations[0]?.id as string);
      expect(inv.status).toBe('SUCCEEDED');
      expect(inv.attempts.map((a) => a.error?.code ?? null)).toEqual(['TIMEOUT', null]);
    });

    test.concurrent('400 is not retried', async () => {
      const route = routes.route((_req, res) => json(res, 400, { error: 'bad payload' }));
      const flowId = flow();
      await create({ url: route.url(), filters: { accessFlowIds: [flowId] } });
      const inv = await settled((await publish(scopedEvent(flowId))).invocations[0]?.id as string);
      expect(inv).toMatchObject({ status: 'FAILED', attemptCount: 1 });
      expect(inv.lastAttempt?.error).toEqual({
        code: 'HTTP_STATUS',
        message: 'the target answered HTTP 400',
      });
      expect(inv.attempts[0]?.response?.body).toBe('{"error":"bad payload"}');
    });

    test.concurrent('410 Gone fails the invocation and deactivates the webhook with a reason', async () => {
      const route = routes.route((_req, res) => json(res, 410, { gone: true }));
      const flowId = flow();
      const { webhook } = await create({ url: route.url(), filters: { accessFlowIds: [flowId] } });
      const inv = await settled((await publish(scopedEvent(flowId))).invocations[0]?.id as string);
      expect(inv).toMatchObject({ status: 'FAILED', attemptCount: 1 });
      const after = await eventually(async () => {
        const w = (await t.gql(GetWebhook, { id: webhook.id })).data?.webhook;
        return w?.status === 'INACTIVE' ? w : undefined;
      });
      expect(after.disabledReason).toMatch(/410 Gone/);
      // Deactivated: the next event is not delivered.
      expect((await publish(scopedEvent(flowId))).matchedWebhookCount).toBe(0);
    });

    test.concurrent('a redirect is not followed and counts as a failure', async () => {
      const route = routes.route((_req, res) => {
        res.writeHead(302, { location: 'https://10.0.0.1/steal' });
        res.end();
      });
      const flowId = flow();
      await create({ url: route.url(), filters: { accessFlowIds: [flowId] } });
      const inv = await settled((await publish(scopedEvent(flowId))).invocations[0]?.id as string);
      expect(inv).toMatchObject({ status: 'FAILED', attemptCount: 1 });
      expect(inv.attempts[0]?.response?.statusCode).toBe(302);
      expect(route.requests()).toHaveLength(1);
    });
  });

  test.concurrent('an over-large response body is kept up to 64 KiB and flagged', async () => {
    const route = routes.route((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('x'.repeat(100_000));
    });
    const flowId = flow();
    await create({ url: route.url(), filters: { accessFlowIds: [flowId] } });
    const inv = await settled((await publish(scopedEvent(flowId))).invocations[0]?.id as string);
    expect(inv.status).toBe('SUCCEEDED');
    expect(inv.attempts[0]?.response?.body?.length).toBe(64 * 1024);
    expect(inv.attempts[0]?.response?.bodyTruncated).toBe(true);
  });

  test.concurrent('a webhook deactivated before delivery gets nothing; recover resends after reactivation', async () => {
    const route = routes.route((_req, res) => json(res, 500, { down: true }));
    const flowId = flow();
    const { webhook } = await create({ url: route.url(), filters: { accessFlowIds: [flowId] } });
    const since = new Date(Date.now() - 1_000).toISOString();
    const first = await settled((await publish(scopedEvent(flowId))).invocations[0]?.id as string);
    expect(first).toMatchObject({ status: 'FAILED', attemptCount: 3 });
    const second = await settled((await publish(scopedEvent(flowId))).invocations[0]?.id as string);
    expect(second.status).toBe('FAILED');
    const failed = (await t.gql(WebhookInvocations, { id: webhook.id, status: 'FAILED' })).data?.webhook
      ?.invocations;
    expect(failed?.edges.map((e) => e.node.id).sort()).toEqual([first.id, second.id].sort());

    const recovering = routes.route();
    await t.gql(UpdateWebhook, { id: webhook.id, input: { url: recovering.url() } });
    const recovered = await t.gql(Recover, { webhookId: webhook.id, since });
    expect(recovered.data?.recoverFailedInvocations).toEqual({
      __typename: 'RecoverFailedInvocationsSuccess',
      count: 2,
    });
    const received = await recovering.waitFor(2);
    expect(received.map((r) => r.headers['webhook-id']).sort()).toEqual(
      [first.messageId, second.messageId].sort(),
    );
    // Recovering again finds nothing: the originals are superseded.
    const again = await t.gql(Recover, { webhookId: webhook.id, since });
    expect(again.data?.recoverFailedInvocations).toMatchObject({ count: 0 });
    expect((await t.gql(GetInvocation, { id: first.id })).data?.invocation?.supersededBy).toMatch(/^inv_/);
  });

  test.concurrent('redeliverInvocation sends the same event again with the same webhook-id', async () => {
    const route = routes.route();
    const flowId = flow();
    await create({ url: route.url(), filters: { accessFlowIds: [flowId] } });
    const original = await settled((await publish(scopedEvent(flowId))).invocations[0]?.id as string);
    const res = await t.gql(Redeliver, { id: original.id });
    const result = res.data?.redeliverInvocation;
    if (result?.__typename !== 'RedeliverInvocationSuccess') throw new Error(JSON.stringify(res));
    expect(result.invocation.id).not.toBe(original.id);
    expect(result.invocation.messageId).toBe(original.messageId);
    const [a, b] = await route.waitFor(2);
    expect(b?.body).toBe(a?.body);
    expect(b?.headers['webhook-id']).toBe(a?.headers['webhook-id']);
    const missing = await t.gql(Redeliver, { id: 'inv_00000000000000000000000000' });
    expect(missing.data?.redeliverInvocation?.__typename).toBe('NotFoundError');
  });

  test.concurrent('after two rotations a delivery carries a signature per live secret, each verifying', async () => {
    const route = routes.route();
    const flowId = flow();
    const created = await create({ url: route.url(), filters: { accessFlowIds: [flowId] } });
    const rotate = async () => {
      const rotated = await t.gql(RotateSecret, { id: created.webhook.id });
      const result = rotated.data?.rotateWebhookSigningSecret;
      if (result?.__typename !== 'RotateWebhookSigningSecretSuccess')
        throw new Error(JSON.stringify(rotated));
      return result.signingSecret;
    };
    // Two rotations inside the overlap: the first replaced secret keeps signing for its full 24 h.
    const second = await rotate();
    const third = await rotate();
    expect(new Set([created.signingSecret, second, third]).size).toBe(3);
    await publish(scopedEvent(flowId));
    const [received] = await route.waitFor(1);
    const headers = {
      'webhook-id': String(received?.headers['webhook-id']),
      'webhook-timestamp': String(received?.headers['webhook-timestamp']),
      'webhook-signature': String(received?.headers['webhook-signature']),
    };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(3);
    for (const secret of [created.signingSecret, second, third]) {
      expect(() => new StandardWebhook(secret).verify(received?.body ?? '', headers)).not.toThrow();
    }
    // A secret that never belonged to the webhook does not verify (the check can fail).
    const stranger = `whsec_${randomBytes(24).toString('base64')}`;
    expect(() => new StandardWebhook(stranger).verify(received?.body ?? '', headers)).toThrow();
  });

  describe('testWebhook', () => {
    test.concurrent('a saved webhook: success with the full invocation, stored as a test', async () => {
      const route = routes.route((_req, res) => json(res, 201, { status: 'created' }));
      const { webhook } = await create({
        url: route.url(),
        triggers: ['REQUEST_APPROVED', 'REQUEST_CREATED'],
        responseValidators: [{ jsonPath: '$.data.status', expectedValues: ['created'] }],
      });
      const res = await t.gql(TestWebhook, { id: webhook.id });
      const result = res.data?.testWebhook;
      if (result?.__typename !== 'TestWebhookSuccess') throw new Error(JSON.stringify(res));
      expect(result.success).toBe(true);
      expect(result.invocation).toMatchObject({
        test: true,
        status: 'SUCCEEDED',
        trigger: 'REQUEST_APPROVED',
        attemptCount: 1,
        webhook: { id: webhook.id },
      });
      const attempt = result.invocation.attempts[0];
      expect(attempt?.response).toMatchObject({ statusCode: 201, body: '{"status":"created"}' });
      expect(attempt?.validatorResults[0]).toMatchObject({ actualValue: 'created', passed: true });
      const [received] = await route.waitFor(1);
      expect(JSON.parse(received?.body ?? '{}').id).toBe('req_7Yk2mQ4vN8');
      const listed = await t.gql(ListInvocations, { webhookId: webhook.id, test: true });
      expect(listed.data?.invocations.edges.map((e) => e.node.id)).toEqual([result.invocation.id]);
    });

    test.concurrent('a saved webhook: failure is reported, not retried', async () => {
      const route = routes.route((_req, res) => json(res, 503, { down: true }));
      const { webhook } = await create({ url: route.url() });
      const res = await t.gql(TestWebhook, { id: webhook.id, trigger: 'REQUEST_REJECTED' });
      const result = res.data?.testWebhook;
      if (result?.__typename !== 'TestWebhookSuccess') throw new Error(JSON.stringify(res));
      expect(result.success).toBe(false);
      expect(result.invocation).toMatchObject({
        status: 'FAILED',
        attemptCount: 1,
        trigger: 'REQUEST_REJECTED',
      });
      expect(result.invocation.lastAttempt?.error?.code).toBe('HTTP_STATUS');
      // A retry would need the invocation to be due again: it is stored FAILED, with no next attempt.
      const stored = (await t.gql(GetInvocation, { id: result.invocation.id })).data?.invocation;
      expect(stored).toMatchObject({ status: 'FAILED', attemptCount: 1, nextAttemptAt: null });
      expect(route.requests()).toHaveLength(1);
    });

    test.concurrent('an unsaved definition: success and failure, nothing saved as a webhook', async () => {
      const route = routes.route();
      const input = webhookInput({
        url: route.url(),
        headers: [{ name: 'X-Key', value: 'unsaved-secret-value' }],
      });
      const res = await t.gql(TestWebhook, { input });
      const result = res.data?.testWebhook;
      if (result?.__typename !== 'TestWebhookSuccess') throw new Error(JSON.stringify(res));
      expect(result.success).toBe(true);
      expect(result.invocation.webhook).toBeNull();
      expect(result.invocation.attempts[0]?.request.headers).toEqual(
        expect.arrayContaining([{ name: 'X-Key', value: '••••alue' }]),
      );
      const [received] = await route.waitFor(1);
      expect(received?.headers['x-key']).toBe('unsaved-secret-value');

      const failing = await t.gql(TestWebhook, {
        input: webhookInput({ url: 'https://refused.loopback.test/x' }),
      });
      expect(failing.data?.testWebhook).toMatchObject({
        success: false,
        invocation: { status: 'FAILED', lastAttempt: { error: { code: 'CONNECTION' } } },
      });
    });

    test.concurrent('an invalid unsaved definition is a ValidationError; a bad id NotFound; both args rejected', async () => {
      const invalid = await t.gql(TestWebhook, { input: webhookInput({ url: 'http://x.example.com' }) });
      expect(invalid.data?.testWebhook).toMatchObject({
        __typename: 'ValidationError',
        fieldErrors: [{ path: ['input', 'url'] }],
      });
      const missing = await t.gql(TestWebhook, { id: 'wh_00000000000000000000000000' });
      expect(missing.data?.testWebhook?.__typename).toBe('NotFoundError');
      const both = await t.gql(TestWebhook, { id: 'wh_00000000000000000000000000', input: webhookInput() });
      expect(both.data?.testWebhook?.__typename).toBe('ValidationError');
      const neither = await t.gql(TestWebhook, {});
      expect(neither.data?.testWebhook?.__typename).toBe('ValidationError');
    });
  });
});

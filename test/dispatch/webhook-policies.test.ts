import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import { graphql } from '../gql/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { webhookInput } from '../support/factories.js';
import { eventually, json, loopbackEnv, type Routes, startRoutes } from '../support/routes.js';
import { STORE_KINDS } from '../support/stores.js';
import { GetInvocation, PublishEvent } from './operations.js';

/** Per-webhook policies in one process: the definition's fields, its retry schedule, a 429's pause. */

const CreatePolicies = graphql(`
  mutation CreatePolicies($input: CreateWebhookInput!) {
    createWebhook(input: $input) {
      __typename
      ... on CreateWebhookSuccess { webhook { id ordering rateLimit { count perSeconds } retrySchedule } }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const UpdatePolicies = graphql(`
  mutation UpdatePolicies($id: ID!, $input: UpdateWebhookInput!) {
    updateWebhook(id: $id, input: $input) {
      __typename
      ... on UpdateWebhookSuccess { webhook { id ordering rateLimit { count perSeconds } retrySchedule } }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

describe.each(STORE_KINDS)('webhook delivery policies on %s', (kind) => {
  let t: TestApp;
  let routes: Routes;
  beforeAll(async () => {
    routes = await startRoutes();
    t = await createTestApp(kind, {
      dispatch: true,
      // The server's schedule would retry after 10 minutes: only the webhook's own can retry in time.
      env: { ...loopbackEnv(routes), DISPATCH_RETRY_SCHEDULE: '0,10m' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await routes?.close();
  });

  function scoped() {
    const flowId = `flow_${randomBytes(4).toString('hex')}`;
    const event = () => {
      const e = sampleEvent('RequestCreated');
      e.data.id = `req_${randomBytes(4).toString('hex')}`;
      e.data.access_flow = { id: flowId, name: 'Flow under test' };
      return e;
    };
    return { filters: { accessFlowIds: [flowId] }, event };
  }

  /** The invocation the event made for this webhook (other tests' webhooks may match it too). */
  async function publish(event: unknown, webhookId: string) {
    const res = await t.gql(PublishEvent, { event });
    const result = res.data?.publishEvent;
    if (result?.__typename !== 'PublishEventSuccess') throw new Error(JSON.stringify(res));
    const mine = result.invocations.find((i) => i.webhookId === webhookId);
    if (!mine) throw new Error(`the event made no invocation for ${webhookId}`);
    return mine.id;
  }

  async function create(input: Parameters<typeof webhookInput>[0]) {
    const res = await t.gql(CreatePolicies, { input: webhookInput(input) });
    const result = res.data?.createWebhook;
    if (result?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(res));
    return result.webhook.id;
  }

  test.concurrent('ordering, rateLimit and retrySchedule: defaults, stored, cleared, and checked field by field', async () => {
    const created = await t.gql(CreatePolicies, { input: webhookInput({ filters: scoped().filters }) });
    const webhook = created.data?.createWebhook;
    if (webhook?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(created));
    expect(webhook.webhook).toMatchObject({ ordering: 'UNORDERED', rateLimit: null, retrySchedule: null });
    const id = webhook.webhook.id;
    const set = await t.gql(UpdatePolicies, {
      id,
      input: { ordering: 'FIFO', rateLimit: { count: 5, perSeconds: 60 }, retrySchedule: [1, 30, 3600] },
    });
    expect(set.data?.updateWebhook).toMatchObject({
      webhook: { ordering: 'FIFO', rateLimit: { count: 5, perSeconds: 60 }, retrySchedule: [1, 30, 3600] },
    });
    const kept = await t.gql(UpdatePolicies, {
      id,
      input: { name: `renamed ${randomBytes(3).toString('hex')}` },
    });
    expect(kept.data?.updateWebhook).toMatchObject({
      webhook: { ordering: 'FIFO', retrySchedule: [1, 30, 3600] },
    });
    const cleared = await t.gql(UpdatePolicies, { id, input: { rateLimit: null, retrySchedule: null } });
    expect(cleared.data?.updateWebhook).toMatchObject({ webhook: { rateLimit: null, retrySchedule: null } });

    const refused = await t.gql(CreatePolicies, {
      input: webhookInput({
        rateLimit: { count: 0, perSeconds: 86_401 },
        retrySchedule: [5, -1, 86_401],
      }),
    });
    const errors = refused.data?.createWebhook;
    if (errors?.__typename !== 'ValidationError') throw new Error(JSON.stringify(refused));
    const byPath = Object.fromEntries(errors.fieldErrors.map((e) => [e.path.join('.'), e.message]));
    expect(byPath).toMatchObject({
      'input.rateLimit.count': 'must be at least 1',
      'input.rateLimit.perSeconds': 'must be at most 86400 seconds (24 h)',
      'input.retrySchedule.1': 'must not be negative',
      'input.retrySchedule.2': 'must be at most 86400 seconds (24 h)',
    });
    const empty = await t.gql(CreatePolicies, { input: webhookInput({ retrySchedule: [] }) });
    expect(empty.data?.createWebhook).toMatchObject({
      fieldErrors: [
        { path: ['input', 'retrySchedule'], message: expect.stringMatching(/at least one delay/) },
      ],
    });
    const long = await t.gql(CreatePolicies, { input: webhookInput({ retrySchedule: Array(21).fill(1) }) });
    expect(long.data?.createWebhook).toMatchObject({
      fieldErrors: [{ path: ['input', 'retrySchedule'], message: 'at most 20 retries' }],
    });
  });

  test.concurrent("a webhook's retry schedule replaces the server's: its attempts and no more", async () => {
    const { filters, event } = scoped();
    const route = routes.route((_req, res) => json(res, 503, { down: true }));
    const webhookId = await create({ url: route.url(), filters, retrySchedule: [0, 0] });
    const id = await publish(event(), webhookId);
    const done = await eventually(async () => {
      const inv = (await t.gql(GetInvocation, { id })).data?.invocation;
      return inv?.status === 'FAILED' ? inv : undefined;
    });
    expect(done.attemptCount).toBe(3);
    expect(route.requests()).toHaveLength(3);
  });

  test.concurrent('a 429 holds the webhook back for its Retry-After; the throttled deliveries wait, attempts unspent', async () => {
    const { filters, event } = scoped();
    let answered429At = 0;
    const route = routes.route((_req, res) => {
      if (!answered429At) {
        answered429At = Date.now();
        return json(res, 429, { slow: 'down' }, { 'retry-after': '1' });
      }
      return json(res, 200, { ok: true });
    });
    const webhookId = await create({ url: route.url(), filters, retrySchedule: [0] });
    const first = await publish(event(), webhookId);
    // The 429 is recorded (the invocation waits for its retry) before more events come.
    await eventually(
      async () => (await t.gql(GetInvocation, { id: first })).data?.invocation?.status === 'RETRYING',
    );
    const later = [await publish(event(), webhookId), await publish(event(), webhookId)];
    await route.waitFor(4, 15_000);
    // Nothing reached the target within the second it asked for.
    for (const r of route.requests().slice(1))
      expect(r.receivedAt - answered429At).toBeGreaterThanOrEqual(990);
    const states = await Promise.all(
      [first, ...later].map(async (id) =>
        eventually(async () => {
          const inv = (await t.gql(GetInvocation, { id })).data?.invocation;
          return inv?.status === 'SUCCEEDED' ? inv : undefined;
        }),
      ),
    );
    expect(states.map((s) => s.attemptCount)).toEqual([2, 1, 1]);
  });
});

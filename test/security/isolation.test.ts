/**
 * Tenant isolation: account B's ADMIN key against account A's objects, for every query, mutation and
 * the subscription. Each answer must be what B would get for an id that does not exist, and A's data
 * must read back unchanged with A's key afterwards.
 */
import { randomBytes } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { encodeCursor } from '../../src/domain/pagination.js';
import {
  GetInvocation,
  ListInvocations,
  PublishEvent,
  Recover,
  Redeliver,
  RotateSecret,
  TestWebhook,
  WebhookInvocations,
} from '../dispatch/operations.js';
import type { CreateWebhookInput } from '../gql/graphql.js';
import {
  CreateWebhook,
  DeleteWebhook,
  GetWebhook,
  ListWebhooks,
  UpdateWebhook,
} from '../graphql/operations.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { webhookInput } from '../support/factories.js';
import { eventually, json, type Route, type Routes, startRoutes } from '../support/routes.js';
import { STORE_KINDS } from '../support/stores.js';
import { AnyNode, CreateApiKey, ListApiKeys, RevokeApiKey, Viewer } from './operations.js';
import { listen, receiverEnv, scopedEvent, sse, wsSession } from './support.js';

/** A well-formed id of this kind that no account has: what B's answers must look like. */
function missingId(prefix: 'wh' | 'inv' | 'key' | 'evt'): string {
  return `${prefix}_${'0'.repeat(10)}${randomBytes(8).toString('hex')}`;
}

const INVOCATION_SUBSCRIPTION = `subscription Updates($webhookId: ID) {
  invocationUpdated(webhookId: $webhookId) { id webhookId status }
}`;

describe.each(STORE_KINDS)('account isolation on %s', (kind) => {
  let t: TestApp;
  let routes: Routes;
  let base: string;
  /** Account B: another tenant with its own admin key (and a webhook of its own). */
  let b: ReturnType<TestApp['as']> & { token: string; accountId: string };
  /** B's own webhook: it matches everything B publishes. */
  let bWebhookId: string;

  beforeAll(async () => {
    routes = await startRoutes();
    t = await createTestApp(kind, { dispatch: true, env: receiverEnv(routes) });
    base = await listen(t);
    const account = await t.newAccount();
    b = { ...t.as(account.token), ...account };
    const own = await b.gql(CreateWebhook, { input: webhookInput({ url: routes.route().url() }) });
    if (own.data?.createWebhook.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(own));
    bWebhookId = own.data.createWebhook.webhook.id;
  });
  afterAll(async () => {
    await t?.app.close(1_000);
    await t?.close();
    await routes?.close();
  });

  interface Seed {
    route: Route;
    flowId: string;
    webhookId: string;
    signingSecret: string;
    testInvocationId: string;
    eventId: string;
    invocationId: string;
  }

  /**
   * Account A's objects for one test: a webhook (with a secret header) whose receiver answers 400,
   * a test invocation (testWebhook) and a FAILED invocation of a published event.
   */
  async function seedA(overrides: Partial<CreateWebhookInput> = {}): Promise<Seed> {
    const route = routes.route((_req, res) => json(res, 400, { accepted: false }));
    const flowId = `flow_${randomBytes(5).toString('hex')}`;
    const created = await t.gql(CreateWebhook, {
      input: webhookInput({
        url: route.url(),
        headers: [{ name: 'X-Api-Key', value: `secret-${randomBytes(8).toString('hex')}` }],
        filters: { accessFlowIds: [flowId] },
        ...overrides,
      }),
    });
    const result = created.data?.createWebhook;
    if (result?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(created));
    const tested = (await t.gql(TestWebhook, { id: result.webhook.id })).data?.testWebhook;
    if (tested?.__typename !== 'TestWebhookSuccess') throw new Error(JSON.stringify(tested));
    const published = (await t.gql(PublishEvent, { event: scopedEvent(flowId) })).data?.publishEvent;
    if (published?.__typename !== 'PublishEventSuccess') throw new Error(JSON.stringify(published));
    const invocationId = published.invocations[0]?.id as string;
    await eventually(
      async () => (await t.gql(GetInvocation, { id: invocationId })).data?.invocation?.status === 'FAILED',
    );
    await route.waitFor(2);
    return {
      route,
      flowId,
      webhookId: result.webhook.id,
      signingSecret: result.signingSecret,
      testInvocationId: tested.invocation.id,
      eventId: published.eventId,
      invocationId,
    };
  }

  /** One seed shared by the read-only query tests (they change nothing, so they cannot disturb each other). */
  let shared: Promise<Seed> | undefined;
  const sharedSeed = () => {
    shared ??= seedA();
    return shared;
  };

  /** A's view of a seed: the webhook and every invocation of it, in full. */
  async function snapshot(seed: Seed) {
    const webhook = (await t.gql(GetWebhook, { id: seed.webhookId })).data?.webhook;
    const list = (await t.gql(ListInvocations, { webhookId: seed.webhookId, first: 100 })).data?.invocations;
    const invocations = await Promise.all(
      (list?.edges ?? []).map(async (e) => (await t.gql(GetInvocation, { id: e.node.id })).data?.invocation),
    );
    if (!webhook || invocations.length < 2) throw new Error(`seed ${seed.webhookId} is incomplete`);
    return { webhook, invocations, received: seed.route.requests().length };
  }

  // ---- queries ---------------------------------------------------------------------------------

  test.concurrent('node(id): A’s webhook, invocation and API key are null for B, like unknown ids', async ({
    expect,
  }) => {
    const seed = await sharedSeed();
    const aKey = await t.newKey('VIEWER');
    for (const id of [seed.webhookId, seed.invocationId, seed.testInvocationId, aKey.id]) {
      const res = await b.gql(AnyNode, { id });
      expect(res, id).toEqual({ data: { node: null } });
    }
    for (const id of [missingId('wh'), missingId('inv'), missingId('key')]) {
      expect(await b.gql(AnyNode, { id })).toEqual({ data: { node: null } });
    }
    // The control: A sees all three.
    for (const id of [seed.webhookId, seed.invocationId, aKey.id]) {
      expect((await t.gql(AnyNode, { id })).data?.node?.id).toBe(id);
    }
  });

  test.concurrent('webhook(id) and webhook(id).invocations: null for B', async ({ expect }) => {
    const seed = await sharedSeed();
    expect(await b.gql(GetWebhook, { id: seed.webhookId })).toEqual({ data: { webhook: null } });
    expect(await b.gql(WebhookInvocations, { id: seed.webhookId })).toEqual({ data: { webhook: null } });
    expect(await b.gql(WebhookInvocations, { id: seed.webhookId, status: 'FAILED' })).toEqual({
      data: { webhook: null },
    });
    const mine = (await t.gql(WebhookInvocations, { id: seed.webhookId })).data?.webhook?.invocations.edges;
    expect(mine?.map((e) => e.node.id).sort()).toEqual([seed.invocationId, seed.testInvocationId].sort());
  });

  test.concurrent('webhooks: B lists only its own, by name, by trigger and after A’s cursor', async ({
    expect,
  }) => {
    const seed = await sharedSeed();
    const aName = (await t.gql(GetWebhook, { id: seed.webhookId })).data?.webhook?.name as string;
    const listings = [
      await b.gql(ListWebhooks, { first: 100 }),
      await b.gql(ListWebhooks, { first: 100, nameContains: aName }),
      await b.gql(ListWebhooks, { first: 100, trigger: 'REQUEST_CREATED', status: 'ACTIVE' }),
      await b.gql(ListWebhooks, { first: 100, after: encodeCursor(seed.webhookId) }),
    ];
    // Concurrent tests add webhooks to B (one even named like A's): what B lists must be B's own,
    // webhooks A cannot see, rather than an exact list.
    for (const res of listings) {
      expect(res.errors).toBeUndefined();
      const ids = res.data?.webhooks.edges.map((e) => e.node.id) ?? [];
      expect(ids).not.toContain(seed.webhookId);
      for (const id of ids) expect(await t.gql(GetWebhook, { id })).toEqual({ data: { webhook: null } });
    }
    // The control: B does see its own webhook.
    expect(listings[0]?.data?.webhooks.edges.map((e) => e.node.id)).toContain(bWebhookId);
    // A does find it by name.
    expect((await t.gql(ListWebhooks, { nameContains: aName })).data?.webhooks.edges[0]?.node.id).toBe(
      seed.webhookId,
    );
  });

  test.concurrent('invocation(id): null for B', async ({ expect }) => {
    const seed = await sharedSeed();
    for (const id of [seed.invocationId, seed.testInvocationId]) {
      expect(await b.gql(GetInvocation, { id })).toEqual({ data: { invocation: null } });
    }
    expect((await t.gql(GetInvocation, { id: seed.invocationId })).data?.invocation?.id).toBe(
      seed.invocationId,
    );
  });

  test.concurrent('invocations: empty for B, also filtered by A’s webhookId, eventId, test and cursor', async ({
    expect,
  }) => {
    const seed = await sharedSeed();
    // Filtered by A's ids: nothing at all, as for ids nobody has.
    const scoped = [
      { webhookId: seed.webhookId },
      { eventId: seed.eventId },
      { webhookId: seed.webhookId, eventId: seed.eventId, status: 'FAILED' as const },
      { webhookId: seed.webhookId, test: true },
    ];
    for (const variables of scoped) {
      const res = await b.gql(ListInvocations, { first: 100, ...variables });
      expect(res, JSON.stringify(variables)).toEqual({
        data: { invocations: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } },
      });
    }
    // Not filtered by A's ids: B's own invocations (concurrent tests make some), none of A's.
    const unscoped = [{}, { test: true }, { after: encodeCursor(seed.invocationId) }];
    for (const variables of unscoped) {
      const res = await b.gql(ListInvocations, { first: 100, ...variables });
      expect(res.errors, JSON.stringify(variables)).toBeUndefined();
      for (const { node } of res.data?.invocations.edges ?? []) {
        expect(node.webhookId, JSON.stringify(variables)).not.toBe(seed.webhookId);
        expect(await t.gql(GetInvocation, { id: node.id })).toEqual({ data: { invocation: null } });
      }
    }
    const own = await t.gql(ListInvocations, { eventId: seed.eventId });
    expect(own.data?.invocations.edges.map((e) => e.node.id)).toEqual([seed.invocationId]);
  });

  test.concurrent('apiKeys and viewer: B sees only its own account', async ({ expect }) => {
    const aKey = await t.newKey('PUBLISHER');
    const keys = (await b.gql(ListApiKeys, { first: 100 })).data?.apiKeys.edges.map((e) => e.node.id) ?? [];
    expect(keys).not.toContain(aKey.id);
    expect(keys.length).toBeGreaterThanOrEqual(1);
    const aKeys = (await t.gql(ListApiKeys, { first: 100 })).data?.apiKeys.edges.map((e) => e.node.id) ?? [];
    expect(aKeys).toContain(aKey.id);
    expect(keys.filter((id) => aKeys.includes(id))).toEqual([]);
    expect((await b.gql(Viewer, {})).data?.viewer).toMatchObject({ accountId: b.accountId, role: 'ADMIN' });
    expect(b.accountId).not.toBe(t.accountId);
  });

  test.concurrent('invocationUpdated: B’s subscriptions (graphql-ws and SSE) get none of A’s updates', async ({
    expect,
  }) => {
    const seed = await seedA();
    const aWs = wsSession(base, { authorization: `Bearer ${t.token}` });
    const bWs = wsSession(base, { authorization: `Bearer ${b.token}` });
    try {
      await Promise.all([aWs.connected, bWs.connected]);
      const aUpdates: { invocationUpdated: { id: string; status: string } }[] = [];
      aWs.client.subscribe(
        { query: INVOCATION_SUBSCRIPTION, variables: { webhookId: seed.webhookId } },
        {
          next: (v) => aUpdates.push(v.data as (typeof aUpdates)[number]),
          error: () => {},
          complete: () => {},
        },
      );
      // B subscribes to A's webhook by id, and to everything of its own account.
      const bFiltered: unknown[] = [];
      const bAll: { data?: { invocationUpdated?: { id: string; webhookId: string } } }[] = [];
      bWs.client.subscribe(
        { query: INVOCATION_SUBSCRIPTION, variables: { webhookId: seed.webhookId } },
        { next: (v) => bFiltered.push(v), error: (e) => bFiltered.push(e), complete: () => {} },
      );
      bWs.client.subscribe(
        { query: INVOCATION_SUBSCRIPTION, variables: {} },
        {
          next: (v) => bAll.push(v as (typeof bAll)[number]),
          error: (e) => bAll.push(e as never),
          complete: () => {},
        },
      );
      let stop!: () => void;
      const stopped = new Promise<void>((r) => (stop = r));
      let sseOpen!: () => void;
      const opened = new Promise<void>((r) => (sseOpen = r));
      const bSse = sse(
        base,
        { authorization: `Bearer ${b.token}` },
        INVOCATION_SUBSCRIPTION,
        { webhookId: seed.webhookId },
        { timeoutMs: 8_000, onOpen: sseOpen, stop: stopped },
      );
      await Promise.race([opened, bSse]);
      // Updates reach only subscriptions already attached: wait until the feed has A's one and B's
      // three (only this test subscribes in these accounts).
      const feed = t.runtime.services.invocationFeed;
      await eventually(() => feed.subscribersOf(t.accountId) >= 1 && feed.subscribersOf(b.accountId) >= 3);
      const tested = (await t.gql(TestWebhook, { id: seed.webhookId })).data?.testWebhook;
      if (tested?.__typename !== 'TestWebhookSuccess') throw new Error(JSON.stringify(tested));
      const redelivered = (await t.gql(Redeliver, { id: seed.invocationId })).data?.redeliverInvocation;
      expect(redelivered?.__typename).toBe('RedeliverInvocationSuccess');
      // The control: A's own subscriber sees the test invocation finish.
      await eventually(() =>
        aUpdates.some(
          (u) => u.invocationUpdated.id === tested.invocation.id && u.invocationUpdated.status === 'FAILED',
        ),
      );
      // Then an update of B's own, after all of A's: an update of A's leaked to B would have been
      // queued to B's subscribers when A's invocation changed, before this one existed, and on the
      // graphql-ws connection (bFiltered shares it with bAll) it would arrive first. (The SSE
      // stream is written by the same server at the same moment; B's update cannot pass its filter.)
      const own = (await b.gql(TestWebhook, { id: bWebhookId })).data?.testWebhook;
      if (own?.__typename !== 'TestWebhookSuccess') throw new Error(JSON.stringify(own));
      await eventually(() => bAll.some((u) => u.data?.invocationUpdated?.id === own.invocation.id));
      stop();
      expect(bFiltered).toEqual([]);
      // Other tests' B events may arrive on B's unfiltered subscription; none may be A's.
      const aInvocations = new Set((await snapshot(seed)).invocations.map((i) => i?.id));
      for (const update of bAll) {
        expect(update.data?.invocationUpdated?.webhookId).not.toBe(seed.webhookId);
        expect(aInvocations.has(update.data?.invocationUpdated?.id)).toBe(false);
      }
      const streamed = await bSse;
      expect(streamed.status).toBe(200);
      expect(streamed.events).toEqual([]);
    } finally {
      await Promise.all([aWs.dispose(), bWs.dispose()]);
    }
  });

  // ---- mutations -------------------------------------------------------------------------------

  /** B's answer for A's id equals B's answer for an id nobody has (with the id swapped in the message). */
  function expectSameAsMissing(
    expect: import('vitest').ExpectStatic,
    forA: unknown,
    forMissing: unknown,
    aId: string,
    missing: string,
  ) {
    expect(JSON.parse(JSON.stringify(forA).split(aId).join(missing))).toEqual(forMissing);
  }

  test.concurrent('updateWebhook: NotFoundError for B, A’s webhook unchanged', async ({ expect }) => {
    const seed = await seedA();
    const before = await snapshot(seed);
    const input = {
      name: 'Hijacked',
      url: routes.route().url(),
      headers: [{ name: 'X-Api-Key' }],
      status: 'INACTIVE' as const,
    };
    const res = await b.gql(UpdateWebhook, { id: seed.webhookId, input });
    expect(res.data?.updateWebhook).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    const other = missingId('wh');
    expectSameAsMissing(expect, res, await b.gql(UpdateWebhook, { id: other, input }), seed.webhookId, other);
    expect(await snapshot(seed)).toEqual(before);
  });

  test.concurrent('deleteWebhook: NotFoundError for B, A’s webhook still there', async ({ expect }) => {
    const seed = await seedA();
    const before = await snapshot(seed);
    const res = await b.gql(DeleteWebhook, { id: seed.webhookId });
    expect(res.data?.deleteWebhook).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    const other = missingId('wh');
    expectSameAsMissing(expect, res, await b.gql(DeleteWebhook, { id: other }), seed.webhookId, other);
    expect(await snapshot(seed)).toEqual(before);
  });

  test.concurrent('testWebhook(id): NotFoundError for B, nothing sent or stored', async ({ expect }) => {
    const seed = await seedA();
    const before = await snapshot(seed);
    const res = await b.gql(TestWebhook, { id: seed.webhookId });
    expect(res.data?.testWebhook).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    const other = missingId('wh');
    expectSameAsMissing(expect, res, await b.gql(TestWebhook, { id: other }), seed.webhookId, other);
    // No wait needed: testWebhook sends its request and stores its invocation before it answers.
    expect(await snapshot(seed)).toEqual(before);
    // B's own test invocations (concurrent tests make some), none for A's webhook.
    const bTests = (await b.gql(ListInvocations, { test: true, first: 100 })).data?.invocations.edges ?? [];
    expect(bTests.filter((e) => e.node.webhookId === seed.webhookId)).toEqual([]);
  });

  test.concurrent('redeliverInvocation: NotFoundError for B, nothing resent, not superseded', async ({
    expect,
  }) => {
    const seed = await seedA();
    const before = await snapshot(seed);
    for (const id of [seed.invocationId, seed.testInvocationId]) {
      const res = await b.gql(Redeliver, { id });
      expect(res.data?.redeliverInvocation).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
      const other = missingId('inv');
      expectSameAsMissing(expect, res, await b.gql(Redeliver, { id: other }), id, other);
    }
    // No wait needed: a redelivery is stored (and the original marked superseded) before the answer,
    // and without a new invocation nothing can be sent.
    expect(await snapshot(seed)).toEqual(before);
  });

  test.concurrent('recoverFailedInvocations: NotFoundError for B, A’s FAILED invocation left alone', async ({
    expect,
  }) => {
    const seed = await seedA();
    const before = await snapshot(seed);
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const res = await b.gql(Recover, { webhookId: seed.webhookId, since });
    expect(res.data?.recoverFailedInvocations).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
    });
    const other = missingId('wh');
    expectSameAsMissing(
      expect,
      res,
      await b.gql(Recover, { webhookId: other, since }),
      seed.webhookId,
      other,
    );
    // No wait needed: recovered copies are stored before the answer, and without a new invocation
    // nothing can be sent.
    expect(await snapshot(seed)).toEqual(before);
    // The control: A can recover it.
    const mine = await t.gql(Recover, { webhookId: seed.webhookId, since });
    expect(mine.data?.recoverFailedInvocations).toEqual({
      __typename: 'RecoverFailedInvocationsSuccess',
      count: 1,
    });
  });

  test.concurrent('rotateWebhookSigningSecret: NotFoundError for B, A still signs with its one secret', async ({
    expect,
  }) => {
    const seed = await seedA();
    const before = await snapshot(seed);
    const res = await b.gql(RotateSecret, { id: seed.webhookId });
    expect(res.data?.rotateWebhookSigningSecret).toMatchObject({
      __typename: 'NotFoundError',
      code: 'NOT_FOUND',
    });
    const other = missingId('wh');
    expectSameAsMissing(expect, res, await b.gql(RotateSecret, { id: other }), seed.webhookId, other);
    expect(await snapshot(seed)).toEqual(before);
    // A's next delivery is signed with the secret A got at creation, and with nothing else.
    await t.gql(TestWebhook, { id: seed.webhookId });
    const [, , third] = await seed.route.waitFor(3);
    const headers = third?.headers ?? {};
    expect(String(headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(() =>
      new StandardWebhook(seed.signingSecret).verify(third?.body ?? '', {
        'webhook-id': String(headers['webhook-id']),
        'webhook-timestamp': String(headers['webhook-timestamp']),
        'webhook-signature': String(headers['webhook-signature']),
      }),
    ).not.toThrow();
  });

  test.concurrent('revokeApiKey: NotFoundError for B, A’s key keeps working', async ({ expect }) => {
    const aKey = await t.newKey('VIEWER');
    const res = await b.gql(RevokeApiKey, { id: aKey.id });
    expect(res.data?.revokeApiKey).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    const other = missingId('key');
    expectSameAsMissing(expect, res, await b.gql(RevokeApiKey, { id: other }), aKey.id, other);
    expect((await t.as(aKey.token).gql(Viewer, {})).data?.viewer).toMatchObject({
      accountId: t.accountId,
      role: 'VIEWER',
    });
    const listed = (await t.gql(ListApiKeys, { first: 100 })).data?.apiKeys.edges.find(
      (e) => e.node.id === aKey.id,
    );
    expect(listed?.node.revokedAt).toBeNull();
  });

  test.concurrent('publishEvent: B’s event reaches none of A’s webhooks, even with A’s idempotency key', async ({
    expect,
  }) => {
    const seed = await seedA();
    const before = await snapshot(seed);
    const key = `idem-${randomBytes(6).toString('hex')}`;
    const mine = (await t.gql(PublishEvent, { event: scopedEvent(seed.flowId), idempotencyKey: key })).data
      ?.publishEvent;
    if (mine?.__typename !== 'PublishEventSuccess') throw new Error(JSON.stringify(mine));
    expect(mine.matchedWebhookCount).toBe(1);
    const mineId = mine.invocations[0]?.id as string;
    await eventually(
      async () => (await t.gql(GetInvocation, { id: mineId })).data?.invocation?.status === 'FAILED',
    );
    const afterMine = await snapshot(seed);

    // Same filters, same trigger, and the idempotency key A just used: B gets a new event of its own.
    const theirs = (await b.gql(PublishEvent, { event: scopedEvent(seed.flowId), idempotencyKey: key })).data
      ?.publishEvent;
    if (theirs?.__typename !== 'PublishEventSuccess') throw new Error(JSON.stringify(theirs));
    expect(theirs.duplicate).toBe(false);
    expect(theirs.eventId).not.toBe(mine.eventId);
    const plain = (await b.gql(PublishEvent, { event: scopedEvent(seed.flowId) })).data?.publishEvent;
    if (plain?.__typename !== 'PublishEventSuccess') throw new Error(JSON.stringify(plain));
    // B's own catch-all webhook matches (the control); every match is B's, none is A's.
    for (const result of [theirs, plain]) {
      expect(result.matchedWebhookCount).toBeGreaterThanOrEqual(1);
      for (const invocation of result.invocations) {
        expect(invocation.webhookId).not.toBe(seed.webhookId);
        expect((await b.gql(GetWebhook, { id: invocation.webhookId })).data?.webhook?.id).toBe(
          invocation.webhookId,
        );
        expect((await t.gql(GetWebhook, { id: invocation.webhookId })).data?.webhook).toBeNull();
      }
    }
    // No wait needed: publishEvent stores the invocations of every webhook it matched before it
    // answers, and without an invocation of A's webhook nothing can be sent to it.
    expect(await snapshot(seed)).toEqual(afterMine);
    expect(afterMine.invocations.length).toBe(before.invocations.length + 1);
    expect((await t.gql(ListInvocations, { eventId: theirs.eventId })).data?.invocations.edges).toEqual([]);
  });

  test.concurrent('createApiKey and createWebhook by B land in B’s account only', async ({ expect }) => {
    const seed = await seedA();
    const aName = (await t.gql(GetWebhook, { id: seed.webhookId })).data?.webhook?.name as string;
    // The same name is free in B's account: names are per account, and A's is not B's concern.
    const created = await b.gql(CreateWebhook, {
      input: webhookInput({ name: aName, url: routes.route().url() }),
    });
    const webhook = created.data?.createWebhook;
    if (webhook?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(created));
    expect(await t.gql(GetWebhook, { id: webhook.webhook.id })).toEqual({ data: { webhook: null } });
    const key = (await b.gql(CreateApiKey, { name: 'b viewer', role: 'VIEWER' })).data?.createApiKey;
    if (key?.__typename !== 'CreateApiKeySuccess') throw new Error(JSON.stringify(key));
    expect((await t.as(key.token).gql(Viewer, {})).data?.viewer.accountId).toBe(b.accountId);
    expect((await t.as(key.token).gql(GetWebhook, { id: seed.webhookId })).data?.webhook).toBeNull();
    expect((await t.gql(AnyNode, { id: key.apiKey.id })).data?.node).toBeNull();
  });
});

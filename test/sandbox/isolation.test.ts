import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import type { SandboxEvent } from '../../src/sandbox/index.js';
import { GetInvocation, PublishEvent, TestWebhook } from '../dispatch/operations.js';
import type { CreateWebhookInput } from '../gql/graphql.js';
import { CreateWebhook, UpdateWebhook } from '../graphql/operations.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { storedWebhook, webhookInput } from '../support/factories.js';
import type { ReceiverHandler } from '../support/receiver.js';
import { eventually, json, loopbackEnv, type Routes, startRoutes } from '../support/routes.js';

/**
 * Templates and JSON paths are untrusted: each attack below runs in the sandbox's worker threads and
 * fails its invocation naming the budget it broke, while the event loop (/healthz, other accounts'
 * deliveries) goes on. Every test has accounts of its own; the pool's events and counters are
 * read per account. Nothing here measures a duration: outcomes and the order of events only.
 */

// About 5 s on the event loop before this change (each turn evaluates a filter).
const LOOP_1_5M = '{"a": "{% for i in (1..1500000) %}{% assign x = i | plus: 1 %}{% endfor %}"}';
// Counts from the event's custom fields: the sample events have none, so these save fine.
const LOOP_FROM_EVENT =
  '{"a": "{% for i in (1..data.custom_fields.n) %}{% assign x = i | plus: 1 %}{% endfor %}"}';
// 1 KiB of text a turn.
const HUGE_OUTPUT = `{"a": "{% for i in (1..data.custom_fields.n) %}${'0123456789abcdef'.repeat(64)}{% endfor %}"}`;
// One filter call over a million items: liquidjs checks its clock between nodes, never inside it.
const LONG_FILTER = '{% assign a = (1..data.custom_fields.n) | where: "x" %}{"n": {{ a | size }}}';
// The captured text doubles every turn: memory, not liquidjs's allocation count, is what grows.
const DOUBLING_CAPTURE =
  '{% capture s %}x{% endcapture %}{% for i in (1..data.custom_fields.n) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{"n": {{ s | size }}}';
// A hundred million turns over one list made once (so liquidjs's allocation count stays low):
// it runs until the time budget ends it.
const SLOW_LOOP =
  '{% assign r = (1..1000) %}{% for i in (1..data.custom_fields.n) %}{% for j in r %}{% assign x = j | plus: 1 %}{% endfor %}{% endfor %}{"n": 1}';

function eventWith(n: number) {
  const event = sampleEvent('RequestCreated');
  event.data.custom_fields = { n };
  return event;
}

/** An answer nested `depth` objects deep: {"a": {"a": … 1 …}}. */
const deepAnswer = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
/** A receiver that answers 20,000 levels of nested JSON, for a descending JSON path to walk. */
const answersDeepJson: ReceiverHandler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(deepAnswer(20_000));
};
/** The validator those tests give: two descents, and a name the answer never has. */
const DEEP_VALIDATOR = { jsonPath: '$.data..*..missing', expectedValues: ['1'] };

describe('untrusted work is isolated and bounded', () => {
  let routes: Routes;
  /**
   * The default budgets (250 ms per render or template check, 64 MB per thread, 1,000,000 nodes),
   * but a long validation time budget: the node limit, which does not depend on the machine's speed
   * or load, always ends a JSON path first.
   */
  let t: TestApp;
  /**
   * Long render budget (memory runs out before time does; an attack that keeps a thread busy for
   * seconds), short validation budget with no node limit to speak of (time ends a JSON path).
   */
  let slow: TestApp;
  let healthz: string;

  beforeAll(async () => {
    routes = await startRoutes();
    [t, slow] = await Promise.all([
      createTestApp('sqlite', {
        dispatch: true,
        env: {
          ...loopbackEnv(routes),
          DISPATCH_RETRY_SCHEDULE: '0',
          RENDER_TIMEOUT: '250ms',
          VALIDATION_TIMEOUT: '30s',
        },
      }),
      createTestApp('sqlite', {
        dispatch: true,
        env: {
          ...loopbackEnv(routes),
          DISPATCH_RETRY_SCHEDULE: '0',
          RENDER_TIMEOUT: '5s',
          VALIDATION_TIMEOUT: '100ms',
          VALIDATION_MAX_NODES: '1000000000',
        },
      }),
    ]);
    await new Promise<void>((resolve) => slow.app.server.listen(0, '127.0.0.1', resolve));
    healthz = `http://127.0.0.1:${(slow.app.server.address() as AddressInfo).port}/healthz`;
  });
  afterAll(async () => {
    await slow?.app.close(1_000);
    await Promise.all([t?.close(), slow?.close()]);
    await routes?.close();
  });

  /** A new account on an app: its client, and the pool events of its tasks as they happen. */
  async function tenant(app: TestApp) {
    const { accountId, token } = await app.newAccount();
    const client = app.as(token);
    const events: SandboxEvent[] = [];
    const off = app.runtime.services.sandbox.on((e) => {
      if (e.type !== 'replaced' && e.accountId === accountId) events.push(e);
    });
    const create = async (overrides: Partial<CreateWebhookInput>) => {
      const res = await client.gql(CreateWebhook, { input: webhookInput(overrides) });
      const result = res.data?.createWebhook;
      if (result?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(res));
      return result.webhook.id;
    };
    const publish = async (event: unknown) => {
      const res = await client.gql(PublishEvent, { event });
      const result = res.data?.publishEvent;
      if (result?.__typename !== 'PublishEventSuccess') throw new Error(JSON.stringify(res));
      return result.invocations.map((i) => i.id);
    };
    const settled = (id: string, timeoutMs = 20_000) =>
      eventually(async () => {
        const inv = (await client.gql(GetInvocation, { id })).data?.invocation;
        return inv && (inv.status === 'SUCCEEDED' || inv.status === 'FAILED') ? inv : undefined;
      }, timeoutMs);
    return { accountId, client, events, off, create, publish, settled };
  }

  describe('(a) an attack fails its invocation naming the limit', () => {
    test.concurrent.each([
      [
        'a loop whose count comes from the event',
        LOOP_FROM_EVENT,
        2_000_000,
        /^the template ran past its 250 ms render budget/,
      ],
      ['a huge output', HUGE_OUTPUT, 1_100, /^the rendered body is larger than 1 MiB$/],
      [
        'a filter that runs long in one call',
        LONG_FILTER,
        1_000_000,
        /^the template ran past its 250 ms render budget$/,
      ],
    ])('%s: RENDER', async (_label, bodyTemplate, n, message) => {
      const a = await tenant(t);
      const route = routes.route();
      await a.create({ url: route.url(), bodyTemplate });
      const [id] = await a.publish(eventWith(n));
      const inv = await a.settled(id as string);
      expect(inv.status).toBe('FAILED');
      expect(inv.lastAttempt?.error?.code).toBe('RENDER');
      expect(inv.lastAttempt?.error?.message).toMatch(message);
      expect(route.requests()).toHaveLength(0);
      a.off();
    });

    test.concurrent('a 1.5-million-iteration loop (saved when the budget was larger): RENDER', async () => {
      const a = await tenant(t);
      const route = routes.route();
      // Stored directly: saving it now is refused (see (d)), as it would be after RENDER_TIMEOUT shrank.
      await t.stores.webhooks.insert(
        storedWebhook(t.secrets, { accountId: a.accountId, url: route.url(), bodyTemplate: LOOP_1_5M }),
      );
      const [id] = await a.publish(eventWith(1));
      const inv = await a.settled(id as string);
      expect(inv.lastAttempt?.error).toEqual({
        code: 'RENDER',
        message: expect.stringMatching(/^the template ran past its 250 ms render budget/),
      });
      a.off();
    });

    test.concurrent('memory growth by capture in a loop: RENDER, the thread is replaced', async () => {
      const a = await tenant(slow);
      const route = routes.route();
      await a.create({ url: route.url(), bodyTemplate: DOUBLING_CAPTURE });
      const [id] = await a.publish(eventWith(40));
      const inv = await a.settled(id as string);
      expect(inv.lastAttempt?.error).toEqual({
        code: 'RENDER',
        message: 'the template used more than its 64 MB memory budget',
      });
      expect(
        a.events
          .filter((e) => e.type === 'settled' && e.kind === 'render')
          .map((e) => e.type === 'settled' && e.outcome),
      ).toEqual(['memory']);
      a.off();
    });

    test.concurrent('a receiver answers deeply nested JSON to a two-descent path: RESPONSE_VALIDATION', async () => {
      const a = await tenant(t);
      const route = routes.route(answersDeepJson);
      await a.create({
        url: route.url(),
        responseValidators: [DEEP_VALIDATOR],
        // Not shown: the validators found no verdict, and the message says why.
        customValidationErrorMessage: 'the target refused the request',
      });
      const [id] = await a.publish(eventWith(1));
      const inv = await a.settled(id as string);
      expect(inv.lastAttempt?.error).toEqual({
        code: 'RESPONSE_VALIDATION',
        message:
          'response validation failed: the JSON path $.data..*..missing visited more than 1000000 nodes',
      });
      expect(inv.attempts[0]?.validatorResults).toEqual([
        { jsonPath: '$.data..*..missing', expectedValues: ['1'], actualValue: null, passed: false },
      ]);
      a.off();
    });

    test.concurrent('a JSON path past its time budget (no node limit): RESPONSE_VALIDATION', async () => {
      const a = await tenant(slow);
      const route = routes.route(answersDeepJson);
      await a.create({
        url: route.url(),
        responseValidators: [DEEP_VALIDATOR],
      });
      const [id] = await a.publish(eventWith(1));
      const inv = await a.settled(id as string);
      expect(inv.lastAttempt?.error).toEqual({
        code: 'RESPONSE_VALIDATION',
        message: 'response validation failed: the JSON paths ran past their 100 ms validation budget',
      });
      expect(
        a.events
          .filter((e) => e.type === 'settled' && e.kind === 'validate')
          .map((e) => e.type === 'settled' && e.outcome),
      ).toEqual(['time']);
      a.off();
    });
  });

  test.concurrent('(b) while an attack runs, /healthz answers and another account’s delivery completes first', async () => {
    const attacker = await tenant(slow);
    const other = await tenant(slow);
    const attackRoute = routes.route();
    const otherRoute = routes.route();
    await attacker.create({ url: attackRoute.url(), bodyTemplate: SLOW_LOOP });
    await other.create({ url: otherRoute.url() });

    const order: string[] = [];
    const running = new Promise<void>((resolve) => {
      const off = slow.runtime.services.sandbox.on((e) => {
        if (e.type === 'replaced' || e.accountId !== attacker.accountId || e.kind !== 'render') return;
        order.push(`attack ${e.type}`);
        if (e.type === 'dispatched') resolve();
        if (e.type === 'settled') off();
      });
    });
    const [attackId] = await attacker.publish(eventWith(100_000));
    await running;

    const health = await fetch(healthz);
    expect(health.status).toBe(200);
    order.push('healthz answered');
    const [otherId] = await other.publish(eventWith(1));
    const delivered = await other.settled(otherId as string);
    expect(delivered.status).toBe('SUCCEEDED');
    order.push('other account delivered');

    const attack = await attacker.settled(attackId as string);
    expect(attack.lastAttempt?.error).toEqual({
      code: 'RENDER',
      message: expect.stringMatching(/^the template ran past its 5000 ms render budget/),
    });
    expect(order).toEqual([
      'attack dispatched',
      'healthz answered',
      'other account delivered',
      'attack settled',
    ]);
    // The same order in the runtime's own record of invocation changes.
    const at = (id: string, status: string) =>
      slow.changes.findIndex((c) => c.id === id && c.status === status);
    expect(at(otherId as string, 'SUCCEEDED')).toBeLessThan(at(attackId as string, 'FAILED'));
    expect(otherRoute.requests()).toHaveLength(1);
    attacker.off();
    other.off();
  });

  test.concurrent('(c) the pool replaces a terminated thread, and the next render works', async () => {
    const a = await tenant(t);
    const attackRoute = routes.route();
    const route = routes.route((_req, res) => json(res, 200, { ok: true }));
    // Two triggers, so that each event reaches one of the two webhooks.
    await a.create({ url: attackRoute.url(), bodyTemplate: LONG_FILTER, triggers: ['REQUEST_CREATED'] });
    await a.create({ url: route.url(), triggers: ['REQUEST_APPROVED'] });
    const replaced = new Promise<void>((resolve) => {
      const off = t.runtime.services.sandbox.on((e) => {
        if (e.type === 'replaced' && e.reason === 'time') {
          off();
          resolve();
        }
      });
    });
    const before = t.runtime.services.sandbox.stats().replaced;

    const [attackId] = await a.publish(eventWith(1_000_000));
    const failed = await a.settled(attackId as string);
    expect(failed.lastAttempt?.error?.message).toBe('the template ran past its 250 ms render budget');
    await replaced;
    expect(t.runtime.services.sandbox.stats().replaced).toBeGreaterThan(before);
    const metrics = await t.runtime.services.metrics.registry.metrics();
    const counted = Number(/^webhook_sandbox_threads_replaced_total (\d+)$/m.exec(metrics)?.[1]);
    expect(counted).toBeGreaterThan(before);

    const normal = {
      ...sampleEvent('RequestApproved'),
      data: { ...sampleEvent('RequestApproved').data, id: 'req_after' },
    };
    const [id] = await a.publish(normal);
    const ok = await a.settled(id as string);
    expect(ok.status).toBe('SUCCEEDED');
    expect(JSON.parse(route.requests()[0]?.body ?? '')).toMatchObject({ id: normal.data.id });
    expect(
      a.events.filter((e) => e.type === 'settled').map((e) => e.type === 'settled' && e.outcome),
    ).toEqual([
      'done', // saving the first webhook
      'done', // saving the second
      'time', // the attack, ended from outside
      'done', // the next render, on a new thread
    ]);
    a.off();
  });

  describe('(d) saving an attack template is a field error on bodyTemplate, from one task', () => {
    test.concurrent.each([
      ['a 1.5-million-iteration loop', LOOP_1_5M, 'the template ran past its 250 ms render budget'],
      [
        'a filter that runs long in one call',
        LONG_FILTER.replace('data.custom_fields.n', '1000000'),
        'the template ran past its 250 ms render budget',
      ],
      [
        'a huge output',
        HUGE_OUTPUT.replace('data.custom_fields.n', '1100'),
        'the rendered body is larger than 1 MiB',
      ],
    ])('createWebhook, updateWebhook and testWebhook: %s', async (_label, bodyTemplate, message) => {
      const a = await tenant(t);
      const sandbox = t.runtime.services.sandbox;
      const expected = [
        {
          path: ['input', 'bodyTemplate'],
          message: expect.stringMatching(
            new RegExp(`^${message}.* \\(rendering the RequestCreated sample event\\)$`),
          ),
        },
      ];

      const created = (await a.client.gql(CreateWebhook, { input: webhookInput({ bodyTemplate }) })).data
        ?.createWebhook;
      expect(created).toMatchObject({ __typename: 'ValidationError', fieldErrors: expected });
      // Six sample events, one task: the whole check ran under one budget.
      expect(sandbox.dispatchedFor(a.accountId)).toBe(1);

      const id = await a.create({});
      const before = sandbox.dispatchedFor(a.accountId);
      const updated = (await a.client.gql(UpdateWebhook, { id, input: { bodyTemplate } })).data
        ?.updateWebhook;
      expect(updated).toMatchObject({ __typename: 'ValidationError', fieldErrors: expected });
      expect(sandbox.dispatchedFor(a.accountId)).toBe(before + 1);

      const tested = (await a.client.gql(TestWebhook, { input: webhookInput({ bodyTemplate }) })).data
        ?.testWebhook;
      expect(tested).toMatchObject({ __typename: 'ValidationError', fieldErrors: expected });
      expect(sandbox.dispatchedFor(a.accountId)).toBe(before + 2);
      a.off();
    });

    test.concurrent('a JSON path with three descents is a field error on its jsonPath', async () => {
      const a = await tenant(t);
      const res = await a.client.gql(CreateWebhook, {
        input: webhookInput({ responseValidators: [{ jsonPath: '$.data..a..b..c', expectedValues: ['1'] }] }),
      });
      expect(res.data?.createWebhook).toMatchObject({
        __typename: 'ValidationError',
        fieldErrors: [
          {
            path: ['input', 'responseValidators', '0', 'jsonPath'],
            message: '$.data..a..b..c has 3 recursive descents (..); at most 2 are allowed',
          },
        ],
      });
      a.off();
    });
  });
});

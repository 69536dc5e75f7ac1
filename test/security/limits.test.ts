/**
 * Limits: query depth and cost (graphql-armor), aliases, request body size (413, 411), the per-key
 * rate limit (429 + Retry-After), webhooks per account, and the introspection / GraphiQL switches.
 * Each limit is shown with its setting changed, so the settings are honoured, not just the defaults.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import WebSocket from 'ws';
import { CreateWebhook, DeleteWebhook, ListWebhooks } from '../graphql/operations.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { webhookInput } from '../support/factories.js';
import { STORE_KINDS, uniqueName } from '../support/stores.js';
import { ListApiKeys } from './operations.js';
import { errorCode, type GraphQLBody, listen, post, rawHttp, wsRun, wsSession } from './support.js';

/** `webhooks → invocations → webhook → invocations …`: a selection `levels` fields deep. */
function deepQuery(levels: number): string {
  let inner = 'id';
  for (let i = 0; i < levels - 1; i++) {
    inner = i % 2 === 0 ? `webhook { ${inner} }` : `invocations { edges { node { ${inner} } } }`;
  }
  return `{ invocations { edges { node { ${inner} } } } }`;
}

async function fetchAs(t: TestApp, token: string | null, query: string, variables?: Record<string, unknown>) {
  const res = await t.app.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLBody };
}

describe('query shape, body size, introspection and GraphiQL limits', () => {
  /** Defaults (depth 12, cost 5000, body 1 MiB), for the controls. */
  let plain: TestApp;
  /** Small limits and both switches off. */
  let locked: TestApp;
  let lockedBase: string;
  let plainBase: string;

  beforeAll(async () => {
    [plain, locked] = await Promise.all([
      createTestApp('sqlite'),
      createTestApp('sqlite', {
        env: {
          GRAPHQL_MAX_DEPTH: '6',
          GRAPHQL_MAX_COST: '1000',
          MAX_REQUEST_BYTES: '4096',
          GRAPHQL_INTROSPECTION: 'false',
          GRAPHIQL: 'false',
        },
      }),
    ]);
    [plainBase, lockedBase] = await Promise.all([listen(plain), listen(locked)]);
  });
  afterAll(async () => {
    for (const t of [plain, locked]) {
      await t?.app.close(1_000);
      await t?.close();
    }
  });

  test.concurrent('a query deeper than GRAPHQL_MAX_DEPTH is refused before it runs', async () => {
    const ok = '{ webhooks { edges { node { id } } } }';
    const tooDeep = '{ webhooks { edges { node { invocations { edges { node { webhook { id } } } } } } } }';
    expect((await fetchAs(locked, locked.token, ok)).body.errors).toBeUndefined();
    const refused = await fetchAs(locked, locked.token, tooDeep);
    expect(refused.status).toBeLessThan(500);
    expect(refused.body.data ?? undefined).toBeUndefined();
    const [, found] =
      /depth limit of 6 exceeded, found (\d+)/.exec(refused.body.errors?.[0]?.message ?? '') ?? [];
    expect(Number(found)).toBeGreaterThan(6);
    expect(Number(found)).toBeLessThanOrEqual(12);
    // The same query passes the default limit of 12; a much deeper one does not.
    expect((await fetchAs(plain, plain.token, tooDeep)).body.errors).toBeUndefined();
    const wayTooDeep = await fetchAs(plain, plain.token, deepQuery(40));
    // (Whichever limit trips first: at this depth the cost is astronomical as well.)
    expect(wayTooDeep.body.data ?? undefined).toBeUndefined();
    expect(wayTooDeep.body.errors?.[0]?.message).toMatch(/(depth|Cost) limit of (12|5000) exceeded/);
  });

  test.concurrent('a costly query is refused (GRAPHQL_MAX_COST), also at the default', async () => {
    const wide = `{ ${Array.from({ length: 30 }, (_, i) => `w${i}: webhooks(first: 100) { edges { node { id name url method status triggers headers { name value } } } }`).join(' ')} }`;
    const refused = await fetchAs(locked, locked.token, wide);
    expect(refused.body.data ?? undefined).toBeUndefined();
    expect(refused.body.errors?.[0]?.message).toMatch(/Cost limit of 1000 exceeded/);
    expect(
      (await fetchAs(locked, locked.token, '{ webhooks { edges { node { id } } } }')).body.errors,
    ).toBeUndefined();
    // Within the default depth and alias limits, but far over the default cost.
    const heavy = `{ ${Array.from(
      { length: 30 },
      (_, i) =>
        `i${i}: invocations(first: 100) { edges { node { id webhook { id name invocations(first: 100) { edges { node { id attempts { number request { url body headers { name value } } response { body headers { name value } } } } } } } } } }`,
    ).join(' ')} }`;
    const costly = await fetchAs(plain, plain.token, heavy);
    expect(costly.body.data ?? undefined).toBeUndefined();
    expect(costly.body.errors?.[0]?.message).toMatch(/Cost limit of 5000 exceeded/);
  });

  test.concurrent('more than 30 aliases are refused, and a refused mutation creates nothing', async () => {
    const name = uniqueName('alias');
    const bomb = `mutation { ${Array.from({ length: 31 }, (_, i) => `k${i}: createApiKey(name: "${name}", role: VIEWER) { __typename }`).join(' ')} }`;
    const res = await fetchAs(plain, plain.token, bomb);
    expect(res.body.data ?? undefined).toBeUndefined();
    expect(res.body.errors?.[0]?.message).toMatch(/Aliases limit of 30 exceeded/);
    const keys = (await plain.gql(ListApiKeys, { first: 100 })).data?.apiKeys.edges.map((e) => e.node.name);
    expect(keys).not.toContain(name);
  });

  test.concurrent('a body over MAX_REQUEST_BYTES → 413, at the limit → accepted; no Content-Length → 411', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${locked.token}` };
    const body = (size: number) => {
      const base = JSON.stringify({ query: '{ viewer { role } }', variables: { pad: '' } });
      return JSON.stringify({
        query: '{ viewer { role } }',
        variables: { pad: 'x'.repeat(size - base.length) },
      });
    };
    expect(body(4096)).toHaveLength(4096);
    const atLimit = await rawHttp(lockedBase, { headers, body: body(4096) });
    expect(atLimit.status).toBe(200);
    expect(JSON.parse(atLimit.body)).toEqual({ data: { viewer: { role: 'ADMIN' } } });

    const over = await rawHttp(lockedBase, { headers, body: body(4097) });
    expect(over.status).toBe(413);
    expect(JSON.parse(over.body).errors[0].message).toMatch(/larger than 4096 bytes/);
    // Refused on the declared length, before authentication and before reading the body.
    const overNoKey = await rawHttp(lockedBase, {
      headers: { 'content-type': 'application/json' },
      body: body(50_000),
    });
    expect(overNoKey.status).toBe(413);
    const huge = await rawHttp(plainBase, {
      headers: { 'content-type': 'application/json', 'content-length': String(64 * 1_048_576) },
    });
    expect(huge.status).toBe(413);

    const chunked = await rawHttp(lockedBase, { headers, body: body(100), chunked: true });
    expect(chunked.status).toBe(411);
    expect(JSON.parse(chunked.body).errors[0].message).toMatch(/Content-Length is required/);
    // The server is fine afterwards.
    expect((await rawHttp(lockedBase, { method: 'GET', path: '/healthz' })).status).toBe(200);
  });

  test.concurrent('a WebSocket message over MAX_REQUEST_BYTES closes that socket (1009)', async (ctx) => {
    // graphql-ws reports the ws library's RangeError with console.error (not our logger); keep it out of the output.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    ctx.onTestFinished(() => quiet.mockRestore());
    const ws = wsSession(lockedBase, { authorization: `Bearer ${locked.token}` });
    await ws.connected;
    const big = `{ viewer { role } } # ${'x'.repeat(5_000)}`;
    void wsRun(ws.client, big);
    expect((await ws.closed).code).toBe(1009);
    await ws.dispose();
    // A raw oversized connection_init is refused the same way.
    const raw = new WebSocket(`${lockedBase.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise((r) => raw.once('open', r));
    raw.send(
      JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${'x'.repeat(5_000)}` } }),
    );
    expect(await new Promise<number>((r) => raw.once('close', (code) => r(code)))).toBe(1009);
  });

  test.concurrent('GRAPHQL_INTROSPECTION=false refuses __schema and __type and hides suggestions', async () => {
    for (const query of [
      '{ __schema { types { name } } }',
      '{ __type(name: "Webhook") { fields { name } } }',
    ]) {
      const res = await fetchAs(locked, locked.token, query);
      expect(res.status).toBeLessThan(500);
      expect(res.body.data ?? undefined).toBeUndefined();
      expect(res.body.errors?.[0]?.message).toMatch(/introspection/i);
      // The control: on by default.
      expect((await fetchAs(plain, plain.token, query)).body.errors).toBeUndefined();
    }
    const typo = await fetchAs(locked, locked.token, '{ webhoks { edges { cursor } } }');
    expect(typo.body.errors?.[0]?.message).toMatch(/Cannot query field "webhoks"/);
    expect(JSON.stringify(typo.body)).not.toMatch(/Did you mean/);
    const suggested = await fetchAs(plain, plain.token, '{ webhoks { edges { cursor } } }');
    expect(suggested.body.errors?.[0]?.message).toMatch(/Did you mean "webhooks"/);
    // __typename is not introspection.
    expect((await fetchAs(locked, locked.token, '{ __typename }')).body).toEqual({
      data: { __typename: 'Query' },
    });
  });

  test.concurrent('GRAPHIQL=false: no GraphiQL page, and still no way in without a key', async () => {
    const page = await rawHttp(lockedBase, { method: 'GET', headers: { accept: 'text/html' } });
    expect(page.status).toBeLessThan(500);
    expect(page.status).not.toBe(200);
    expect(page.body.toLowerCase()).not.toContain('graphiql');
    expect(page.body).not.toMatch(/<html/i);
    const withQuery = await rawHttp(lockedBase, {
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent('{ viewer { role } }')}`,
      headers: { accept: 'text/html' },
    });
    expect(withQuery.status).toBe(401);
    // The control: on by default.
    const on = await rawHttp(plainBase, { method: 'GET', headers: { accept: 'text/html' } });
    expect(on.body.toLowerCase()).toContain('graphiql');
  });
});

describe('per-key rate limit', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { env: { RATE_LIMIT_PER_MINUTE: '5' } });
    base = await listen(t);
  });
  afterAll(async () => {
    await t?.app.close(1_000);
    await t?.close();
  });

  test.concurrent('the 6th request of a key within a minute is 429 with a numeric Retry-After; other keys go on', async () => {
    const key = await t.newKey('VIEWER');
    const sameAccount = await t.newKey('VIEWER');
    const otherAccount = await t.newAccount();
    for (let i = 0; i < 5; i++) {
      const res = await post(base, key.token, '{ viewer { role } }');
      expect(res.status, `request ${i + 1}`).toBe(200);
    }
    const limited = await post(base, key.token, '{ viewer { role } }');
    expect(limited.status).toBe(429);
    expect(errorCode(limited.body)).toBe('RATE_LIMITED');
    expect(limited.body.errors?.[0]?.message).toMatch(/too many requests/);
    const retryAfter = limited.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    // Every transport shares the key's bucket: GET and SSE are refused too.
    const get = await rawHttp(base, {
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent('{ viewer { role } }')}`,
      headers: { authorization: `Bearer ${key.token}` },
    });
    expect(get.status).toBe(429);
    expect(get.headers['retry-after']).toMatch(/^\d+$/);
    // Other keys, of the same account or another, are not affected.
    expect((await post(base, sameAccount.token, '{ viewer { role } }')).status).toBe(200);
    expect((await post(base, otherAccount.token, '{ viewer { role } }')).status).toBe(200);
  });

  test.concurrent('requests without a valid key are 401, not counted against anyone', async () => {
    const key = await t.newKey('VIEWER');
    for (let i = 0; i < 10; i++) {
      expect((await post(base, `${key.token}x`, '{ viewer { role } }')).status).toBe(401);
    }
    expect((await post(base, key.token, '{ viewer { role } }')).status).toBe(200);
  });

  test.concurrent('operations over graphql-ws count against the same per-key limit', async () => {
    const key = await t.newKey('VIEWER');
    const ws = wsSession(base, { authorization: `Bearer ${key.token}` });
    try {
      await ws.connected;
      const codes: unknown[] = [];
      for (let i = 0; i < 8; i++) {
        const run = await wsRun(ws.client, '{ viewer { role } }');
        // A refused operation is graphql-ws's `error` message: the list of GraphQL errors.
        const refused = Array.isArray(run.error)
          ? { errors: run.error as { extensions?: Record<string, unknown> }[] }
          : undefined;
        codes.push(errorCode(run.results[0] ?? refused));
      }
      expect(codes.slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
      expect(codes.slice(5)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    } finally {
      await ws.dispose();
    }
  });
});

describe.each(STORE_KINDS)('webhooks per account on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { env: { MAX_WEBHOOKS_PER_ACCOUNT: '3' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  test.concurrent('the 4th createWebhook is a ConflictError and stores nothing; the cap is per account', async () => {
    const account = await t.newAccount();
    const client = t.as(account.token);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await client.gql(CreateWebhook, { input: webhookInput() });
      const result = res.data?.createWebhook;
      if (result?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(res));
      ids.push(result.webhook.id);
    }
    const name = uniqueName('fourth');
    const fourth = await client.gql(CreateWebhook, { input: webhookInput({ name }) });
    expect(fourth.data?.createWebhook).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      message: expect.stringMatching(/maximum of 3 webhooks/),
    });
    const listed = (await client.gql(ListWebhooks, { first: 100 })).data?.webhooks.edges.map(
      (e) => e.node.id,
    );
    expect(listed?.sort()).toEqual([...ids].sort());
    expect((await client.gql(ListWebhooks, { nameContains: name })).data?.webhooks.edges).toEqual([]);
    // Another account has its own allowance.
    const other = await t.newAccount();
    const theirs = await t.as(other.token).gql(CreateWebhook, { input: webhookInput() });
    expect(theirs.data?.createWebhook.__typename).toBe('CreateWebhookSuccess');
    // Deleting one makes room again.
    await client.gql(DeleteWebhook, { id: ids[0] as string });
    const again = await client.gql(CreateWebhook, { input: webhookInput({ name }) });
    expect(again.data?.createWebhook.__typename).toBe('CreateWebhookSuccess');
  });
});

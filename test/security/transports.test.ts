/**
 * Every transport refuses callers without a valid key (HTTP POST, HTTP GET, SSE and graphql-ws) and
 * answers a key's role the same way on each: FORBIDDEN for what the role may not do.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { createTestApp, type TestApp } from '../support/app.js';
import { errorCode, type GraphQLBody, listen, rawHttp, sse, wsRun, wsSession } from './support.js';

const READ = '{ webhooks(first: 1) { edges { cursor } } }';
const MUTATION = 'mutation { createApiKey(name: "from a transport test", role: ADMIN) { __typename } }';
const SUBSCRIPTION = 'subscription { invocationUpdated { id } }';

let t: TestApp;
let base: string;
let viewer: { id: string; token: string };
let publisher: { id: string; token: string };

beforeAll(async () => {
  t = await createTestApp('sqlite');
  base = await listen(t);
  viewer = await t.newKey('VIEWER');
  publisher = await t.newKey('PUBLISHER');
});
afterAll(async () => {
  await t?.app.close(1_000);
  await t?.close();
});

/** Authorization headers that must not get anyone in. */
const BAD_AUTH: [string, () => Record<string, string>][] = [
  ['no Authorization header', () => ({})],
  ['an empty header', () => ({ authorization: '' })],
  [
    'another scheme (Basic)',
    () => ({ authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }),
  ],
  ['the scheme without a token', () => ({ authorization: 'Bearer' })],
  ['the token without the scheme', () => ({ authorization: t.token })],
  ['two tokens', () => ({ authorization: `Bearer ${t.token} ${t.token}` })],
  ['an unknown key', () => ({ authorization: `Bearer whk_${randomBytes(32).toString('base64url')}` })],
  ['a short token', () => ({ authorization: 'Bearer whk_x' })],
  ['an oversized token', () => ({ authorization: `Bearer whk_${'A'.repeat(4_000)}` })],
  [
    'a key with one character changed',
    () => ({ authorization: `Bearer ${t.token.slice(0, -1)}${t.token.endsWith('A') ? 'B' : 'A'}` }),
  ],
];

function expectUnauthenticated(status: number, headers: Record<string, unknown>, body: string) {
  expect(status).toBe(401);
  expect(String(headers['www-authenticate'])).toMatch(/^Bearer/);
  const parsed = JSON.parse(body) as GraphQLBody;
  expect(errorCode(parsed)).toBe('UNAUTHENTICATED');
  expect(parsed.errors?.[0]?.message).toMatch(/authentication required|API key is not valid/);
  expect(parsed.data).toBeUndefined();
  // The refusal never repeats what was sent.
  expect(body).not.toContain(t.token.slice(4, 20));
}

describe('unauthenticated requests are refused with 401 UNAUTHENTICATED', () => {
  test.concurrent.for(BAD_AUTH)('HTTP POST: %s', async ([, auth]) => {
    for (const query of [READ, MUTATION]) {
      const res = await rawHttp(base, {
        headers: { 'content-type': 'application/json', ...auth() },
        body: JSON.stringify({ query }),
      });
      expectUnauthenticated(res.status, res.headers, res.body);
    }
  });

  test.concurrent.for(BAD_AUTH)('HTTP GET: %s', async ([, auth]) => {
    const res = await rawHttp(base, {
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent(READ)}`,
      headers: auth(),
    });
    expectUnauthenticated(res.status, res.headers, res.body);
    // Asking for HTML gets the public GraphiQL page (the query only prefilled), never a result.
    const html = await rawHttp(base, {
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent(READ)}`,
      headers: { accept: 'text/html', ...auth() },
    });
    expect(html.status).toBe(200);
    expect(String(html.headers['content-type'])).toMatch(/text\/html/);
    expect(html.body).not.toMatch(/"edges"|"data"/);
  });

  test.concurrent.for(BAD_AUTH)('SSE: %s', async ([, auth]) => {
    for (const method of ['POST', 'GET'] as const) {
      for (const query of [SUBSCRIPTION, READ]) {
        const res = await sse(base, auth(), query, {}, { method, timeoutMs: 10_000 });
        expectUnauthenticated(res.status, Object.fromEntries(res.headers), res.text);
        expect(res.events).toEqual([]);
      }
    }
  });

  test.concurrent.for(BAD_AUTH)('graphql-ws connection_init: %s → closed with 4403', async ([, auth]) => {
    const header = auth().authorization;
    const ws = wsSession(base, header === undefined ? undefined : { authorization: header });
    const closed = await ws.closed;
    expect(closed).toEqual({ code: 4403, reason: 'Forbidden' });
    await expect(ws.connected).rejects.toThrow(/4403/);
  });

  test.concurrent('graphql-ws: odd connectionParams are refused too', async () => {
    for (const params of [
      { authorization: 42 },
      { authorization: { token: t.token } },
      { Authorization: `Bearer ${t.token}x` },
      { token: t.token },
    ]) {
      const ws = wsSession(base, params as Record<string, unknown>);
      expect((await ws.closed).code, JSON.stringify(params).slice(0, 40)).toBe(4403);
    }
  });

  test.concurrent('graphql-ws: an operation before connection_init closes the socket (4401), nothing runs', async () => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const messages: string[] = [];
    socket.on('message', (m) => messages.push(String(m)));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: MUTATION } }));
    const code = await new Promise<number>((resolve) => socket.once('close', (c) => resolve(c)));
    expect(code).toBe(4401);
    expect(messages).toEqual([]);
    const names = (await t.raw('{ apiKeys(first: 100) { edges { node { name } } } }')).data as {
      apiKeys: { edges: { node: { name: string } }[] };
    };
    expect(names.apiKeys.edges.map((e) => e.node.name)).not.toContain('from a transport test');
  });

  test.concurrent('nothing was created by any refused mutation', async () => {
    const res = await rawHttp(base, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: MUTATION }),
    });
    expect(res.status).toBe(401);
    const names = (await t.raw('{ apiKeys(first: 100) { edges { node { name } } } }')).data as {
      apiKeys: { edges: { node: { name: string } }[] };
    };
    expect(names.apiKeys.edges.map((e) => e.node.name)).not.toContain('from a transport test');
  });

  test.concurrent('the GraphiQL page itself loads without a key, and holds no key', async () => {
    const page = await rawHttp(base, { method: 'GET', headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(String(page.headers['content-type'])).toMatch(/text\/html/);
    expect(page.body.toLowerCase()).toContain('graphiql');
    expect(page.body).not.toContain(t.token);
    expect(page.body).not.toMatch(/whk_[A-Za-z0-9_-]{20,}/);
  });
});

describe('a role is refused the same way over every transport (FORBIDDEN)', () => {
  function expectForbidden(body: GraphQLBody | undefined, field: string) {
    expect(errorCode(body)).toBe('FORBIDDEN');
    expect(body?.errors?.[0]?.message).toMatch(/may not use/);
    expect((body?.data as Record<string, unknown> | null | undefined)?.[field] ?? null).toBeNull();
  }

  test.concurrent('HTTP POST: PUBLISHER reads, VIEWER mutates', async () => {
    const post = async (token: string, query: string) => {
      const res = await rawHttp(base, {
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
      expect(res.status).toBe(200);
      return JSON.parse(res.body) as GraphQLBody;
    };
    expectForbidden(await post(publisher.token, READ), 'webhooks');
    expectForbidden(await post(viewer.token, MUTATION), 'createApiKey');
  });

  test.concurrent('HTTP GET: PUBLISHER reads; mutations are not accepted over GET at all', async () => {
    const get = (token: string, query: string) =>
      rawHttp(base, {
        method: 'GET',
        path: `/graphql?query=${encodeURIComponent(query)}`,
        headers: { authorization: `Bearer ${token}` },
      });
    const read = await get(publisher.token, READ);
    expect(read.status).toBe(200);
    expectForbidden(JSON.parse(read.body) as GraphQLBody, 'webhooks');
    for (const token of [viewer.token, t.token]) {
      const mutation = await get(token, MUTATION);
      expect(mutation.status).toBe(405);
      expect((JSON.parse(mutation.body) as GraphQLBody).errors?.[0]?.message).toMatch(/mutation/i);
    }
  });

  test.concurrent('SSE: PUBLISHER reads and subscribes, VIEWER mutates', async () => {
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    const read = await sse(base, auth(publisher.token), READ);
    expect(read.status).toBe(200);
    expectForbidden(read.events[0], 'webhooks');
    const subscription = await sse(base, auth(publisher.token), SUBSCRIPTION, {}, { timeoutMs: 10_000 });
    expect(subscription.events).toHaveLength(1);
    expectForbidden(subscription.events[0], 'invocationUpdated');
    expect(subscription.ended).toBe(true);
    const mutation = await sse(base, auth(viewer.token), MUTATION);
    expectForbidden(mutation.events[0], 'createApiKey');
    // The control: VIEWER may read over SSE.
    const ok = await sse(base, auth(viewer.token), '{ viewer { role } }');
    expect(ok.events).toEqual([{ data: { viewer: { role: 'VIEWER' } } }]);
  });

  test.concurrent('graphql-ws: PUBLISHER reads and subscribes, VIEWER mutates', async () => {
    const pub = wsSession(base, { authorization: `Bearer ${publisher.token}` });
    const view = wsSession(base, { authorization: `Bearer ${viewer.token}` });
    try {
      await Promise.all([pub.connected, view.connected]);
      const read = await wsRun(pub.client, READ);
      expectForbidden(read.results[0], 'webhooks');
      const subscription = await wsRun(pub.client, SUBSCRIPTION);
      expect(subscription.error).toBeUndefined();
      expect(subscription.results).toHaveLength(1);
      expectForbidden(subscription.results[0], 'invocationUpdated');
      const mutation = await wsRun(view.client, MUTATION);
      expectForbidden(mutation.results[0], 'createApiKey');
      // A refused operation does not end the connection: the role's allowed operations still work.
      expect((await wsRun(pub.client, '{ viewer { role } }')).results).toEqual([
        { data: { viewer: { role: 'PUBLISHER' } } },
      ]);
    } finally {
      await Promise.all([pub.dispose(), view.dispose()]);
    }
  });
});

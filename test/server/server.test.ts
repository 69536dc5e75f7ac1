import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { createTestApp, type TestApp } from '../support/app.js';

describe('HTTP and WebSocket server', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    await new Promise<void>((resolve) => t.app.server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t.app.close(1_000);
    await t.close();
  });

  test('healthz and readyz answer', async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', store: 'sqlite' });
  });

  test('GraphiQL is served at /graphql to browsers, and / is the web console', async () => {
    const page = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect((await page.text()).toLowerCase()).toContain('graphiql');
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<script type="module" src="/console/app.js?v=');
  });

  test('queries work over HTTP POST and GET', async () => {
    const post = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
      body: JSON.stringify({ query: '{ sampleEvent(trigger: REQUEST_GRANTED) }' }),
    });
    expect(
      ((await post.json()) as { data: { sampleEvent: { event_type: string } } }).data.sampleEvent.event_type,
    ).toBe('RequestGranted');
    const get = await fetch(
      `${base}/graphql?query=${encodeURIComponent('{ webhooks(first: 1) { pageInfo { hasNextPage } } }')}`,
      { headers: { authorization: `Bearer ${t.token}` } },
    );
    expect(await get.json()).toEqual({ data: { webhooks: { pageInfo: { hasNextPage: false } } } });
  });

  test('graphql-ws on the same port and path runs operations', async () => {
    const client = createClient({
      url: `${base.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${t.token}` },
    });
    try {
      const result = await new Promise<unknown>((resolve, reject) => {
        let value: unknown;
        client.subscribe(
          { query: 'query { sampleEvent(trigger: REQUEST_EXPIRED) }' },
          { next: (v) => (value = v), error: reject, complete: () => resolve(value) },
        );
      });
      expect(result).toMatchObject({ data: { sampleEvent: { event_type: 'RequestExpired' } } });
    } finally {
      await client.dispose();
    }
  });

  test('client mistakes are explained; unexpected errors are masked', async () => {
    const bad = await t.raw('{ webhooks { edges { node { nope } } } }');
    expect(bad.errors?.[0]?.message).toMatch(/Cannot query field "nope"/);
    const wrongType = await t.raw('{ webhooks(first: "ten") { pageInfo { hasNextPage } } }');
    expect(wrongType.errors?.[0]?.message).toMatch(/Int cannot represent/);
  });
});

test('readyz is 503 and resolvers fail masked when the store is gone', async () => {
  const t = await createTestApp('sqlite');
  await new Promise<void>((resolve) => t.app.server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  try {
    await t.stores.close();
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', store: 'sqlite' });
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
      body: JSON.stringify({ query: '{ webhooks { edges { cursor } } }' }),
    });
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ errors: [{ extensions: { code: 'UNAVAILABLE' } }] });
    expect(body).not.toMatch(/sqlite|database|stack/i);
  } finally {
    await t.app.close(1_000);
    await t.close();
  }
});

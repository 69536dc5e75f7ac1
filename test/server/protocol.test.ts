import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { newId } from '../../src/domain/ids.js';
import { QUERY_LIMIT_CODES } from '../../src/server/graphql-errors.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { STORE_KINDS } from '../support/stores.js';

/**
 * What generic GraphQL clients rely on, beyond the schema: node(id) answers null for ids that name
 * no node; errors carry codes and no transport internals on every transport; the GraphiQL page is
 * served with security headers.
 */

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe.concurrent.each(STORE_KINDS)('node(id) on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  test.concurrent('an id that names no node is null, with no error', async () => {
    const other = await t.newAccount();
    const key = await t.newKey('VIEWER');
    const ids = [
      'garbage',
      'wh_',
      '',
      'wh_00000000000000000000000000',
      newId('Account'),
      t.accountId,
      other.accountId,
      newId('Event'),
      `zz_${newId('Webhook').slice(3)}`,
      newId('ApiKey'),
    ];
    for (const id of ids) {
      const res = await t.raw('query($id: ID!) { node(id: $id) { id } }', { id });
      expect(res, id).toEqual({ data: { node: null } });
    }
    // The same inline, as the client sent it.
    expect(await t.raw('{ node(id: "garbage") { id } }')).toEqual({ data: { node: null } });
    // A node of this account still resolves.
    expect(await t.raw('query($id: ID!) { node(id: $id) { id } }', { id: key.id })).toEqual({
      data: { node: { id: key.id } },
    });
  });
});

describe('errors and pages on every transport', () => {
  let t: TestApp;
  let base: string;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await createTestApp('sqlite', { env: { GRAPHQL_MAX_DEPTH: '4', GRAPHQL_MAX_COST: '500' } });
    await new Promise<void>((resolve) => t.app.server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.app.close(1_000);
    await t.close();
  });

  function ws(): Client {
    const client = createClient({
      url: `${base.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${t.token}` },
    });
    clients.push(client);
    return client;
  }

  /** One operation over graphql-ws: its results, or the errors it was refused with. */
  function overWs(query: string): Promise<{ results: Body[]; errors?: Body['errors'] }> {
    const results: Body[] = [];
    return new Promise((resolve, reject) => {
      ws().subscribe(
        { query },
        {
          next: (value) => results.push(value as Body),
          error: (error) =>
            Array.isArray(error) ? resolve({ results, errors: error as Body['errors'] }) : reject(error),
          complete: () => resolve({ results }),
        },
      );
    });
  }

  async function overHttp(query: string): Promise<{ status: number; body: Body }> {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.token}` },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, body: (await res.json()) as Body };
  }

  test.concurrent('graphql-ws: validation and syntax errors carry no extensions.http', async () => {
    const invalid = await overWs('{ noSuchField }');
    expect(invalid.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining('noSuchField') }),
    ]);
    const syntax = await overWs('{ viewer {');
    expect(syntax.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^Syntax Error/) }),
    ]);
    for (const error of [...(invalid.errors ?? []), ...(syntax.errors ?? [])]) {
      expect(error.extensions ?? {}).not.toHaveProperty('http');
    }
    // And a valid operation on a new connection still runs.
    expect((await overWs('{ viewer { role } }')).results).toEqual([{ data: { viewer: { role: 'ADMIN' } } }]);
  });

  const deep = '{ webhooks { edges { node { invocations { edges { node { id } } } } } } }';
  const costly = `{ ${Array.from({ length: 20 }, (_, i) => `w${i}: webhooks(first: 100) { edges { node { id name } } }`).join(' ')} }`;
  const aliases = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: viewer { role }`).join(' ')} }`;
  const directives = `{ viewer { role ${'@include(if: true) '.repeat(31)} } }`;
  const tokens = `{ ${'viewer { role } '.repeat(2_600)} }`;
  const limits = [
    ['depth', deep, /^Query depth limit of 4 exceeded, found \d+\.$/],
    ['cost', costly, /^Query Cost limit of 500 exceeded, found \d+\.$/],
    ['aliases', aliases, /^Aliases limit of 30 exceeded, found 31\.$/],
    ['directives', directives, /^Directives limit of 30 exceeded, found 31\.$/],
    ['tokens', tokens, /^Token limit of 10000 exceeded\.$/],
  ] as const;

  test.concurrent.for(limits)(
    'a query past the %s limit: its code, no "Syntax Error" label',
    async ([limit, query, message]) => {
      const http = await overHttp(query);
      expect(http.status).toBeLessThan(500);
      expect(http.body.data ?? undefined).toBeUndefined();
      expect(http.body.errors?.[0]?.message).toMatch(message);
      expect(http.body.errors?.[0]?.extensions?.code).toBe(QUERY_LIMIT_CODES[limit]);

      const overSocket = await overWs(query);
      expect(overSocket.errors?.[0]?.message).toMatch(message);
      expect(overSocket.errors?.[0]?.extensions).toEqual({ code: QUERY_LIMIT_CODES[limit] });
    },
  );

  test.concurrent('a query nested past what the parser can hold: QUERY_TOO_DEEP', async () => {
    // One token per level (a list value), so the nesting outruns the parser's stack (a few thousand
    // levels) long before the 10,000-token limit would refuse it.
    const nested = `{ viewer(x: ${'['.repeat(9_900)}${']'.repeat(9_900)}) { role } }`;
    const http = await overHttp(nested);
    expect(http.status).toBeLessThan(500);
    expect(http.body.errors?.[0]).toMatchObject({
      message: 'the query is nested too deeply',
      extensions: { code: 'QUERY_TOO_DEEP' },
    });
  });

  test.concurrent('the GraphiQL page has a CSP allowing exactly its scripts, and frame and nosniff headers', async () => {
    const page = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = page.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
      (m) =>
        `'sha256-${createHash('sha256')
          .update(m[1] as string)
          .digest('base64')}'`,
    );
    expect(inline.length).toBeGreaterThan(0);
    // Every inline script is allowed by its hash, nothing inline beyond them, and no 'unsafe-*' for scripts.
    expect(directives.get('script-src')).toEqual(expect.arrayContaining(inline));
    expect(directives.get('script-src')?.filter((s) => s.startsWith("'"))).toEqual(inline);
    // Every external script the page loads comes from an allowed source.
    for (const [, src] of html.matchAll(/<script src=([^ >]+)>/g)) {
      expect(directives.get('script-src')?.some((s) => (src as string).startsWith(s))).toBe(true);
    }
    // The API's answers are not a page: they do not get the page's policy.
    const api = await fetch(`${base}/graphql?query=${encodeURIComponent('{ viewer { role } }')}`, {
      headers: { authorization: `Bearer ${t.token}` },
    });
    expect(api.headers.get('content-security-policy')).toBeNull();
  });
});

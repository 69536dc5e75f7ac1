/**
 * The console as the server serves it (no browser): the page, its assets and their headers, the bundle's
 * size and build time, and every operation the console sends checked against the real schema.
 */
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as queries from '../../src/console/app/queries.js';
import { consoleBundle } from '../../src/console/serve.js';
import { toSchema } from '../../src/graphql/index.js';
import { createTestApp, type TestApp } from '../support/app.js';

describe('web console serving', () => {
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

  test('/ is the console page: no inline script, a strict CSP, assets by content hash', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    const { version } = await consoleBundle();
    expect(html).toContain(`<script type="module" src="/console/app.js?v=${version}"></script>`);
    expect(html).toContain(`<link rel="stylesheet" href="/console/app.css?v=${version}">`);
    expect(html).not.toMatch(/<script>|<script type="module">/);
    // Styles from this origin, and <style> elements only with this response's nonce (the code editor's
    // base theme): never 'unsafe-inline', and a new nonce for every page.
    const directives = csp.split('; ');
    const styleSrc = directives.find((d) => d.startsWith('style-src ')) ?? '';
    const nonce = /^style-src 'self' 'nonce-([A-Za-z0-9+/]{22}==)'$/.exec(styleSrc)?.[1];
    expect(nonce, styleSrc).toBeDefined();
    expect(csp).not.toContain('unsafe');
    expect(directives).toContain("default-src 'none'");
    expect(html).toContain(`<meta name="csp-nonce" nonce="${nonce}">`);
    const again = (await fetch(`${base}/`)).headers.get('content-security-policy') ?? '';
    expect(again).toMatch(/style-src 'self' 'nonce-/);
    expect(again).not.toContain(nonce);
    // The assets are no documents: their CSP carries no nonce.
    const asset = await fetch(`${base}/console/app.css`);
    expect(asset.headers.get('content-security-policy')).toContain("style-src 'self';");

    const head = await fetch(`${base}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  test('the bundle: JavaScript and CSS, cacheable, small, built once per process in well under a second', async () => {
    const js = await fetch(`${base}/console/app.js?v=x`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    const code = Buffer.from(await js.arrayBuffer());
    const css = await fetch(`${base}/console/app.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const styles = Buffer.from(await css.arrayBuffer());

    const bundle = await consoleBundle();
    expect(code.equals(bundle.js)).toBe(true);
    expect(styles.equals(bundle.css)).toBe(true);
    // Cached for the process: the same build every time.
    expect(await consoleBundle()).toBe(bundle);
    // Budgets: today about 455 KB / 148 KB gzipped of JS (the code editor, CodeMirror, is three
    // quarters of it), under 200 ms to build; the console's JavaScript stays under 200 KB gzipped.
    expect(bundle.js.length).toBeLessThan(600_000);
    expect(gzipSync(bundle.js).length).toBeLessThan(200_000);
    expect(bundle.css.length).toBeLessThan(30_000);
    expect(bundle.buildMs).toBeGreaterThan(0);
    // Nothing of the server leaks into the browser bundle.
    expect(code.toString()).not.toMatch(/better-sqlite3|node:crypto|process\.env/);
  });

  test('other paths under /console/ are 404; the icon is served', async () => {
    expect((await fetch(`${base}/console/../src/main.ts`)).status).toBe(404);
    expect((await fetch(`${base}/console/app.js.map`)).status).toBe(404);
    const icon = await fetch(`${base}/console/icon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });

  test('every operation the console sends is valid against the schema', () => {
    const schema = toSchema();
    const operations = Object.entries(queries);
    expect(operations.length).toBeGreaterThan(10);
    for (const [name, source] of operations) {
      const errors = validate(schema, parse(source));
      expect(errors.map((e) => `${name}: ${e.message}`)).toEqual([]);
    }
  });
});

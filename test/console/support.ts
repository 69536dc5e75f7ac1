/**
 * The web console's end-to-end harness: a real server (createTestApp with dispatch, listening on a
 * loopback port), a real HTTPS receiver, and Debian's Chromium driven by playwright-core.
 *
 * Screenshots: with CONSOLE_SCREENSHOTS=1 (npm run screenshots) they are written to
 * test/console/screenshots/ (committed, shown in the README); otherwise to a temp dir, so a normal run
 * still exercises them without touching the work tree.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import { PublishEvent } from '../dispatch/operations.js';
import type { CreateWebhookInput } from '../gql/graphql.js';
import { CreateWebhook } from '../graphql/operations.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { webhookInput } from '../support/factories.js';
import { loopbackEnv, type Routes, startRoutes } from '../support/routes.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags this machine's Chromium needs (its network is closed: no background requests). */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `the web console's end-to-end tests need Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium ` +
        '(or set CHROMIUM_PATH); .ci/run installs it',
    );
  }
  // headless adds --headless; launch() gives every browser a fresh, temporary --user-data-dir.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}

export const WRITE_SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS === '1';
const SCREENSHOT_DIR = WRITE_SCREENSHOTS
  ? fileURLToPath(new URL('./screenshots/', import.meta.url))
  : join(tmpdir(), 'access-webhooks-console-screenshots');

/** A 1280×800 (or the page's viewport) PNG of what the page shows now. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // Stable pictures: no caret blinking, no transitions half-way.
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}

/**
 * The text of the body template's editor (CodeMirror's content element, found like any field with
 * getByLabel): its lines, as the form holds them. CodeMirror draws only the lines near the viewport;
 * the tests' templates are short enough to be drawn whole.
 */
export function editorText(editor: Locator): Promise<string> {
  return editor.evaluate((el) =>
    [...el.querySelectorAll('.cm-line')].map((line) => line.textContent ?? '').join('\n'),
  );
}

/** axe-core, evaluated in the page (the console's CSP refuses inline script tags; evaluate is not a tag). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string; summary: string }[];
}

/**
 * Runs axe-core on the page as it is now and fails on any serious or critical violation, naming the
 * state (what the test just did) and each offending element. Call it on every page state a test visits.
 */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(`axe
    .run(document, { resultTypes: ['violations'] })
    .then((result) => result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html, summary: n.failureSummary ?? '' })),
      })))`)) as AxeViolation[];
  if (violations.length === 0) return;
  const report = violations
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.html.slice(0, 200)}\n    ${n.summary.replace(/\n/g, '\n    ')}`).join('\n')}`,
    )
    .join('\n');
  throw new Error(`axe-core found serious or critical violations (${state}):\n${report}`);
}

export interface ConsoleEnv {
  t: TestApp;
  routes: Routes;
  browser: Browser;
  /** http://127.0.0.1:<port> */
  base: string;
  /** Uncaught errors of the console's pages (each test expects none). */
  pageErrors: string[];
  /** A new browser context (its own sessionStorage) and page. */
  newPage(options?: { width?: number; height?: number }): Promise<{ context: BrowserContext; page: Page }>;
  signIn(page: Page, token?: string): Promise<void>;
  createWebhook(overrides: Partial<CreateWebhookInput>, token?: string): Promise<string>;
  /** Publishes a RequestCreated event of this access flow; returns its invocation ids. */
  publish(flowId: string): Promise<string[]>;
  close(): Promise<void>;
}

export const flow = () => `flow_${randomBytes(5).toString('hex')}`;

/**
 * The console env of one describe block: started before its tests, closed after them, and after
 * each test, no uncaught page errors. The object is filled in when the block starts.
 */
export function useConsoleEnv(env: Record<string, string> = {}): ConsoleEnv {
  const shared = {} as ConsoleEnv;
  beforeAll(async () => {
    Object.assign(shared, await startConsoleEnv(env));
  });
  afterAll(async () => {
    await shared.close?.();
  });
  afterEach(() => {
    expect(shared.pageErrors).toEqual([]);
  });
  return shared;
}

export async function startConsoleEnv(env: Record<string, string> = {}): Promise<ConsoleEnv> {
  const routes = await startRoutes();
  const t = await createTestApp('sqlite', {
    dispatch: true,
    env: { ...loopbackEnv(routes), DISPATCH_RETRY_SCHEDULE: '0,100ms,100ms', ...env },
  });
  await new Promise<void>((resolve) => t.app.server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  return {
    t,
    routes,
    browser,
    base,
    pageErrors,
    async newPage({ width = 1280, height = 800 } = {}) {
      const context = await browser.newContext({
        viewport: { width, height },
        baseURL: base,
        locale: 'en-US',
        timezoneId: 'UTC',
      });
      context.setDefaultTimeout(10_000);
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (err) => pageErrors.push(err.message));
      return { context, page };
    },
    async signIn(page, token = t.token) {
      await page.goto('/');
      await page.getByLabel('API key').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    },
    async createWebhook(overrides, token = t.token) {
      const res = await t.as(token).gql(CreateWebhook, { input: webhookInput(overrides) });
      const result = res.data?.createWebhook;
      if (result?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(res));
      return result.webhook.id;
    },
    async publish(flowId) {
      const event = sampleEvent('RequestCreated');
      event.data.id = `req_${randomBytes(4).toString('hex')}`;
      event.data.access_flow = { id: flowId, name: 'Flow under test' };
      const res = await t.gql(PublishEvent, { event });
      const result = res.data?.publishEvent;
      if (result?.__typename !== 'PublishEventSuccess') throw new Error(JSON.stringify(res));
      return result.invocations.map((i) => i.id);
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await t.app.close(1_000);
      await t.close();
      await routes.close();
    },
  };
}

/**
 * The webhook form keeps what the user typed (Chromium, a real server): leaving a form with unsaved
 * changes asks first in the console's own dialog, whether by "Back to webhooks", a top link, the
 * browser's Back or signing out, and closing the tab gets the browser's question; staying keeps every
 * field. And Test in the pinned action bar brings its result into view, announced, a refused test
 * clearing the last verdict. axe-core checks every page state visited.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { json } from '../support/routes.js';
import { editorText, expectAccessible, useConsoleEnv } from './support.js';

describe('web console: nothing lost, results in sight', () => {
  const env = useConsoleEnv();

  const TEMPLATE = '{"request": "{{ data.friendly_id }}"}';

  /** Opens the new-webhook form from the table and fills it in (by typing: a user's activation). */
  async function fillNewForm(page: Page, name: string, url: string) {
    await page.getByRole('link', { name: 'Add Webhook' }).click();
    await page.getByRole('heading', { level: 1, name: 'Add Webhook' }).waitFor();
    await page.getByLabel('Name', { exact: true }).click();
    await page.keyboard.type(name);
    await page.getByLabel('URL', { exact: true }).fill(url);
    await page.getByLabel('Body template').fill(TEMPLATE);
  }

  async function expectKept(page: Page, name: string, url: string) {
    expect(page.url()).toMatch(/#\/webhooks\/new$/);
    await page.getByRole('heading', { level: 1, name: 'Add Webhook' }).waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(name);
    expect(await page.getByLabel('URL', { exact: true }).inputValue()).toBe(url);
    // (Playwright's fill leaves CodeMirror an empty last line.)
    expect((await editorText(page.getByLabel('Body template'))).trimEnd()).toBe(TEMPLATE);
  }

  const leaveDialog = (page: Page) => page.getByRole('dialog', { name: 'Leave without saving?' });

  test('"Back to webhooks" after a refused save asks first; staying keeps the form, leaving drops it', {
    timeout: 60_000,
  }, async () => {
    const { token } = await env.t.newAccount();
    const url = env.routes.route().url();
    await env.createWebhook({ name: 'Taken name', url }, token);
    const { page } = await env.newPage();
    await env.signIn(page, token);
    await fillNewForm(page, 'Taken name', url);

    // The case: a duplicate name refused, the complete webhook still only in the form.
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.locator('#f-name-error').waitFor();
    const back = page.getByRole('link', { name: 'Back to webhooks' });
    await back.click();
    const dialog = leaveDialog(page);
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('This new webhook is not saved yet');
    // Focus starts on the safe answer; the rest of the page is inert behind the modal dialog.
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Stay on this page');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Leave and discard changes');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Stay on this page');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Leave and discard changes');
    await page.keyboard.press('Shift+Tab');
    await expectAccessible(page, 'the leave question');

    await dialog.getByRole('button', { name: 'Stay on this page' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectKept(page, 'Taken name', url);
    // Focus goes back to the link that asked.
    expect(await back.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.locator('#f-name-error').count()).toBe(1);

    // Fixed and saved, the form is clean: leaving asks nothing.
    await page.getByLabel('Name', { exact: true }).fill('Free name');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByText('Created “Free name”.').waitFor();
    await page.getByRole('link', { name: 'Back to webhooks' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    expect(await leaveDialog(page).count()).toBe(0);

    // Leaving when told to: the table, nothing saved of the dropped form.
    await fillNewForm(page, 'Dropped', url);
    await page.getByRole('link', { name: 'Back to webhooks' }).click();
    await leaveDialog(page).getByRole('button', { name: 'Leave and discard changes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    expect(page.url()).toMatch(/#\/webhooks$/);
    const names = await env.t.as(token).raw('{ webhooks { edges { node { name } } } }');
    expect(names.data).toEqual({
      webhooks: { edges: expect.arrayContaining([{ node: { name: 'Free name' } }]) },
    });
    expect(JSON.stringify(names.data)).not.toContain('Dropped');
  });

  test('a top link and signing out ask too; Escape stays; an edited saved webhook is named', {
    timeout: 60_000,
  }, async () => {
    const { token } = await env.t.newAccount();
    const url = env.routes.route().url();
    const id = await env.createWebhook({ name: 'Stored hook', url }, token);
    const { page } = await env.newPage();
    await env.signIn(page, token);
    await page.getByRole('link', { name: 'Stored hook', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Stored hook' }).waitFor();
    await page.getByLabel('Description', { exact: true }).click();
    await page.keyboard.type('Changed, not saved');

    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Invocations' }).click();
    const dialog = leaveDialog(page);
    await dialog.getByText('Your changes to “Stored hook” are not saved.').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(page.url()).toMatch(new RegExp(`#/webhooks/${id}$`));
    expect(await page.getByLabel('Description', { exact: true }).inputValue()).toBe('Changed, not saved');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Stay on this page' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByLabel('Description', { exact: true }).inputValue()).toBe('Changed, not saved');
    expect(await page.locator('.role').textContent()).toBe('ADMIN');

    await nav.getByRole('link', { name: 'Invocations' }).click();
    await dialog.getByRole('button', { name: 'Leave and discard changes' }).click();
    await page.getByRole('heading', { level: 1, name: 'All invocations' }).waitFor();
    await expectAccessible(page, 'left for the invocations');
    const stored = await env.t.as(token).raw('query ($id: ID!) { webhook(id: $id) { description } }', { id });
    expect(stored.data).toEqual({ webhook: { description: expect.not.stringContaining('Changed') } });
  });

  test("the browser's Back asks first and staying keeps the form; closing the tab gets the browser's question", {
    timeout: 60_000,
  }, async () => {
    const { token } = await env.t.newAccount();
    const url = env.routes.route().url();
    const { page } = await env.newPage();
    await env.signIn(page, token);
    await fillNewForm(page, 'Back button', url);

    await page.goBack();
    const dialog = leaveDialog(page);
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Stay on this page' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectKept(page, 'Back button', url);
    await expectAccessible(page, 'stayed after Back');

    // Closing the tab: the browser asks; staying keeps the page and the form.
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.type());
      void d.dismiss();
    });
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => asked).toEqual(['beforeunload']);
    expect(page.isClosed()).toBe(false);
    await expectKept(page, 'Back button', url);

    // Back again, and leave: the table, where Back was going.
    await page.goBack();
    await dialog.getByRole('button', { name: 'Leave and discard changes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    // Signing in opened the table at the console's root: that is where Back went.
    expect(new URL(page.url()).hash).toBe('');
    // The history is as it was: Forward opens the (now empty) form again.
    await page.goForward();
    await page.getByRole('heading', { level: 1, name: 'Add Webhook' }).waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('');
  });

  test('Test in the pinned action bar brings its result into view; a refused test clears the last one', {
    timeout: 60_000,
  }, async () => {
    let status = 200;
    // A failure answers a long body: it scrolls in the invocation panel.
    const route = env.routes.route((_req, res) =>
      json(
        res,
        status,
        status === 200 ? { ok: true } : { ok: false, log: Array.from({ length: 80 }, (_, i) => `line ${i}`) },
      ),
    );
    const { token } = await env.t.newAccount();
    const { page } = await env.newPage();
    await env.signIn(page, token);
    await fillNewForm(page, 'Tested from the bar', route.url());
    // At the top of the form (under the template gallery), where the bar is pinned to the viewport.
    const toFormTop = "document.getElementById('sec-general').scrollIntoView()";
    await page.evaluate(toFormTop);

    const testButton = page.getByRole('button', { name: 'Test', exact: true });
    const result = page.locator('.test-result');
    /** The result is inside the viewport and not covered (by the pinned bar or anything else). */
    const inView = () =>
      result.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return box.top >= 0 && box.bottom <= window.innerHeight && el.contains(hit);
      });
    // Far above the result: the case of the issue (it appeared ~1,170 px below the viewport).
    expect(await testButton.evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight)).toBe(
      true,
    );
    expect(
      await page
        .locator('.test-result-region')
        .evaluate((el) => el.getBoundingClientRect().top > window.innerHeight),
    ).toBe(true);

    await testButton.click();
    await result.getByText('Test successful').waitFor();
    expect(await inView()).toBe(true);
    // Announced: it is in a polite live region; the focus stays on Test, to run it again.
    expect(await result.evaluate((el) => el.closest('[aria-live="polite"]') !== null)).toBe(true);
    expect(await testButton.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectAccessible(page, 'the test result in view');

    // A failed delivery: in words too.
    status = 500;
    await page.evaluate(toFormTop);
    await testButton.click();
    await result.getByText(/^Test failed/).waitFor();
    expect(await result.locator('.error-sentence').textContent()).toBe(
      'The receiver answered with an error status.',
    );
    expect(await inView()).toBe(true);
    // Its long response body scrolls: a named region the keyboard reaches (Tab) and scrolls.
    await result.getByRole('button', { name: 'View invocation data' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invocation data' });
    const body = dialog.getByRole('region', { name: 'Response body' }).locator('pre');
    await body.waitFor();
    expect(await body.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    await body.focus();
    await page.keyboard.press('PageDown');
    await expect.poll(() => body.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    await expectAccessible(page, 'a long response body in the invocation panel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // Refused by the server (an address deliveries never go to): no stale verdict, the URL says why.
    status = 200;
    await testButton.click();
    await result.getByText('Test successful').waitFor();
    await page.getByLabel('URL', { exact: true }).fill('https://10.0.0.1/hook');
    await testButton.click();
    await page.locator('#f-url-error').waitFor();
    expect(await page.locator('#f-url-error').textContent()).toBe(
      "is a private address (10.0.0.1), so it would never be called: use the receiver's public host name or address",
    );
    expect(await result.count()).toBe(0);
    expect(await page.getByText('Test successful').count()).toBe(0);
    await expectAccessible(page, 'a refused test');
    // Refused before it is sent (the console's own check of a field): no stale verdict either.
    await page.getByLabel('URL', { exact: true }).fill(route.url());
    await testButton.click();
    await result.getByText('Test successful').waitFor();
    await page.getByLabel('Timeout (seconds)').fill('1.5');
    await testButton.click();
    await page.locator('#f-timeoutSeconds-error').waitFor();
    expect(await result.count()).toBe(0);
  });
});

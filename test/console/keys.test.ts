/**
 * The console's API keys page end to end (Chromium, a real server): an ADMIN key lists the account's
 * keys, makes one (its token shown once, copied to the clipboard, or selected when there is none),
 * and revokes one after a confirmation; the made key works against /graphql over HTTP, the revoked
 * one is refused. Each test has an account of its own. axe-core checks every page state visited.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { eventually } from '../support/routes.js';
import { expectAccessible, useConsoleEnv } from './support.js';

describe('web console: API keys', () => {
  const env = useConsoleEnv();

  /** `{ viewer { role } }` over HTTP with a token: its role, or the error the server answers. */
  async function viewerRole(token: string): Promise<string> {
    const res = await fetch(`${env.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    const body = (await res.json()) as {
      data?: { viewer: { role: string } } | null;
      errors?: { extensions?: { code?: string } }[];
    };
    return body.data?.viewer.role ?? `refused: ${body.errors?.[0]?.extensions?.code}`;
  }

  async function openKeysPage(page: Page, token: string) {
    await env.signIn(page, token);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
    await page.locator('tbody tr').first().waitFor();
  }

  test('an admin makes a key (shown once, copied), it works; revoked after a confirmation, it is refused', {
    timeout: 60_000,
  }, async () => {
    const { token } = await env.t.newAccount();
    const { context, page } = await env.newPage();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.base });
    await openKeysPage(page, token);

    // The list: the key signed in with, marked as such.
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('.tag').textContent()).toBe('this key');
    expect(await rows.first().getByRole('cell').nth(1).textContent()).toBe('ADMIN');
    await expectAccessible(page, 'the keys page');

    // A key needs a name: the field says so, nothing is made.
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.locator('#f-name-error').getByText('must not be empty').waitFor();
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'a key without a name');
    expect(await rows.count()).toBe(1);

    await page.getByLabel('Name', { exact: true }).fill('CI publisher');
    await page.getByLabel('Role').selectOption('PUBLISHER');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.locator('.new-key');
    await shown.getByText('Created “CI publisher”.').waitFor();
    const tokenField = page.getByLabel('The new API key');
    const newToken = await tokenField.inputValue();
    expect(newToken).toMatch(/^whk_/);
    // Focus goes to the key just shown, so it is read out and copied from there.
    await page.waitForFunction('document.activeElement?.classList.contains("new-key")');
    await expectAccessible(page, 'a key made, its token shown');
    await shown.getByRole('button', { name: 'Copy key' }).click();
    await shown.getByText('The key is on the clipboard.').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(newToken);

    // The key works against /graphql, with the role it was given; the list shows it, newest first.
    expect(await viewerRole(newToken)).toBe('PUBLISHER');
    const made = page.locator('tbody tr', { hasText: 'CI publisher' });
    expect(await rows.first().textContent()).toContain('CI publisher');
    expect(await made.getByRole('cell').nth(1).textContent()).toBe('PUBLISHER');
    expect(await made.getByRole('cell').nth(2).textContent()).toBe(`${newToken.slice(0, 12)}…`);
    expect(await made.getByRole('cell').nth(4).textContent()).toBe('Never');

    // Shown once: after a reload the token is gone from the page; the key's last use is listed.
    await eventually(async () => {
      const res = await env.t.as(token).raw('{ apiKeys { edges { node { name lastUsedAt } } } }');
      const edges = (
        res.data as { apiKeys: { edges: { node: { name: string; lastUsedAt: string | null } }[] } }
      ).apiKeys.edges;
      return edges.find((e) => e.node.name === 'CI publisher')?.node.lastUsedAt != null;
    });
    await page.reload();
    await made.waitFor();
    expect(await page.content()).not.toContain(newToken);
    expect(await made.getByRole('cell').nth(4).textContent()).not.toBe('Never');

    // Revoke asks first; "Keep it" keeps it working, and the focus goes back to its Revoke button.
    const revoke = page.getByRole('button', { name: 'Revoke CI publisher' });
    await revoke.click();
    const confirm = page.getByRole('dialog', { name: 'Revoke “CI publisher”?' });
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('refused from now on');
    expect(await confirm.textContent()).not.toContain('you will be signed out');
    await expectAccessible(page, 'the revoke confirmation');
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await revoke.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await viewerRole(newToken)).toBe('PUBLISHER');

    await revoke.click();
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Revoked “CI publisher”: it no longer works.' })
      .waitFor();
    expect(await made.getAttribute('data-revoked')).toBe('true');
    expect(await made.getByRole('cell').nth(5).textContent()).toMatch(/^Revoked /);
    expect(await revoke.count()).toBe(0);
    await expectAccessible(page, 'a key revoked');
    expect(await viewerRole(newToken)).toBe('refused: UNAUTHENTICATED');
    // The admin's own key still works.
    expect(await viewerRole(token)).toBe('ADMIN');
  });

  test('without a clipboard the key is selected to copy by hand; revoking the own key warns', {
    timeout: 30_000,
  }, async () => {
    const { token } = await env.t.newAccount();
    const { page } = await env.newPage();
    await page.addInitScript('Object.defineProperty(navigator, "clipboard", { value: undefined })');
    await openKeysPage(page, token);

    await page.getByLabel('Name', { exact: true }).fill('Dashboard viewer');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.locator('.new-key');
    await shown.getByText('Created “Dashboard viewer”.').waitFor();
    await shown.getByRole('button', { name: 'Copy key' }).click();
    await shown.getByText(/Copying is not available here: the key is selected/).waitFor();
    const selected = await page.evaluate(
      '(() => { const el = document.activeElement; return el.value.slice(el.selectionStart, el.selectionEnd); })()',
    );
    expect(selected).toBe(await page.getByLabel('The new API key').inputValue());
    await expectAccessible(page, 'no clipboard, the key selected');
    expect(await viewerRole(selected as string)).toBe('VIEWER');

    await page
      .getByRole('button', { name: /^Revoke / })
      .last()
      .waitFor();
    const own = page.locator('tbody tr', { has: page.locator('.tag', { hasText: 'this key' }) });
    await own.getByRole('button', { name: /^Revoke / }).click();
    const confirm = page.getByRole('dialog', { name: /^Revoke “/ });
    await confirm.getByText('This is the key you are signed in with: you will be signed out.').waitFor();
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect(await viewerRole(token)).toBe('ADMIN');
  });
});

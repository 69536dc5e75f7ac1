/**
 * The body template's editor (CodeMirror) and the payload panel beside it, in Chromium against a real
 * server: JSON and Liquid marked, event paths completed from the payload schema, Tab leaving the
 * editor, the page's strict CSP holding with CodeMirror's injected styles, a template error marking
 * its line, and fields inserted from the panel with typing going on in the editor.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { GetWebhook } from '../graphql/operations.js';
import { editorText, expectAccessible, screenshot, useConsoleEnv } from './support.js';

describe('web console: the body template editor', () => {
  const env = useConsoleEnv();

  /** A signed-in page on a new webhook's form, recording every CSP violation it sees. */
  async function newForm() {
    const { page } = await env.newPage();
    await page.addInitScript(() => {
      const seen: string[] = [];
      Object.assign(window, { cspViolations: seen });
      document.addEventListener('securitypolicyviolation', (e) =>
        seen.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    await env.signIn(page);
    await page.getByRole('link', { name: 'Add Webhook' }).click();
    await page.getByRole('heading', { level: 1, name: 'Add Webhook' }).waitFor();
    const editor = page.getByRole('textbox', { name: 'Body template' });
    await editor.waitFor();
    return { page, editor };
  }

  const violations = (page: Page) =>
    page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

  /** Puts the caret between the quotes of the template's last value (`"why": "|"`). */
  async function caretInLastValue(page: Page) {
    const editor = page.getByLabel('Body template');
    await editor.press('Control+End');
    for (const key of ['ArrowUp', 'End', 'ArrowLeft']) await editor.press(key);
  }

  test.concurrent('JSON and Liquid are marked, event paths complete inside Liquid, Tab leaves, the CSP holds', {
    timeout: 60_000,
  }, async () => {
    const { page, editor } = await newForm();
    // Labelled by the field's label, described by its hint, like the form's other fields.
    expect(await editor.getAttribute('id')).toBe('f-bodyTemplate');
    expect(await editor.getAttribute('aria-describedby')).toBe('f-bodyTemplate-hint');
    expect(await editor.getAttribute('aria-multiline')).toBe('true');
    // CodeMirror's base theme is in (a <style> element allowed by the page's nonce): its layout rules
    // apply, and nothing was refused.
    expect(await page.locator('.cm-editor').evaluate((el) => getComputedStyle(el).display)).toBe('flex');
    expect(
      await page.evaluate(() => [...document.querySelectorAll('style')].every((s) => s.nonce !== '')),
    ).toBe(true);

    await editor.fill('{\n  "who": "{{ data.requester.email }}",\n  "why": ""\n}');
    // Liquid outputs are one mark over the JSON colours; JSON keys and values have theirs; lines numbered.
    await page.locator('.cm-liquid-output', { hasText: '{{ data.requester.email }}' }).waitFor();
    expect(await page.locator('.cm-liquid-output').allTextContents()).toEqual(['{{ data.requester.email }}']);
    expect(await page.locator('.tok-property').allTextContents()).toEqual(['"who"', '"why"']);
    expect(await page.locator('.cm-lineNumbers .cm-gutterElement:visible').allTextContents()).toEqual([
      '1',
      '2',
      '3',
      '4',
    ]);

    // After `{{ ` the payload's top-level fields are offered; Escape closes the list, the caret stays.
    await caretInLastValue(page);
    await editor.pressSequentially('{{ ');
    const list = page.getByRole('listbox');
    await list.getByRole('option', { name: /^data/ }).waitFor();
    expect(await list.getByRole('option', { name: /^event_type/ }).count()).toBe(1);
    // Screen readers follow the list from the editor (aria-controls, aria-activedescendant).
    expect(await editor.getAttribute('aria-controls')).toBe(await list.getAttribute('id'));
    await editor.press('Escape');
    await list.waitFor({ state: 'detached' });
    // After `data.`, the fields of data, with their types; choosing one takes it. (By a click: Enter
    // also takes it, but CodeMirror lets Enter be a newline for 75 ms after the list changes, so a
    // fast typist's Enter is not swallowed; a test that presses it at once would race that window.)
    await editor.pressSequentially('data.jus');
    const chosen = list.getByRole('option', { name: /^justification/, selected: true });
    await chosen.waitFor();
    expect(await chosen.textContent()).toBe('justificationstring');
    await chosen.click();
    await list.waitFor({ state: 'detached' });
    await editor.pressSequentially(' }}');
    const text = '{\n  "who": "{{ data.requester.email }}",\n  "why": "{{ data.justification }}"\n}';
    expect(await editorText(editor)).toBe(text);
    await page.locator('.cm-liquid-output', { hasText: '{{ data.justification }}' }).waitFor();
    // Deeper: an access group's fields after `data.access_groups[0].`, inside a tag too.
    await editor.press('Control+End');
    await editor.press('Enter');
    await editor.pressSequentially('{% if data.access_groups[0].integ');
    await list.getByRole('option', { name: /^integration/, selected: true }).waitFor();
    await screenshot(page, 'template-editor');
    await expectAccessible(page, 'the completion list open');
    await editor.press('Escape');
    for (let i = 0; i < '\n{% if data.access_groups[0].integ'.length; i++) await editor.press('Backspace');
    expect(await editorText(editor)).toBe(text);

    // Tab is not the editor's: it moves on to the next control and inserts nothing.
    await editor.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('.cm-editor') === null)).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON');
    expect(await editorText(editor)).toBe(text);

    // What was typed is what the form saves.
    await page.getByLabel('Name', { exact: true }).fill('Typed in the editor');
    await page.getByLabel('URL', { exact: true }).fill(env.routes.route().url());
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByText('Created “Typed in the editor”.').waitFor();
    const id = /#\/webhooks\/(wh_[^/]+)$/.exec(page.url())?.[1] as string;
    expect((await env.t.gql(GetWebhook, { id })).data?.webhook?.bodyTemplate).toBe(text);
    // The saved webhook's page opens with the stored template in the editor.
    await page.reload();
    const reopened = page.getByRole('textbox', { name: 'Body template' });
    await reopened.locator('.cm-line').first().waitFor();
    expect(await editorText(reopened)).toBe(text);
    expect(await violations(page)).toEqual([]);
  });

  test.concurrent('a template error marks its line, is tied to the editor and leads to it from the summary', {
    timeout: 60_000,
  }, async () => {
    const { page, editor } = await newForm();
    await page.getByLabel('Name', { exact: true }).fill('Template with a missing comma');
    await page.getByLabel('URL', { exact: true }).fill(env.routes.route().url());
    // Line 2 lacks its comma: the rendered body is not JSON at line 3.
    await editor.fill('{\n  "request": "{{ data.friendly_id }}"\n  "flow": "{{ data.access_flow.name }}"\n}');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const error = page.locator('#f-bodyTemplate-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('not valid JSON at line 3');
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
    expect(await editor.getAttribute('aria-describedby')).toBe('f-bodyTemplate-hint f-bodyTemplate-error');
    // The line is marked in the gutter and in the text.
    expect(await page.locator('.cm-gutterElement.error-line').textContent()).toBe('3');
    expect(await page.locator('.cm-line.cm-error-line').textContent()).toBe(
      '  "flow": "{{ data.access_flow.name }}"',
    );
    await editor.scrollIntoViewIfNeeded();
    await screenshot(page, 'template-editor-error');
    await expectAccessible(page, 'a template error marked');

    // The summary's entry moves the focus into the editor.
    await page
      .locator('.summary')
      .getByRole('button', { name: /^Body template: / })
      .click();
    await page.waitForFunction(() => document.activeElement?.id === 'f-bodyTemplate');
    // Fixed: the error and its mark go as the text changes, and the webhook saves.
    await editor.press('Control+Home');
    await editor.press('ArrowDown');
    await editor.press('End');
    await editor.press(',');
    await error.waitFor({ state: 'detached' });
    expect(await page.locator('.error-line, .cm-error-line').count()).toBe(0);
    expect(await editor.getAttribute('aria-invalid')).toBeNull();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByText('Created “Template with a missing comma”.').waitFor();
    const id = /#\/webhooks\/(wh_[^/]+)$/.exec(page.url())?.[1] as string;
    expect((await env.t.gql(GetWebhook, { id })).data?.webhook?.bodyTemplate).toBe(
      '{\n  "request": "{{ data.friendly_id }}",\n  "flow": "{{ data.access_flow.name }}"\n}',
    );
    expect(await violations(page)).toEqual([]);
  });

  test.concurrent('a field inserted from the payload panel goes in at the cursor and typing goes on in the editor; Escape closes the panel', {
    timeout: 60_000,
  }, async () => {
    const { page, editor } = await newForm();
    await editor.fill('{\n  "request": "",\n  "why": ""\n}');
    await caretInLastValue(page);

    const toggle = page.getByRole('button', { name: "View event's payload schema" });
    await toggle.click();
    const panel = page.getByRole('complementary', { name: 'Event payload' });
    const schemaTree = panel.getByRole('region', { name: 'JSON Schema' });
    await schemaTree.getByText("The requester's reason").waitFor();

    // A click inserts at the caret and puts the focus back in the editor: typing continues there.
    await schemaTree.getByRole('button', { name: 'Insert {{ data.justification }}' }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'f-bodyTemplate');
    await page.keyboard.type(' (given)');
    expect(await editorText(editor)).toBe(
      '{\n  "request": "",\n  "why": "{{ data.justification }} (given)"\n}',
    );
    expect(await panel.locator('[aria-live="polite"]').textContent()).toBe(
      'Inserted {{ data.justification }} into the body template',
    );

    // From the keyboard: Enter on a field inserts it once; the next Space and Enter are the editor's.
    await editor.press('Control+Home');
    for (const key of ['ArrowDown', 'End', 'ArrowLeft', 'ArrowLeft']) await editor.press(key);
    const friendlyId = schemaTree.getByRole('button', { name: 'Insert {{ data.friendly_id }}' });
    await friendlyId.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'f-bodyTemplate');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    const typed = await editorText(editor);
    expect(typed.match(/\{\{ data\.friendly_id \}\}/g)).toHaveLength(1);
    expect(typed).toMatch(/^\{\n {2}"request": "\{\{ data\.friendly_id \}\} \n/);

    // Every insert button's accessible name holds the text it shows ("Insert as JSON" included).
    const names = await panel
      .locator('button.insert, .insert-whole button')
      .evaluateAll((buttons) =>
        buttons.map((b) => [b.textContent?.trim() ?? '', b.getAttribute('aria-label') ?? ''] as const),
      );
    expect(names.length).toBeGreaterThan(10);
    for (const [text, name] of names) expect(name, text).toContain(text);
    const asJson = schemaTree.getByRole('button', { name: 'Insert as JSON: {{ data.requester | json }}' });
    expect(await asJson.textContent()).toBe('Insert as JSON');
    await expectAccessible(page, 'the payload panel open beside the editor');

    // Escape in the editor is the editor's: the panel stays.
    await editor.press('Escape');
    expect(await panel.count()).toBe(1);
    // Escape in the panel closes it; the focus goes back to the button that opened it.
    await friendlyId.focus();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      "View event's payload schema",
    );
    expect(await editorText(editor)).toBe(typed);
    expect(await violations(page)).toEqual([]);
  });
});

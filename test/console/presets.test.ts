/**
 * "Start from a template" end to end: Debian's Chromium against a real server and a real HTTPS
 * receiver. A preset fills the new-webhook form (method, URL pattern, headers to fill in, triggers,
 * body, validators) and says what to fill in; unfilled placeholders are refused before anything is
 * sent; filled in with the receiver's URL and a credential, its Test succeeds against a receiver that
 * answers what the tool would, and the receiver gets the tool's JSON. Also: keyboard use, asking
 * before replacing a changed form, and the 390 px layout.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { WEBHOOK_PRESETS } from '../../src/domain/presets/index.js';
import { GetWebhook } from '../graphql/operations.js';
import { json } from '../support/routes.js';
import { editorText, expectAccessible, screenshot, useConsoleEnv } from './support.js';

const servicenow = WEBHOOK_PRESETS.find((p) => p.id === 'servicenow');
const pagerduty = WEBHOOK_PRESETS.find((p) => p.id === 'pagerduty');

describe('web console: start from a template', () => {
  const env = useConsoleEnv();

  test.concurrent('the ServiceNow template fills the form, says what to fill in, and its Test succeeds against a receiver that answers as ServiceNow does', {
    timeout: 60_000,
  }, async () => {
    // What the Table API answers: 201 and the new record under "result", every field as text.
    const route = env.routes.route((req, res) => {
      const sent = JSON.parse(req.body.toString()) as Record<string, string>;
      json(res, 201, {
        result: {
          ...sent,
          sys_id: randomBytes(16).toString('hex'),
          number: 'INC0010042',
          sys_class_name: 'incident',
        },
      });
    });
    const { page } = await env.newPage();
    await env.signIn(page);
    await page.goto('/#/webhooks/new');
    await page.getByRole('heading', { level: 1, name: 'Add Webhook' }).waitFor();

    // The gallery: every preset, its description and its vendor's docs.
    const gallery = page.getByRole('region', { name: 'Start from a template' });
    for (const preset of WEBHOOK_PRESETS) {
      const card = gallery.locator(`li[data-preset="${preset.id}"]`);
      expect(await card.getByRole('heading', { level: 3 }).textContent()).toBe(preset.name);
      expect(await card.textContent()).toContain(preset.description);
      const docs = card.getByRole('link', { name: `${preset.name} docs (opens in a new tab)` });
      expect(await docs.getAttribute('href')).toBe(preset.docsUrl);
      expect(await docs.getAttribute('rel')).toBe('noopener noreferrer');
    }
    await screenshot(page, 'preset-gallery');
    await expectAccessible(page, 'the template gallery');

    // Chosen with the keyboard; the focus moves to what to fill in.
    const use = gallery.getByRole('button', { name: 'Use ServiceNow' });
    expect(await use.getAttribute('aria-describedby')).toBe('preset-servicenow-description');
    await use.focus();
    await page.keyboard.press('Enter');
    const title = gallery.getByText('Filled in from the ServiceNow template.');
    await title.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain(
      '2 of 2 values still to fill in',
    );
    await expectAccessible(page, 'a template chosen, what to fill in');
    const fillIn = gallery.getByRole('listitem');
    expect(await fillIn.count()).toBe(2);
    expect(await fillIn.nth(0).textContent()).toContain('{servicenow-instance} ServiceNow instance');
    expect(await fillIn.nth(0).textContent()).toContain('E.g. acme.');
    // A credential's example is not offered as a value to copy.
    expect(await fillIn.nth(1).textContent()).not.toContain('E.g.');

    // The form, as the preset has it.
    const definition = servicenow?.definition;
    const url = page.getByLabel('URL', { exact: true });
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(definition?.name);
    expect(await page.getByLabel('Method').inputValue()).toBe('POST');
    expect(await url.inputValue()).toBe(
      'https://{servicenow-instance}.service-now.com/api/now/table/incident',
    );
    expect(await page.getByLabel('Header 1 name').inputValue()).toBe('Authorization');
    const credentials = page.getByLabel('Header 1 value');
    expect(await credentials.inputValue()).toBe('');
    expect(await credentials.getAttribute('placeholder')).toBe('Basic {servicenow-credentials}');
    expect(await page.getByLabel('Header 2 name').inputValue()).toBe('Accept');
    expect(await page.getByLabel('Header 2 value').inputValue()).toBe('application/json');
    expect(await page.getByLabel('Request created').isChecked()).toBe(true);
    expect(await page.getByLabel('Request failed').isChecked()).toBe(true);
    expect(await page.getByLabel('Request approved').isChecked()).toBe(false);
    expect(await editorText(page.getByLabel('Body template'))).toBe(definition?.bodyTemplate);
    expect(await page.getByLabel('Validator 1 JSON path').inputValue()).toBe('$.data.result.sys_class_name');
    expect(
      await page.getByRole('list', { name: 'Validator 1 expected values: 1 values' }).textContent(),
    ).toContain('incident');

    // Left unfilled, the placeholders are refused before anything is sent.
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.locator('#f-url-error').waitFor();
    expect(await page.locator('#f-url-error').textContent()).toBe(
      'replace {servicenow-instance}: ServiceNow instance, e.g. acme',
    );
    expect(await page.locator('#f-headers-0-value-error').textContent()).toBe(
      'type its value: Basic {servicenow-credentials} (ServiceNow credentials)',
    );
    expect(route.requests()).toHaveLength(0);
    await expectAccessible(page, 'placeholders refused');

    // Filled in: the receiver's URL (the dispatcher reaches it on loopback) and a credential.
    await url.fill(route.url('/api/now/table/incident'));
    const basic = `Basic ${Buffer.from('integration:example-password').toString('base64')}`;
    await credentials.fill(basic);
    await gallery.getByText('Everything is filled in').waitFor();
    expect(await gallery.locator('li.done').count()).toBe(2);

    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByText('Test successful').waitFor();
    await expectAccessible(page, "the template's test succeeded");
    const [received] = await route.waitFor(1);
    expect(received?.method).toBe('POST');
    expect(received?.path).toBe(new URL(route.url('/api/now/table/incident')).pathname);
    expect(received?.headers.authorization).toBe(basic);
    expect(received?.headers.accept).toBe('application/json');
    expect(received?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(received?.body.toString() ?? '')).toEqual({
      short_description: 'New access request AR-1042: Dana O"Brien on prod-orders-db, aws-prod',
      description: expect.stringContaining('Justification: Investigating incident INC-311\nneed read access'),
      category: 'inquiry',
      impact: '3',
      urgency: '3',
      correlation_id: 'req_7Yk2mQ4vN8',
      correlation_display: 'Access request AR-1042',
    });

    // Created as filled in.
    const name = `ServiceNow ${randomBytes(3).toString('hex')}`;
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByText(`Created “${name}”.`).waitFor();
    const webhookId = /#\/webhooks\/(wh_[^/]+)$/.exec(page.url())?.[1] as string;
    expect((await env.t.gql(GetWebhook, { id: webhookId })).data?.webhook).toMatchObject({
      name,
      url: route.url('/api/now/table/incident'),
      headers: [{ name: 'Authorization' }, { name: 'Accept' }],
      bodyTemplate: definition?.bodyTemplate,
      triggers: ['REQUEST_CREATED', 'REQUEST_FAILED'],
      responseValidators: [{ jsonPath: '$.data.result.sys_class_name', expectedValues: ['incident'] }],
    });
    // A saved webhook is edited, not started over: no gallery.
    expect(await page.getByRole('region', { name: 'Start from a template' }).count()).toBe(0);
  });

  test.concurrent('choosing another template asks before replacing changes; PagerDuty at 390 px, its body filled in, tests against its receiver', {
    timeout: 60_000,
  }, async () => {
    // What the Events API answers.
    const route = env.routes.route((req, res) => {
      const sent = JSON.parse(req.body.toString()) as { dedup_key: string };
      json(res, 202, { status: 'success', message: 'Event processed', dedup_key: sent.dedup_key });
    });
    const { page } = await env.newPage({ width: 390, height: 844 });
    await env.signIn(page);
    await page.goto('/#/webhooks/new');
    const gallery = page.getByRole('region', { name: 'Start from a template' });
    await gallery.getByRole('button', { name: 'Use Generic JSON' }).waitFor();
    // The gallery stacks into one column: nothing is wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await gallery.getByRole('button', { name: 'Use Slack' }).click();
    await gallery.getByText('Filled in from the Slack template.').waitFor();

    // Unchanged since it was filled: another template replaces it without asking.
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await gallery.getByRole('button', { name: 'Choose another template' }).click();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Use Slack');
    await gallery.getByRole('button', { name: 'Use Microsoft Teams' }).click();
    await gallery.getByText('Filled in from the Microsoft Teams template.').waitFor();
    expect(dialogs).toEqual([]);

    // Changed: it asks, and a refusal keeps the form.
    const url = page.getByLabel('URL', { exact: true });
    await url.fill(route.url('/v2/enqueue'));
    await gallery.getByRole('button', { name: 'Choose another template' }).click();
    await gallery.getByRole('button', { name: 'Use PagerDuty' }).click();
    expect(dialogs).toEqual(['Replace what you entered in the form with the PagerDuty template?']);
    expect(await url.inputValue()).toBe(route.url('/v2/enqueue'));
    page.removeAllListeners('dialog');
    page.once('dialog', (dialog) => void dialog.accept());
    await gallery.getByRole('button', { name: 'Use PagerDuty' }).click();
    await gallery.getByText('Filled in from the PagerDuty template.').waitFor();
    expect(await url.inputValue()).toBe('https://events.pagerduty.com/v2/enqueue');

    // Nothing is wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'preset-fill-in-mobile');
    await expectAccessible(page, 'a template filled in at 390 px');

    // The integration key goes in the body: the list points there, and Test refuses it unfilled.
    const item = gallery.getByRole('listitem').filter({ hasText: '{pagerduty-routing-key}' });
    await item.getByRole('button', { name: 'Body template' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-bodyTemplate');
    await url.fill(route.url('/v2/enqueue'));
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.locator('#f-bodyTemplate-error').waitFor();
    expect(await page.locator('#f-bodyTemplate-error').textContent()).toBe(
      'replace {pagerduty-routing-key}: Integration key',
    );

    const template = page.getByLabel('Body template');
    const key = 'R0123456789ABCDEF0123456789ABCDE';
    await template.fill((pagerduty?.definition.bodyTemplate ?? '').replace('{pagerduty-routing-key}', key));
    await gallery.getByText('Everything is filled in').waitFor();
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByText('Test successful').waitFor();
    await expectAccessible(page, "the template's test succeeded at 390 px");
    const [received] = await route.waitFor(1);
    expect(JSON.parse(received?.body.toString() ?? '')).toMatchObject({
      routing_key: key,
      event_action: 'trigger',
      dedup_key: 'access-request-req_7Yk2mQ4vN8',
      payload: { source: 'prod-orders-db', severity: 'warning', summary: expect.stringContaining('AR-1042') },
    });
  });
});

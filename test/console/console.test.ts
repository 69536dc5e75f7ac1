/**
 * The web console end to end: Debian's Chromium against a real server (SQLite, dispatch workers,
 * graphql-ws) and a real HTTPS receiver. Sign-in, the webhook form with a server-side field error,
 * the payload-schema panel, Test and its invocation data, the live invocations table, deactivation,
 * the VIEWER role, keyboard use and the 390 px layout. axe-core checks every page state visited (no
 * serious or critical violation). Screenshots: see ./support.ts.
 */
import { describe, expect, test } from 'vitest';
import { GetWebhook } from '../graphql/operations.js';
import { eventually, json } from '../support/routes.js';
import { editorText, expectAccessible, flow, screenshot, useConsoleEnv } from './support.js';

describe('web console', () => {
  const env = useConsoleEnv();

  test('an admin signs in, creates a webhook through the form, tests it, watches it deliver live and deactivates it', {
    timeout: 60_000,
  }, async () => {
    const route = env.routes.route((_req, res) => json(res, 200, { ok: true, ticket: 'INC-1' }));
    const flowId = flow();
    const { page } = await env.newPage();

    // A wrong key is refused, with the error tied to the field.
    await page.goto('/');
    await page.getByLabel('API key').fill('whk_not-a-real-key-000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This API key is not valid').waitFor();
    expect(await page.getByLabel('API key').getAttribute('aria-describedby')).toBe('api-key-error');
    await expectAccessible(page, 'sign-in, a wrong key refused');

    await env.signIn(page);
    expect(await page.evaluate('sessionStorage.length')).toBe(2);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    await page.getByText('No webhooks yet.').waitFor();
    await expectAccessible(page, 'no webhooks yet');

    // The form, filled in with a URL the server rejects.
    await page.getByRole('link', { name: 'Add Webhook' }).click();
    await page.getByRole('heading', { level: 1, name: 'Add Webhook' }).waitFor();
    await expectAccessible(page, 'the empty form');
    await page.getByLabel('Name', { exact: true }).fill('Slack access alerts');
    await page
      .getByLabel('Description', { exact: true })
      .fill('Tells #access-requests about new and approved requests');
    await page.getByLabel('Method').selectOption('PUT');
    const url = page.getByLabel('URL', { exact: true });
    await url.fill(route.url().replace('https://', 'http://'));
    await page.getByLabel('Request approved').check();
    const template = page.getByLabel('Body template');
    await template.fill('{\n  "request": "{{ data.friendly_id }}",\n  "why": ""\n}');
    // The caret between the quotes of "why", where the payload panel inserts.
    await template.press('Control+End');
    for (const key of ['ArrowUp', 'End', 'ArrowLeft']) await template.press(key);

    await page.getByRole('button', { name: 'Add header' }).click();
    await page.getByLabel('Header 1 name').fill('Authorization');
    await page.getByLabel('Header 1 value').fill('Bearer console-token-123456');
    await page.getByText('Filters', { exact: true }).click();
    const flows = page.getByLabel('Access flows', { exact: true });
    await flows.fill(flowId);
    await flows.press('Enter');
    await page.getByLabel('Timeout (seconds)').fill('10');
    await page.getByRole('button', { name: 'Add validator' }).click();
    await page.getByLabel('Validator 1 JSON path').fill('$.data.ok');
    const expected = page.getByLabel('Validator 1 expected values');
    await expected.fill('true');
    await expected.press('Enter');
    await page.getByLabel('Custom validation message').fill('The receiver did not confirm');

    // "View event's payload schema": the schema tree and a sample; a click inserts the field's path.
    const toggle = page.getByRole('button', { name: "View event's payload schema" });
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const panel = page.getByRole('complementary', { name: 'Event payload' });
    const schemaTree = panel.getByRole('region', { name: 'JSON Schema' });
    await schemaTree.getByText("The requester's reason").waitFor();
    await panel.getByRole('region', { name: 'Sample event' }).getByText('"AR-1042"').waitFor();
    await schemaTree.getByRole('button', { name: 'Insert {{ data.justification }}' }).click();
    expect(await editorText(template)).toBe(
      '{\n  "request": "{{ data.friendly_id }}",\n  "why": "{{ data.justification }}"\n}',
    );
    await template.scrollIntoViewIfNeeded();
    await expectAccessible(page, 'the filled form, payload panel open');
    await screenshot(page, 'webhook-form');

    // The server refuses the http URL; the message sits next to the field and in the summary.
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const urlError = page.locator('#f-url-error');
    await urlError.waitFor();
    expect(await urlError.textContent()).toContain('must use https');
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    expect(await url.getAttribute('aria-describedby')).toContain('f-url-error');
    expect(await page.getByRole('alert').first().textContent()).toContain('URL: must use https');
    await expectAccessible(page, 'a field error from the server');
    expect(await env.t.raw('{ webhooks { edges { node { id } } } }')).toMatchObject({
      data: { webhooks: { edges: [] } },
    });

    // Fixed, it saves; the signing secret is shown once.
    await url.fill(route.url());
    await urlError.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByText('Created “Slack access alerts”.').waitFor();
    expect(await page.locator('.secret code').textContent()).toMatch(/^whsec_/);
    await expectAccessible(page, 'created, the signing secret shown');
    const webhookId = /#\/webhooks\/(wh_[^/]+)$/.exec(page.url())?.[1] as string;
    expect(webhookId).toBeTruthy();
    const stored = (await env.t.gql(GetWebhook, { id: webhookId })).data?.webhook;
    expect(stored).toMatchObject({
      name: 'Slack access alerts',
      description: 'Tells #access-requests about new and approved requests',
      method: 'PUT',
      url: route.url(),
      triggers: ['REQUEST_CREATED', 'REQUEST_APPROVED'],
      headers: [{ name: 'Authorization', value: '••••3456' }],
      timeoutSeconds: 10,
      responseValidators: [{ jsonPath: '$.data.ok', expectedValues: ['true'] }],
      customValidationErrorMessage: 'The receiver did not confirm',
    });
    expect(stored?.filters.accessFlowIds).toEqual([flowId]);
    // The stored secret comes back masked and stays out of the form.
    expect(await page.getByLabel('Header 1 value').inputValue()).toBe('');
    expect(await page.getByLabel('Header 1 value').getAttribute('placeholder')).toBe('••••3456');

    // Test: the saved webhook against the real receiver, then its invocation data.
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByText('Test successful').waitFor();
    await expectAccessible(page, 'the test result');
    const [received] = await route.waitFor(1);
    expect(received?.method).toBe('PUT');
    expect(received?.headers.authorization).toBe('Bearer console-token-123456');
    await page.getByRole('button', { name: 'View invocation data' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invocation data' });
    await dialog.waitFor();
    const request = dialog.getByRole('region', { name: 'Request', exact: true });
    expect(await request.textContent()).toContain(`PUT ${route.url()}`);
    expect(await request.getByRole('row', { name: /^Authorization/ }).textContent()).toBe(
      'Authorization••••3456',
    );
    expect(await request.locator('pre.body').textContent()).toContain('"request": "AR-1042"');
    const response = dialog.getByRole('region', { name: 'Response', exact: true });
    expect(await response.locator('.status-code').textContent()).toBe('200');
    expect(await response.locator('pre.body').textContent()).toContain('"ticket": "INC-1"');
    const verdicts = dialog.getByRole('region', { name: 'Response validators' });
    expect(await verdicts.getByRole('row', { name: /\$\.data\.ok/ }).textContent()).toContain('✓ passed');
    expect(await dialog.textContent()).toMatch(/Attempt 1 succeeded in \d+ ms/);
    expect(await dialog.textContent()).not.toContain('console-token-123456');
    await expectAccessible(page, 'the invocation panel of the test');
    await screenshot(page, 'invocation-panel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // The invocations table follows deliveries over graphql-ws, without a reload.
    await page.getByRole('main').getByRole('link', { name: 'Invocations', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Invocations of Slack access alerts' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await page.evaluate('window.__sameDocument = true');
    const [invocationId] = await env.publish(flowId);
    await page.locator(`tr[data-invocation-id="${invocationId}"][data-status="SUCCEEDED"]`).waitFor();
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    await expectAccessible(page, "the webhook's invocations, live");
    expect(await page.locator('tbody tr').count()).toBe(2);
    await page.getByLabel('Status').selectOption('FAILED');
    await page.getByText('No invocations match these filters.').waitFor();
    await expectAccessible(page, 'no invocation matches the filters');
    await page.getByLabel('Status').selectOption('');
    await page.locator(`tr[data-invocation-id="${invocationId}"]`).waitFor();

    // Deactivated in the form: the switch's label follows it; the table shows the white dot.
    await page.getByRole('link', { name: 'Edit Slack access alerts' }).click();
    const active = page.getByRole('switch', { name: 'Active' });
    expect(await active.isChecked()).toBe(true);
    await active.uncheck();
    const inactiveSwitch = page.getByRole('switch', { name: 'Inactive' });
    expect(await inactiveSwitch.isChecked()).toBe(false);
    expect(await page.getByRole('switch', { name: 'Active', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved “Slack access alerts”.').waitFor();
    expect(await inactiveSwitch.isChecked()).toBe(false);
    await expectAccessible(page, 'saved, switched off');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    const row = page.locator(`tr[data-webhook-id="${webhookId}"]`);
    await row.locator('.status[data-status="INACTIVE"]').waitFor();
    expect(await row.locator('.status .sr-only').textContent()).toBe('Inactive');
    expect(
      await page.evaluate(
        `getComputedStyle(document.querySelector('tr[data-webhook-id="${webhookId}"] .dot')).backgroundColor`,
      ),
    ).toBe('rgb(255, 255, 255)');
    expect(await row.textContent()).toContain('Succeeded 200');
    // The description stands under the name.
    expect(await row.locator('.description').textContent()).toBe(
      'Tells #access-requests about new and approved requests',
    );
    await expectAccessible(page, 'the table with the inactive webhook');

    // Delete, after a confirmation in the page's own dialog: "Keep it" keeps it, focus back on Delete.
    await row.getByRole('link', { name: 'Slack access alerts', exact: true }).click();
    const deleteButton = page.getByRole('button', { name: 'Delete', exact: true });
    await deleteButton.click();
    const confirm = page.getByRole('dialog', { name: 'Delete this webhook?' });
    await confirm.waitFor();
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Keep it');
    await expectAccessible(page, 'the delete confirmation');
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await deleteButton.evaluate((el) => el === document.activeElement)).toBe(true);
    expect((await env.t.gql(GetWebhook, { id: webhookId })).data?.webhook?.name).toBe('Slack access alerts');
    // Confirmed: the message shows at once, on the webhooks page, and nowhere later.
    await deleteButton.click();
    await confirm.getByRole('button', { name: 'Delete webhook' }).click();
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Deleted “Slack access alerts”.' }).waitFor();
    expect((await env.t.gql(GetWebhook, { id: webhookId })).data?.webhook).toBeNull();
    await expectAccessible(page, 'deleted, the message on the webhooks page');
    await page.getByRole('link', { name: 'Add Webhook' }).click();
    await page.getByRole('heading', { level: 1, name: 'Add Webhook' }).waitFor();
    expect(await page.getByText('Deleted “Slack access alerts”.').count()).toBe(0);
  });

  test('the table: the reason of a system deactivation, filters, live last invocation, paging', {
    timeout: 60_000,
  }, async () => {
    const gone = env.routes.route((_req, res) => json(res, 410, { error: 'this endpoint is gone' }));
    const okRoute = env.routes.route();
    const goneFlow = flow();
    const okFlow = flow();
    const goneId = await env.createWebhook({
      name: 'Legacy SIEM',
      url: gone.url('/ingest'),
      triggers: ['REQUEST_GRANTED', 'REQUEST_CREATED'],
      filters: { accessFlowIds: [goneFlow] },
    });
    await env.createWebhook({
      name: 'ServiceNow incidents',
      url: okRoute.url('/api/now/table/incident'),
      triggers: ['REQUEST_CREATED', 'REQUEST_APPROVED', 'REQUEST_REJECTED'],
      filters: { accessFlowIds: [okFlow] },
    });
    await env.createWebhook({
      name: 'Datadog audit log',
      method: 'POST',
      url: okRoute.url('/api/v2/logs'),
      triggers: ['REQUEST_GRANTED', 'REQUEST_EXPIRED'],
    });
    await env.publish(goneFlow);
    await eventually(async () => {
      const w = (await env.t.gql(GetWebhook, { id: goneId })).data?.webhook;
      return w?.status === 'INACTIVE' && w.disabledReason ? w : undefined;
    });

    const { page } = await env.newPage();
    await env.signIn(page);
    const goneRow = page.locator(`tr[data-webhook-id="${goneId}"]`);
    await goneRow.waitFor();
    expect(await goneRow.locator('.status[data-status="INACTIVE"] .sr-only').textContent()).toBe(
      'Inactive (deactivated by the system)',
    );
    expect(await goneRow.locator('.disabled-reason').textContent()).toMatch(/^Deactivated: .*410/);
    expect(await goneRow.textContent()).toContain('Failed 410');
    await expectAccessible(page, 'the table with a system deactivation');

    // The last invocation of a row follows deliveries live.
    const okRow = page.getByRole('row', { name: /ServiceNow incidents/ });
    expect(await okRow.textContent()).toContain('Never');
    await env.publish(okFlow);
    await okRow.getByText('Succeeded 200').waitFor();
    await screenshot(page, 'webhooks-table');

    // Filters: status, trigger, name (the table shows exactly the matching webhooks).
    const shows = (...names: string[]) =>
      eventually(async () => {
        const shown = await page.locator('tbody tr a.name').allTextContents();
        return JSON.stringify(shown.sort()) === JSON.stringify(names.sort());
      }).catch(async (err: Error) => {
        throw new Error(
          `${err.message}: the table shows ${await page.locator('tbody tr a.name').allTextContents()}`,
        );
      });
    const inactive = (await env.t.raw('{ webhooks(status: INACTIVE) { edges { node { name } } } }')).data as {
      webhooks: { edges: { node: { name: string } }[] };
    };
    await page.getByLabel('Status').selectOption('INACTIVE');
    await shows(...inactive.webhooks.edges.map((e) => e.node.name));
    expect(inactive.webhooks.edges.map((e) => e.node.name)).toContain('Legacy SIEM');
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Trigger').selectOption('REQUEST_EXPIRED');
    await shows('Datadog audit log');
    await page.getByLabel('Trigger').selectOption('');
    await page.getByLabel('Name contains').fill('servicenow');
    await shows('ServiceNow incidents');
    await expectAccessible(page, 'the table filtered');

    // Paging: 21 matching webhooks are a page of 20 and a page of 1.
    for (let i = 0; i < 21; i++) {
      await env.createWebhook({ name: `bulk hook ${String(i).padStart(2, '0')}`, status: 'INACTIVE' });
    }
    await page.getByLabel('Name contains').fill('bulk hook');
    await page.getByRole('row', { name: /bulk hook 20/ }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(20);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.getByRole('row', { name: /bulk hook 00/ }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await expectAccessible(page, 'the second page of the table');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByRole('row', { name: /bulk hook 20/ }).waitFor();
  });

  test('invocations: failures arrive live, with their attempts; Redeliver and Recover failed since…', {
    timeout: 60_000,
  }, async () => {
    let failing = true;
    const route = env.routes.route((_req, res) =>
      failing ? json(res, 503, { error: 'maintenance' }) : json(res, 200, { ok: true }),
    );
    const flowId = flow();
    const webhookId = await env.createWebhook({
      name: 'Flaky target',
      url: route.url(),
      filters: { accessFlowIds: [flowId] },
    });
    const { page } = await env.newPage();
    await env.signIn(page);
    await page.goto(`/#/webhooks/${webhookId}/invocations`);
    await page.getByRole('heading', { level: 1, name: 'Invocations of Flaky target' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();

    const [failedId] = await env.publish(flowId);
    const [otherFailedId] = await env.publish(flowId);
    const failedRow = page.locator(`tr[data-invocation-id="${failedId}"]`);
    await failedRow.and(page.locator('[data-status="FAILED"]')).waitFor();
    await page.locator(`tr[data-invocation-id="${otherFailedId}"][data-status="FAILED"]`).waitFor();
    expect(await failedRow.textContent()).toContain('HTTP 503');
    expect(await failedRow.getByRole('cell').nth(3).textContent()).toBe('3');

    await expectAccessible(page, 'failed invocations, live');

    await failedRow.getByRole('button', { name: /^Details/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Invocation data' });
    await dialog.getByText('Attempt 3 failed').waitFor();
    // The error in words first, then its code and the server's message.
    const errorRegion = dialog.getByRole('region', { name: 'Error' });
    expect(await errorRegion.locator('.error-sentence').textContent()).toBe(
      'The receiver answered with an error status.',
    );
    expect(await errorRegion.textContent()).toContain('HTTP_STATUS');
    // The bodies are regions the keyboard can reach (they scroll when long).
    const responseBody = dialog.getByRole('region', { name: 'Response body' });
    expect(await responseBody.locator('pre').getAttribute('tabindex')).toBe('0');
    expect(await dialog.textContent()).not.toContain('(redelivery)');
    await expectAccessible(page, 'the invocation panel of a failed invocation');
    await dialog.getByLabel('Attempt').selectOption('1');
    await dialog.getByText('Attempt 1 failed').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Redeliver: a new invocation appears live and succeeds.
    failing = false;
    await failedRow.getByRole('button', { name: /^Redeliver/ }).click();
    await page.getByText(/Redelivery queued as/).waitFor();
    const redelivered = /queued as (\S+)\./.exec(
      (await page.getByText(/Redelivery queued as/).textContent()) ?? '',
    )?.[1];
    const redeliveredRow = page.locator(`tr[data-invocation-id="${redelivered}"][data-status="SUCCEEDED"]`);
    await redeliveredRow.waitFor();
    // Marked as a redelivery, in the table and in its panel (of the first invocation of its event).
    expect(await redeliveredRow.locator('.tag').textContent()).toBe('redelivery');
    expect(await failedRow.locator('.tag').count()).toBe(0);
    await expectAccessible(page, 'a redelivery queued and delivered');
    await redeliveredRow.getByRole('button', { name: /^Details/ }).click();
    await dialog.getByText('Attempt 1 succeeded').waitFor();
    expect(await dialog.locator('.facts').textContent()).toContain('(redelivery)');
    expect(await dialog.locator('.facts').textContent()).toContain(`Redelivery of${failedId}`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // Recover failed since…: the failed one not yet redelivered is sent again.
    await page.getByLabel('Recover failed since').fill('2020-01-01T00:00');
    await page.getByRole('button', { name: 'Recover', exact: true }).click();
    await page.getByText('1 failed invocation queued for redelivery.').waitFor();
    await eventually(async () => (await page.locator('tr[data-status="SUCCEEDED"]').count()) === 2);
    expect(await page.locator('tbody tr').count()).toBe(4);
    expect(await page.locator('tbody .tag', { hasText: 'redelivery' }).count()).toBe(2);

    // The all-invocations page shows them with their webhook.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invocations' }).click();
    await page.getByRole('heading', { level: 1, name: 'All invocations' }).waitFor();
    await page
      .locator(`tr[data-invocation-id="${failedId}"]`)
      .getByRole('link', { name: 'Flaky target' })
      .waitFor();
    await expectAccessible(page, 'all invocations');
  });

  test('a VIEWER key sees everything read-only', { timeout: 30_000 }, async () => {
    const flowId = flow();
    const webhookId = await env.createWebhook({
      name: 'Viewed by a viewer',
      url: env.routes.route().url(),
      headers: [{ name: 'X-Api-Key', value: 'viewer-must-not-see-this' }],
      filters: { accessFlowIds: [flowId] },
    });
    await env.publish(flowId);
    const viewer = await env.t.newKey('VIEWER');
    const { page } = await env.newPage();
    await env.signIn(page, viewer.token);
    expect(await page.locator('.role').textContent()).toBe('VIEWER');
    expect(await page.getByRole('link', { name: 'Add Webhook' }).count()).toBe(0);
    // No API keys page for a viewer: no link, and its address says so.
    expect(await page.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    await expectAccessible(page, 'the table, read-only');

    await page.getByRole('link', { name: 'Viewed by a viewer', exact: true }).click();
    await page.getByText('Read-only: this API key has the VIEWER role.').waitFor();
    expect(await page.getByLabel('Name', { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByLabel('URL', { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Header 1 value').isDisabled()).toBe(true);
    expect(await page.getByLabel('Body template').getAttribute('aria-readonly')).toBe('true');
    for (const name of ['Save', 'Create webhook', 'Delete', 'Test', 'Add header', 'Add validator']) {
      expect(await page.getByRole('button', { name, exact: true }).count()).toBe(0);
    }
    expect(await page.content()).not.toContain('viewer-must-not-see-this');
    await expectAccessible(page, 'the form, read-only');
    // The payload schema is readable; nothing to insert into.
    await page.getByRole('button', { name: "View event's payload schema" }).click();
    await page
      .getByRole('complementary', { name: 'Event payload' })
      .getByText('justification')
      .first()
      .waitFor();
    expect(await page.getByRole('button', { name: /^Insert/ }).count()).toBe(0);
    await expectAccessible(page, 'the payload panel, read-only');

    await page.goto(`/#/webhooks/${webhookId}/invocations`);
    await page.locator('tr[data-status="SUCCEEDED"]').waitFor();
    expect(await page.getByRole('button', { name: /^Redeliver/ }).count()).toBe(0);
    expect(await page.getByLabel('Recover failed since').count()).toBe(0);
    await expectAccessible(page, 'invocations, read-only');
    await page.getByRole('button', { name: /^Details/ }).click();
    await page.getByRole('dialog', { name: 'Invocation data' }).getByText('Attempt 1 succeeded').waitFor();
    await expectAccessible(page, 'the invocation panel, read-only');
    await page.keyboard.press('Escape');

    await page.goto('/#/keys');
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
    await page.getByText('Only an ADMIN key may see and manage API keys.').waitFor();
    expect(await page.getByRole('button', { name: 'Create key' }).count()).toBe(0);
    await expectAccessible(page, 'the API keys page refused to a viewer');
  });

  test('keyboard only, every control labelled, and one column at 390 px', { timeout: 30_000 }, async () => {
    await env.createWebhook({
      name: 'Mobile check with a rather long name',
      url: 'https://hooks.example.com/a/very/long/path/that/needs/to/wrap/somewhere/on/a/phone',
      status: 'INACTIVE',
    });
    const { page } = await env.newPage({ width: 390, height: 844 });
    await page.goto('/');
    // Focus starts at the page heading; the key field is the next stop after it.
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await expectAccessible(page, 'sign-in at 390 px');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('api-key');
    await page.keyboard.type(env.t.token);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await page.getByRole('row', { name: /Mobile check/ }).waitFor();

    const unlabelled = `[...document.querySelectorAll('input, select, textarea, [contenteditable="true"]')]
      .filter((el) => el.type !== 'hidden' && !el.labels?.length && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => el.outerHTML)`;
    const overflow = 'document.documentElement.scrollWidth - document.documentElement.clientWidth';
    expect(await page.evaluate(unlabelled)).toEqual([]);
    expect(await page.evaluate(overflow)).toBe(0);
    await expectAccessible(page, 'the table at 390 px');
    await screenshot(page, 'webhooks-mobile');

    await page.getByRole('link', { name: 'Add Webhook' }).click();
    await page.getByRole('heading', { level: 1, name: 'Add Webhook' }).waitFor();
    await page.getByRole('button', { name: 'Add header' }).click();
    // The new row's name field has focus: the keyboard goes on from where the row appeared.
    await page.waitForFunction('document.activeElement?.id === "f-headers-0-name"');
    await page.getByRole('button', { name: 'Add validator' }).click();
    await page.getByRole('button', { name: "View event's payload schema" }).click();
    await page.getByText('Filters', { exact: true }).click();
    await page.getByLabel('OAuth 2.0 client credentials').check();
    expect(await page.evaluate(unlabelled)).toEqual([]);
    expect(await page.evaluate(overflow)).toBe(0);
    await expectAccessible(page, 'the form at 390 px, every part open');

    // Tab order follows the page: name, then description, the Active switch, method, URL.
    await page.getByLabel('Name', { exact: true }).focus();
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push(String(await page.evaluate('document.activeElement.id')));
    }
    expect(order).toEqual(['f-description', 'f-status', 'f-method', 'f-url']);
    // A server error is reachable from the keyboard: Enter submits, the summary gets focus.
    await page.getByLabel('URL', { exact: true }).press('Enter');
    await page.locator('.summary').waitFor();
    await page.waitForFunction('document.activeElement?.classList.contains("summary")');
    expect(await page.evaluate(overflow)).toBe(0);
    await expectAccessible(page, 'the error summary at 390 px');
  });
});

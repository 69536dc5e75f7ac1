/**
 * The web console end to end: Debian's Chromium against a real server (SQLite, dispatch workers,
 * graphql-ws) and a real HTTPS receiver. Sign-in, the webhook form with a server-side field error,
 * the payload-schema panel, Test and its invocation data, the live invocations table, deactivation,
 * the VIEWER role, keyboard use and the 390 px layout. Screenshots: see ./support.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { GetWebhook } from '../graphql/operations.js';
import { eventually, json } from '../support/routes.js';
import { type ConsoleEnv, editorText, flow, screenshot, startConsoleEnv } from './support.js';

describe('web console', () => {
  let env: ConsoleEnv;
  beforeAll(async () => {
    env = await startConsoleEnv();
  });
  afterAll(async () => {
    await env?.close();
  });
  afterEach(() => {
    expect(env.pageErrors).toEqual([]);
  });

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

    await env.signIn(page);
    expect(await page.evaluate('sessionStorage.length')).toBe(2);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    await page.getByText('No webhooks yet.').waitFor();

    // The form, filled in with a URL the server rejects.
    await page.getByRole('link', { name: 'New webhook' }).click();
    await page.getByRole('heading', { level: 1, name: 'New webhook' }).waitFor();
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
    await screenshot(page, 'webhook-form');

    // The server refuses the http URL; the message sits next to the field and in the summary.
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const urlError = page.locator('#f-url-error');
    await urlError.waitFor();
    expect(await urlError.textContent()).toContain('must use https');
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    expect(await url.getAttribute('aria-describedby')).toContain('f-url-error');
    expect(await page.getByRole('alert').first().textContent()).toContain('URL: must use https');
    expect(await env.t.raw('{ webhooks { edges { node { id } } } }')).toMatchObject({
      data: { webhooks: { edges: [] } },
    });

    // Fixed, it saves; the signing secret is shown once.
    await url.fill(route.url());
    await urlError.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByText('Created “Slack access alerts”.').waitFor();
    expect(await page.locator('.secret code').textContent()).toMatch(/^whsec_/);
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
    const [received] = await route.waitFor(1);
    expect(received?.method).toBe('PUT');
    expect(received?.headers.authorization).toBe('Bearer console-token-123456');
    await page.getByRole('button', { name: 'View invocation data' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invocation data' });
    await dialog.waitFor();
    const request = dialog.getByRole('region', { name: 'Request' });
    expect(await request.textContent()).toContain(`PUT ${route.url()}`);
    expect(await request.getByRole('row', { name: /^Authorization/ }).textContent()).toBe(
      'Authorization••••3456',
    );
    expect(await request.locator('pre.body').textContent()).toContain('"request": "AR-1042"');
    const response = dialog.getByRole('region', { name: 'Response' });
    expect(await response.locator('.status-code').textContent()).toBe('200');
    expect(await response.locator('pre.body').textContent()).toContain('"ticket": "INC-1"');
    const verdicts = dialog.getByRole('region', { name: 'Response validators' });
    expect(await verdicts.getByRole('row', { name: /\$\.data\.ok/ }).textContent()).toContain('✓ passed');
    expect(await dialog.textContent()).toMatch(/Attempt 1 succeeded in \d+ ms/);
    expect(await dialog.textContent()).not.toContain('console-token-123456');
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
    expect(await page.locator('tbody tr').count()).toBe(2);
    await page.getByLabel('Status').selectOption('FAILED');
    await page.getByText('No invocations match these filters.').waitFor();
    await page.getByLabel('Status').selectOption('');
    await page.locator(`tr[data-invocation-id="${invocationId}"]`).waitFor();

    // Deactivated in the form: the table shows the white dot.
    await page.getByRole('link', { name: 'Edit Slack access alerts' }).click();
    const active = page.getByRole('switch', { name: 'Active' });
    expect(await active.isChecked()).toBe(true);
    await active.uncheck();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved “Slack access alerts”.').waitFor();
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

    await failedRow.getByRole('button', { name: /^Details/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Invocation data' });
    await dialog.getByText('Attempt 3 failed').waitFor();
    expect(await dialog.getByRole('region', { name: 'Error' }).textContent()).toContain('HTTP_STATUS');
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
    await page.locator(`tr[data-invocation-id="${redelivered}"][data-status="SUCCEEDED"]`).waitFor();

    // Recover failed since…: the failed one not yet redelivered is sent again.
    await page.getByLabel('Recover failed since').fill('2020-01-01T00:00');
    await page.getByRole('button', { name: 'Recover', exact: true }).click();
    await page.getByText('1 failed invocation queued for redelivery.').waitFor();
    await eventually(async () => (await page.locator('tr[data-status="SUCCEEDED"]').count()) === 2);
    expect(await page.locator('tbody tr').count()).toBe(4);

    // The all-invocations page shows them with their webhook.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invocations' }).click();
    await page.getByRole('heading', { level: 1, name: 'All invocations' }).waitFor();
    await page
      .locator(`tr[data-invocation-id="${failedId}"]`)
      .getByRole('link', { name: 'Flaky target' })
      .waitFor();
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
    expect(await page.getByRole('link', { name: 'New webhook' }).count()).toBe(0);

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
    // The payload schema is readable; nothing to insert into.
    await page.getByRole('button', { name: "View event's payload schema" }).click();
    await page
      .getByRole('complementary', { name: 'Event payload' })
      .getByText('justification')
      .first()
      .waitFor();
    expect(await page.getByRole('button', { name: /^Insert/ }).count()).toBe(0);

    await page.goto(`/#/webhooks/${webhookId}/invocations`);
    await page.locator('tr[data-status="SUCCEEDED"]').waitFor();
    expect(await page.getByRole('button', { name: /^Redeliver/ }).count()).toBe(0);
    expect(await page.getByLabel('Recover failed since').count()).toBe(0);
    await page.getByRole('button', { name: /^Details/ }).click();
    await page.getByRole('dialog', { name: 'Invocation data' }).getByText('Attempt 1 succeeded').waitFor();
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
    await screenshot(page, 'webhooks-mobile');

    await page.getByRole('link', { name: 'New webhook' }).click();
    await page.getByRole('heading', { level: 1, name: 'New webhook' }).waitFor();
    await page.getByRole('button', { name: 'Add header' }).click();
    // The new row's name field has focus: the keyboard goes on from where the row appeared.
    await page.waitForFunction('document.activeElement?.id === "f-headers-0-name"');
    await page.getByRole('button', { name: 'Add validator' }).click();
    await page.getByRole('button', { name: "View event's payload schema" }).click();
    await page.getByText('Filters', { exact: true }).click();
    await page.getByLabel('OAuth 2.0 client credentials').check();
    expect(await page.evaluate(unlabelled)).toEqual([]);
    expect(await page.evaluate(overflow)).toBe(0);

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
  });
});

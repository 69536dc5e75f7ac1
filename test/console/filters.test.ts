/**
 * The webhook form's filters end to end: pickers fed by the account's filter catalog (values learned
 * from events the tests publish themselves), the platform guide's three filter examples delivered to
 * real HTTPS receivers, the test's filter verdict, the preview against recent events, and a value
 * typed by hand with its save warning. Each test has an account of its own (its own catalog and
 * recent events) and its own receiver routes. axe-core checks every page state visited.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { ListInvocations } from '../dispatch/operations.js';
import { GetWebhook } from '../graphql/operations.js';
import type { Route } from '../support/routes.js';
import { eventually } from '../support/routes.js';
import { accessEvent, chips, type FilterAccount, FLOWS, filterAccount, pickFilter } from './filter-events.js';
import { expectAccessible, useConsoleEnv } from './support.js';

/** Every body carries the event's friendly id, which names it (see accessEvent). */
const TEMPLATE = '{"request": "{{ data.friendly_id }}", "flow": "{{ data.access_flow.name }}"}';

describe('web console: filters', () => {
  const env = useConsoleEnv();

  /** Opens a new webhook's form with a name, a route's URL and the bodies' template. */
  async function newWebhook(page: Page, name: string, route: Route) {
    await page.goto('/#/webhooks/new');
    await page.getByRole('heading', { level: 1, name: 'Add Webhook' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('URL', { exact: true }).fill(route.url());
    await page.getByLabel('Body template').fill(TEMPLATE);
    await page.getByText('Filters', { exact: true }).click();
  }

  /** Creates the webhook the form holds; returns its id. */
  async function create(page: Page, name: string): Promise<string> {
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.getByText(`Created “${name}”.`).waitFor();
    return /#\/webhooks\/(wh_[^/]+)$/.exec(page.url())?.[1] as string;
  }

  /** The friendly ids a route received, once every invocation of its webhook is delivered. */
  async function delivered(account: FilterAccount, webhookId: string, route: Route, count: number) {
    await route.waitFor(count);
    await eventually(async () => {
      const res = await env.t.as(account.token).gql(ListInvocations, { webhookId, first: 100 });
      const nodes = res.data?.invocations.edges.map((e) => e.node) ?? [];
      return nodes.length === count && nodes.every((n) => n.status === 'SUCCEEDED');
    });
    // Every invocation is done, so nothing more can arrive: this is all the route will ever get.
    return route
      .requests()
      .map((r) => (JSON.parse(r.body) as { request: string }).request)
      .sort();
  }

  test("the guide's three examples: production requests, one integration and resource type, manual approvals", {
    timeout: 60_000,
  }, async () => {
    const account = await filterAccount(env.t);
    // What the catalog learns from: the account's earlier events.
    await account.publish(
      accessEvent('seed1'),
      accessEvent('seed2', { flow: FLOWS.development, groups: ['mysql'] }),
      accessEvent('seed3', { trigger: 'RequestApproved', approval: 'manual' }),
      accessEvent('seed4', { trigger: 'RequestApproved', approval: 'automatic' }),
    );
    const { page } = await env.newPage();
    await env.signIn(page, account.token);

    // (a) Only production requests: the production access flow, picked by its name.
    const production = env.routes.route();
    await newWebhook(page, 'Production requests', production);
    await pickFilter(page, 'Access flows', 'product', 'Production databases');
    await expectAccessible(page, 'a filter picked');
    const productionId = await create(page, 'Production requests');

    // (b) Only one integration and resource type, picked by their labels.
    const ordersDb = env.routes.route();
    await newWebhook(page, 'Orders database', ordersDb);
    await pickFilter(page, 'Integrations', 'orders', 'prod-orders-db (postgresql)');
    await pickFilter(page, 'Resource types', 'postgres', 'PostgreSQL/Database');
    const ordersDbId = await create(page, 'Orders database');

    // (c) Only manually approved requests, chosen with the keyboard.
    const manual = env.routes.route();
    await newWebhook(page, 'Manual approvals', manual);
    await page.getByLabel('Request created').uncheck();
    await page.getByLabel('Request approved').check();
    const approvals = page.getByRole('combobox', { name: 'Approval types', exact: true });
    await approvals.fill('MAN');
    const option = page.getByRole('option', { name: /^manual / });
    await option.waitFor();
    expect(await approvals.getAttribute('aria-expanded')).toBe('true');
    await approvals.press('ArrowDown');
    expect(await approvals.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    await expectAccessible(page, 'a filter list open, an option active');
    await approvals.press('Enter');
    await chips(page, 'Approval types').getByText('manual', { exact: true }).waitFor();
    expect(await approvals.getAttribute('aria-expanded')).toBe('false');
    const manualId = await create(page, 'Manual approvals');

    // Saved as the catalog's values, and shown again by their labels.
    const stored = async (id: string) =>
      (await env.t.as(account.token).gql(GetWebhook, { id })).data?.webhook?.filters;
    expect((await stored(productionId))?.accessFlowIds).toEqual(['flow_prod_db']);
    expect(await stored(ordersDbId)).toMatchObject({
      integrationIds: ['int_pg_prod'],
      resourceTypes: ['postgresql-database'],
    });
    expect((await stored(manualId))?.approvalTypes).toEqual(['manual']);
    await page.goto(`/#/webhooks/${ordersDbId}`);
    await chips(page, 'Integrations').getByText('prod-orders-db (postgresql)').waitFor();
    expect(await chips(page, 'Resource types').textContent()).toContain('PostgreSQL/Database');
    await expectAccessible(page, 'a saved webhook with filters');

    // A mixed set of events: each webhook gets exactly its own.
    const events = {
      prodOrders: accessEvent('prod-orders'),
      devMysql: accessEvent('dev-mysql', { flow: FLOWS.development, groups: ['mysql'] }),
      prodMysql: accessEvent('prod-mysql', { groups: ['mysql'] }),
      devOrdersSchema: accessEvent('dev-schema', { flow: FLOWS.development, groups: ['ordersSchema'] }),
      devOrders: accessEvent('dev-orders', { flow: FLOWS.development, groups: ['ordersDb'] }),
      approvedManually: accessEvent('manual', { trigger: 'RequestApproved', approval: 'manual' }),
      approvedAutomatically: accessEvent('auto', { trigger: 'RequestApproved', approval: 'automatic' }),
      createdWithManual: accessEvent('created-manual', { flow: FLOWS.development, approval: 'manual' }),
    };
    const published = await account.publish(...Object.values(events));
    const ids = (...names: (keyof typeof events)[]) => names.map((n) => events[n].data.friendly_id).sort();
    const matched = (webhookId: string) =>
      Object.keys(events)
        .filter((_, i) => published[i]?.webhookIds.includes(webhookId))
        .sort();
    expect(matched(productionId)).toEqual(['prodMysql', 'prodOrders']);
    expect(matched(ordersDbId)).toEqual(['createdWithManual', 'devOrders', 'prodOrders']);
    expect(matched(manualId)).toEqual(['approvedManually']);

    expect(await delivered(account, productionId, production, 2)).toEqual(ids('prodOrders', 'prodMysql'));
    expect(await delivered(account, ordersDbId, ordersDb, 3)).toEqual(
      ids('prodOrders', 'devOrders', 'createdWithManual'),
    );
    expect(await delivered(account, manualId, manual, 1)).toEqual(ids('approvedManually'));
  });

  test('a value typed by hand is kept, marked as not seen in any event yet, and the save warns about it', {
    timeout: 30_000,
  }, async () => {
    const account = await filterAccount(env.t);
    await account.publish(accessEvent('seed'));
    const { page } = await env.newPage();
    await env.signIn(page, account.token);
    await newWebhook(page, 'Typed by hand', env.routes.route());

    // Escape closes the list, then clears the search; Backspace in the empty search drops the last chip.
    const flows = page.getByRole('combobox', { name: 'Access flows', exact: true });
    await flows.fill('flow_coming_soon');
    const typed = page.getByRole('option', { name: 'Add “flow_coming_soon” not seen in any event yet' });
    await typed.waitFor();
    await flows.press('Escape');
    expect(await flows.getAttribute('aria-expanded')).toBe('false');
    await flows.press('Escape');
    expect(await flows.inputValue()).toBe('');
    await pickFilter(page, 'Access flows', 'Production', 'Production databases');
    await flows.fill('flow_coming_soon');
    await typed.waitFor();
    await flows.press('Enter');
    const unseen = chips(page, 'Access flows').locator('li', { hasText: 'flow_coming_soon' });
    await unseen.getByText('not seen in any event yet').waitFor();
    expect(await chips(page, 'Access flows').getAttribute('aria-label')).toBe('Access flows: 2 chosen');
    await expectAccessible(page, 'a value not seen yet');
    await flows.press('Backspace');
    await unseen.waitFor({ state: 'detached' });
    await flows.fill('flow_coming_soon');
    await flows.press('Enter');
    await unseen.getByText('not seen in any event yet').waitFor();

    // Emails ignore case: typed in capitals, it is the catalog's value, and shows its label.
    const emails = page.getByRole('combobox', { name: 'Requester emails', exact: true });
    await emails.fill('Dana.OBrien@Example.COM');
    await emails.press('Enter');
    await chips(page, 'Requester emails').getByText('Dana O"Brien <dana.obrien@example.com>').waitFor();

    const webhookId = await create(page, 'Typed by hand');
    const notice = page.locator('.save-warnings');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Saved, but one thing looks wrong:');
    expect(await notice.textContent()).toContain(
      'Access flows filter: no event of this account has carried "flow_coming_soon" yet',
    );
    const warning = page.locator('#f-filters-accessFlowIds-warning');
    expect(await warning.textContent()).toContain('"flow_coming_soon" yet, so this value matches nothing');
    expect(await flows.getAttribute('aria-describedby')).toContain('f-filters-accessFlowIds-warning');
    await expectAccessible(page, 'saved with a warning');
    await unseen.getByText('not seen in any event yet').waitFor();
    const stored = (await env.t.as(account.token).gql(GetWebhook, { id: webhookId })).data?.webhook?.filters;
    expect(stored).toMatchObject({
      accessFlowIds: ['flow_prod_db', 'flow_coming_soon'],
      requesterEmails: ['dana.obrien@example.com'],
    });

    // Once an event carries it, the value is known: saving again warns no more.
    await account.publish(accessEvent('later', { flow: { id: 'flow_coming_soon', name: 'Coming soon' } }));
    await page.reload();
    await chips(page, 'Access flows').getByText('Coming soon').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved “Typed by hand”.').waitFor();
    expect(await page.locator('.save-warnings').count()).toBe(0);
    expect(await page.locator('#f-filters-accessFlowIds-warning').count()).toBe(0);
  });

  test("the test's verdict names the filters that would hold back real events like its sample", {
    timeout: 30_000,
  }, async () => {
    const account = await filterAccount(env.t);
    await account.publish(accessEvent('seed', { flow: FLOWS.development, groups: ['mysql'] }));
    const route = env.routes.route();
    const { page } = await env.newPage();
    await env.signIn(page, account.token);
    await newWebhook(page, 'MySQL only', route);
    await pickFilter(page, 'Integration types', 'my', 'MySQL');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    // The sample event is a PostgreSQL and AWS request: sent all the same, but real ones are held back.
    const result = page.locator('.test-result');
    await result.getByText('Test successful').waitFor();
    expect(await result.locator('.verdict').textContent()).toBe(
      'Test delivered, but real events like this one would be filtered out by: Integration types.',
    );
    await expectAccessible(page, "the test's filter verdict");
    await route.waitFor(1);

    // A trigger that is not one of the webhook's is named too.
    await page.getByLabel('Test with trigger').selectOption('REQUEST_APPROVED');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await result.getByText(/Request approved is not one of/).waitFor();
    expect(await result.locator('.verdict').textContent()).toBe(
      "Test delivered, but real events like this one would not fire it: Request approved is not one of the webhook's triggers, and they would be filtered out by: Integration types.",
    );

    // Without the filter, the sample passes: no verdict.
    await chips(page, 'Integration types')
      .getByRole('button', { name: 'Remove MySQL from Integration types' })
      .click();
    await page.getByLabel('Test with trigger').selectOption('');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await result.and(page.locator('[data-matched="true"]')).waitFor();
    expect(await result.locator('.verdict').count()).toBe(0);
  });

  test('the preview runs the unsaved form over recent events: ✓ with the rendered body, ✗ with the reason', {
    timeout: 30_000,
  }, async () => {
    const account = await filterAccount(env.t);
    const prodEvent = accessEvent('prod');
    const [prod, dev, approved] = await account.publish(
      prodEvent,
      accessEvent('dev', { flow: FLOWS.development, groups: ['mysql'] }),
      accessEvent('approved', { trigger: 'RequestApproved', approval: 'manual' }),
    );
    const { page } = await env.newPage();
    await env.signIn(page, account.token);
    await page.goto('/#/webhooks/new');
    await page.getByRole('heading', { level: 1, name: 'Add Webhook' }).waitFor();
    const preview = page.getByRole('region', { name: 'Preview against recent events' });

    // Nothing filled in yet: the server's field errors, in the panel and at their fields.
    await preview.getByRole('button', { name: 'Run preview' }).click();
    await preview.getByText(/The form cannot be previewed yet: \d problems? to fix\./).waitFor();
    expect(await preview.getByRole('button', { name: /^URL:/ }).count()).toBe(1);
    expect(await page.getByLabel('URL', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await preview.getByRole('button', { name: /^URL:/ }).click();
    await page.waitForFunction('document.activeElement?.id === "f-url"');
    await expectAccessible(page, 'the preview refused, with field errors');

    await page.getByLabel('Name', { exact: true }).fill('Previewed');
    await page.getByLabel('URL', { exact: true }).fill(env.routes.route().url());
    await page.getByLabel('Body template').fill(TEMPLATE);
    await page.getByText('Filters', { exact: true }).click();
    await pickFilter(page, 'Access flows', 'prod', 'Production databases');
    await preview.getByRole('button', { name: 'Run preview' }).click();
    await preview.getByText('1 of the last 3 events would be delivered.').waitFor();

    const row = (eventId: string | undefined) => preview.locator(`li[data-event-id="${eventId}"]`);
    expect(await row(prod?.eventId).getAttribute('data-matched')).toBe('true');
    expect(await row(prod?.eventId).locator('.mark').textContent()).toBe('✓');
    expect(await row(prod?.eventId).locator('.preview-line').textContent()).toContain('Request created');
    await row(prod?.eventId).getByText('Rendered body').click();
    const body = JSON.parse((await row(prod?.eventId).locator('pre.body').textContent()) ?? '');
    expect(body).toEqual({ request: prodEvent.data.friendly_id, flow: 'Production databases' });
    await expectAccessible(page, 'the preview, a rendered body open');

    expect(await row(dev?.eventId).locator('.mark').textContent()).toBe('✗');
    expect(await row(dev?.eventId).locator('.preview-why').textContent()).toBe(
      'Filtered out by: Access flows',
    );
    expect(await row(dev?.eventId).getByText('Rendered body').count()).toBe(0);
    expect(await row(approved?.eventId).locator('.preview-why').textContent()).toBe(
      "Not one of the webhook's triggers",
    );
    expect(await row(approved?.eventId).locator('.preview-line').textContent()).toContain('Request approved');

    // A change to the form: the preview says it is stale, and runs again.
    await page.getByLabel('Request approved').check();
    await preview.getByText(/The form has changed since/).waitFor();
    await expectAccessible(page, 'the preview out of date');
    await preview.getByRole('button', { name: 'Preview again' }).click();
    await preview.getByText('2 of the last 3 events would be delivered.').waitFor();
    expect(await row(approved?.eventId).getAttribute('data-matched')).toBe('true');

    // A dry run: nothing was saved, nothing sent.
    expect(await env.t.as(account.token).raw('{ webhooks { edges { node { id } } } }')).toMatchObject({
      data: { webhooks: { edges: [] } },
    });
  });
});

/**
 * Webhook health in the console end to end: Chromium on a real server, a webhook whose real HTTPS
 * target accepts some events and refuses others (400: not retried, so FAILED at once), and the
 * deliveries just made in the webhooks table's sparkline and the webhook page's chart, live.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import { PublishEvent } from '../dispatch/operations.js';
import { json } from '../support/routes.js';
import { expectAccessible, flow, screenshot, useConsoleEnv } from './support.js';

describe('web console: webhook health', () => {
  const env = useConsoleEnv();

  /** Publishes a RequestCreated event of the flow; the target refuses it when `refused`. */
  async function publish(flowId: string, refused: boolean) {
    const event = sampleEvent('RequestCreated');
    event.data.id = `req_${refused ? 'refuse' : 'accept'}_${randomBytes(4).toString('hex')}`;
    event.data.access_flow = { id: flowId, name: 'Flow under test' };
    const res = await env.t.gql(PublishEvent, { event });
    if (res.data?.publishEvent.__typename !== 'PublishEventSuccess') throw new Error(JSON.stringify(res));
  }

  test('deliveries just made show in the sparkline of the table and the chart of the webhook page', async () => {
    const { t } = env;
    const route = env.routes.route((req, res) =>
      req.body.includes('req_refuse_') ? json(res, 400, { error: 'refused' }) : json(res, 200, { ok: true }),
    );
    const flowId = flow();
    const name = `Health ${flowId}`;
    const id = await env.createWebhook({ name, url: route.url(), filters: { accessFlowIds: [flowId] } });

    const { page } = await env.newPage();
    await env.signIn(page);
    const row = page.locator(`tr[data-webhook-id="${id}"]`);
    await row.getByRole('img', { name: 'No deliveries in the last 24 hours' }).waitFor();
    // The table's live updates are attached (its list and the sparklines': two subscriptions).
    const before = t.runtime.services.invocationFeed.subscribersOf(t.accountId);
    expect(before).toBeGreaterThanOrEqual(2);

    for (const refused of [false, true, false, false, true]) await publish(flowId, refused);
    await route.waitFor(5);
    const spark = row.getByRole('img', { name: '60% of 5 deliveries succeeded in the last 24 hours' });
    await spark.waitFor();
    expect(await spark.getAttribute('data-succeeded')).toBe('3');
    expect(await spark.getAttribute('data-failed')).toBe('2');
    await screenshot(page, 'health-sparkline');
    await expectAccessible(page, 'the sparkline in the table');

    await row.getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    const section = page.getByRole('region', { name: 'Health, last 24 hours' });
    await section
      .getByRole('img', {
        name: /^Chart of deliveries per hour over the last 24 hours: 3 succeeded, 2 failed;/,
      })
      .waitFor();
    expect(await section.locator('[data-total="succeeded"]').textContent()).toBe('3');
    expect(await section.locator('[data-total="failed"]').textContent()).toBe('2');
    expect(await section.locator('[data-total="retrying"]').textContent()).toBe('0');
    // Every hour of the day is drawn, and the bars add up to the deliveries.
    const bars = await section
      .locator('svg g[data-hour]')
      .evaluateAll((gs) => gs.map((g) => ({ s: Number(g.dataset.succeeded), f: Number(g.dataset.failed) })));
    expect(bars).toHaveLength(24);
    expect(bars.reduce((sum, b) => ({ s: sum.s + b.s, f: sum.f + b.f }), { s: 0, f: 0 })).toEqual({
      s: 3,
      f: 2,
    });

    // The numbers as a table, for those who do not see the chart.
    await section.getByText('The hourly numbers as a table').click();
    const table = section.getByRole('table', { name: 'Deliveries per hour, oldest first' });
    await table.waitFor();
    const cells = await table
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(cells).toHaveLength(24);
    expect(cells.reduce((n, c) => n + Number(c[0]), 0)).toBe(3);
    expect(cells.reduce((n, c) => n + Number(c[1]), 0)).toBe(2);
    expect(cells.reduce((n, c) => n + Number(c[2]), 0)).toBe(5);
    await screenshot(page, 'health-chart');
    await expectAccessible(page, "the webhook's health chart and its table");

    // One more, refused, while the page is open: the chart follows.
    await publish(flowId, true);
    await section.getByText('50% of 6 deliveries succeeded in the last 24 hours.').waitFor();
    expect(await section.locator('[data-total="failed"]').textContent()).toBe('3');
    await expectAccessible(page, 'the chart after a live update');
  });
});

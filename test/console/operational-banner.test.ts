/**
 * The console's operational-events banner end to end: Chromium on a real server, a webhook whose real
 * HTTPS target answers 410 Gone, and the WEBHOOK_DISABLED event that follows, shown on every page
 * until dismissed.
 */
import { describe, expect, test } from 'vitest';
import { eventually, json } from '../support/routes.js';
import { expectAccessible, flow, useConsoleEnv } from './support.js';

describe('web console: operational events', () => {
  const env = useConsoleEnv();

  test('a webhook the system deactivates shows a banner on every page, until dismissed', async () => {
    const { t } = env;
    const { page } = await env.newPage();
    await env.signIn(page);
    // The banner's subscription is attached: what happens from now on reaches it.
    await eventually(() => t.runtime.services.operationalFeed.subscribersOf(t.accountId) >= 1);

    const route = env.routes.route((_req, res) => json(res, 410, { gone: true }));
    const flowId = flow();
    const name = `Gone target ${flowId}`;
    await env.createWebhook({ name, url: route.url(), filters: { accessFlowIds: [flowId] } });
    await env.publish(flowId);

    const banner = page.getByRole('region', { name: 'Operational events' });
    const notice = banner.locator('[data-type="WEBHOOK_DISABLED"]');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Webhook deactivated by the system:');
    expect(await notice.textContent()).toMatch(/the target answered 410 Gone/);
    expect(await notice.getByRole('link', { name }).getAttribute('href')).toMatch(/^#\/webhooks\/wh_/);
    await expectAccessible(page, 'the banner on the webhooks page');

    // Another page: still there.
    await page.getByRole('link', { name: 'Invocations', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'All invocations' }).waitFor();
    await notice.waitFor();
    await expectAccessible(page, 'the banner on the invocations page');

    await notice.getByRole('button', { name: /^Dismiss: Webhook deactivated by the system/ }).click();
    await banner.waitFor({ state: 'detached' });
    await expectAccessible(page, 'the banner dismissed');
  });
});

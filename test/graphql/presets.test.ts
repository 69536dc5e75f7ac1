/**
 * Webhook presets: the data (every tool of the gallery, with docs and what to fill in), each body
 * rendered for every trigger's sample event by the sandbox deliveries use, and each definition,
 * filled in as an API client would from the webhookPresets query, accepted by createWebhook on a
 * real SQLite store.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sampleEvent, TRIGGERS, type Trigger } from '../../src/domain/event.js';
import {
  exampleValues,
  fillPlaceholders,
  PLACEHOLDER_NAME,
  placeholderNames,
} from '../../src/domain/preset.js';
import { WEBHOOK_PRESETS } from '../../src/domain/presets/index.js';
import { checkTargetUrl } from '../../src/domain/webhook.js';
import type { WebhookPresetsQuery } from '../gql/graphql.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { CreateWebhook, WebhookPresets } from './operations.js';

type Preset = WebhookPresetsQuery['webhookPresets'][number];
type Json = Record<string, unknown>;

const IDS = [
  'slack',
  'microsoft-teams',
  'jira',
  'servicenow',
  'freshdesk',
  'pagerduty',
  'datadog',
  'okta-workflows',
  'generic-json',
];

/** Every string anywhere in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** The headline the presets' shared Liquid gives each trigger. */
const HEADLINES: Record<Trigger, string> = {
  RequestCreated: 'New access request',
  RequestApproved: 'Access request approved',
  RequestGranted: 'Access granted',
  RequestRejected: 'Access request rejected',
  RequestFailed: 'Granting access failed',
  RequestExpired: 'Access expired',
};

/** What each tool needs of the body, beyond being JSON: the fields its API reads. */
const SHAPES: Record<string, (body: unknown, trigger: Trigger) => void> = {
  slack: (b, trigger) => {
    expect(b).toMatchObject({
      text: `${HEADLINES[trigger]} AR-1042: Dana O"Brien`,
      blocks: [{ type: 'section' }, { type: 'section' }, { type: 'context' }],
    });
  },
  'microsoft-teams': (b) => {
    expect(b).toMatchObject({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: { type: 'AdaptiveCard', version: '1.4' },
        },
      ],
    });
  },
  jira: (b) => {
    const item = (text: string) => ({
      type: 'listItem',
      content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
    });
    expect(b).toMatchObject({
      fields: {
        project: { key: 'SEC' },
        issuetype: { name: 'Task' },
        summary: 'Access request AR-1042: Dana O"Brien on prod-orders-db, aws-prod',
        description: {
          type: 'doc',
          version: 1,
          content: [
            { type: 'paragraph' },
            { type: 'paragraph' },
            {
              type: 'bulletList',
              content: [
                item('prod-orders-db/orders (ReadOnly)'),
                item('aws-prod/invoices-archive (s3:GetObject)'),
              ],
            },
          ],
        },
      },
    });
    // ADF refuses empty text nodes.
    expect(strings(b).every((s) => s !== '')).toBe(true);
  },
  servicenow: (b, trigger) => {
    expect(b).toMatchObject({
      short_description: expect.stringContaining('AR-1042'),
      correlation_id: 'req_7Yk2mQ4vN8',
      urgency: trigger === 'RequestFailed' ? '2' : '3',
    });
  },
  freshdesk: (b) => {
    expect(b).toMatchObject({ email: 'dana.obrien@example.com', status: 2, priority: 1, source: 2 });
    // HTML-escaped for the ticket's HTML, then JSON-escaped by the renderer.
    const { description } = b as Json;
    expect(description).toContain('Dana O&#34;Brien');
    expect(description).toContain('<li>prod-orders-db/orders (ReadOnly)</li>');
  },
  pagerduty: (b, trigger) => {
    expect(b).toMatchObject({
      routing_key: 'R0123456789ABCDEF0123456789ABCDE',
      event_action: trigger === 'RequestCreated' || trigger === 'RequestFailed' ? 'trigger' : 'resolve',
      dedup_key: 'access-request-req_7Yk2mQ4vN8',
      payload: {
        summary: expect.stringContaining('AR-1042'),
        source: 'prod-orders-db',
        severity: trigger === 'RequestFailed' ? 'error' : 'warning',
      },
    });
    const { timestamp } = (b as { payload: Json }).payload;
    expect(new Date(timestamp as string).getTime()).toBe(Math.floor(1764325265.851898 * 1000));
  },
  datadog: (b, trigger) => {
    expect(b).toMatchObject([
      {
        ddsource: 'access-webhooks',
        evt: { name: trigger },
        usr: { id: 'usr_01', name: 'Dana O"Brien', email: 'dana.obrien@example.com' },
        access_request: { friendly_id: 'AR-1042', duration_seconds: 3600 },
      },
    ]);
  },
  'okta-workflows': (b, trigger) => {
    expect(b).toMatchObject({
      event_type: trigger,
      event_time: 1764325265.851898,
      grantee_okta_id: '00u8x2k1',
      permission: 'ReadOnly',
    });
  },
  'generic-json': (b, trigger) => {
    expect(b).toEqual(JSON.parse(JSON.stringify(sampleEvent(trigger))));
  },
};

describe('webhook presets', () => {
  let t: TestApp;
  let presets: Preset[];
  beforeAll(async () => {
    t = await createTestApp('sqlite');
    const res = await t.gql(WebhookPresets);
    expect(res.errors).toBeUndefined();
    presets = res.data?.webhookPresets ?? [];
  });
  afterAll(async () => {
    await t?.close();
  });

  const byId = (id: string) => {
    const preset = WEBHOOK_PRESETS.find((p) => p.id === id);
    if (!preset) throw new Error(`no preset ${id}`);
    return preset;
  };

  test('the query serves every tool, each with its docs and everything to fill in described', () => {
    expect(presets.map((p) => p.id)).toEqual(IDS);
    expect(WEBHOOK_PRESETS.map((p) => p.id)).toEqual(IDS);
    for (const p of presets) {
      expect(new URL(p.docsUrl).protocol, p.id).toBe('https:');
      expect(p.name && p.description, p.id).toBeTruthy();
      for (const ph of p.placeholders) {
        expect(ph.name, p.id).toMatch(PLACEHOLDER_NAME);
        expect(ph.label && ph.description && ph.example, `${p.id} ${ph.name}`).toBeTruthy();
      }
      // Every token is described, every description has its token, in the order they appear.
      const d = p.definition;
      const used = placeholderNames([d.url, ...d.headers.map((h) => h.value), d.bodyTemplate].join('\n'));
      expect(used, p.id).toEqual(p.placeholders.map((ph) => ph.name));
      // Credentials only go where they must: never in a fixed header value.
      for (const h of d.headers) {
        const secret = placeholderNames(h.value).some(
          (n) => p.placeholders.find((x) => x.name === n)?.secret,
        );
        if (/authorization|key|token/i.test(h.name)) expect(secret, `${p.id} ${h.name}`).toBe(true);
      }
    }
    expect(presets.find((p) => p.id === 'jira')?.definition).toMatchObject({
      method: 'POST',
      url: 'https://{jira-site}.atlassian.net/rest/api/3/issue',
      headers: [
        { name: 'Authorization', value: 'Basic {jira-credentials}' },
        { name: 'Accept', value: 'application/json' },
      ],
      triggers: ['REQUEST_CREATED'],
    });
    expect(presets.find((p) => p.id === 'pagerduty')?.definition.responseValidators).toEqual([
      { jsonPath: '$.data.status', expectedValues: ['success'] },
    ]);
  });

  test.each(IDS)('%s: its URL, filled with the examples, is one the dispatcher may call', (id) => {
    const preset = byId(id);
    const url = fillPlaceholders(preset.definition.url, exampleValues(preset));
    expect(checkTargetUrl(url)).toEqual({ url });
  });

  test.concurrent.each(IDS.flatMap((id) => TRIGGERS.map((trigger) => [id, trigger] as const)))(
    '%s renders valid JSON for the %s sample event',
    async (id, trigger) => {
      const preset = byId(id);
      const template = fillPlaceholders(preset.definition.bodyTemplate, exampleValues(preset));
      expect(placeholderNames(template)).toEqual([]);
      // The renderer deliveries use: the runtime's sandbox, with testWebhook's mock event.
      const body = await t.runtime.services.sandbox.render(t.accountId, template, sampleEvent(trigger));
      const parsed: unknown = JSON.parse(body);
      const text = strings(parsed).join('\n');
      // The quote and the newline of the sample survive wherever the template puts them.
      if (template.includes('data.requester.name')) expect(text).toMatch(/Dana O("|&#34;)Brien/);
      if (template.includes('data.justification')) expect(text).toMatch(/INC-311(\n|<br \/>\n)need read/);
      SHAPES[id]?.(parsed, trigger);
    },
  );

  test.concurrent.each(IDS)(
    '%s, filled in from the query as an API client would, is accepted by createWebhook',
    async (id) => {
      const p = presets.find((x) => x.id === id) as Preset;
      const values = Object.fromEntries(p.placeholders.map((ph) => [ph.name, ph.example]));
      const fill = (text: string) => fillPlaceholders(text, values);
      const d = p.definition;
      const name = `${d.name} ${randomBytes(3).toString('hex')}`;
      const res = await t.gql(CreateWebhook, {
        input: {
          name,
          description: d.description,
          method: d.method,
          url: fill(d.url),
          headers: d.headers.map((h) => ({ name: h.name, value: fill(h.value) })),
          bodyTemplate: fill(d.bodyTemplate),
          triggers: d.triggers,
          timeoutSeconds: d.timeoutSeconds,
          responseValidators: d.responseValidators,
          customValidationErrorMessage: d.customValidationErrorMessage,
        },
      });
      expect(res.errors).toBeUndefined();
      const result = res.data?.createWebhook;
      if (result?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(result));
      expect(result.webhook).toMatchObject({
        name,
        method: d.method,
        url: fill(d.url),
        triggers: d.triggers,
        timeoutSeconds: d.timeoutSeconds,
        responseValidators: d.responseValidators,
      });
      expect(result.webhook.headers.map((h) => h.name)).toEqual(d.headers.map((h) => h.name));
    },
  );

  test.concurrent('a VIEWER key reads the presets too', async () => {
    const viewer = await t.newKey('VIEWER');
    const res = await t.as(viewer.token).gql(WebhookPresets);
    expect(res.errors).toBeUndefined();
    expect(res.data?.webhookPresets.map((p) => p.id)).toEqual(IDS);
  });
});

/** The console form's mapping to the API: write-only secrets, clearing optional parts, local checks. */
import { describe, expect, test } from 'vitest';
import { apiDimension, apiDimensionLabel, foldFilterValue } from '../../src/console/app/enums.js';
import type { ConsoleWebhookFragment as Webhook } from '../../src/console/app/gql/graphql.js';
import {
  fieldLabel,
  formFromPreset,
  formFromWebhook,
  keptSecrets,
  localErrors,
  newForm,
  type Placeholder,
  placeholderFields,
  previewInput,
  toInput,
  unfilledPlaceholders,
} from '../../src/console/app/webhook-model.js';

const stored: Webhook = {
  id: 'wh_1',
  name: 'Stored',
  description: 'What it is for',
  status: 'INACTIVE',
  method: 'PUT',
  url: 'https://hooks.example.com/a',
  bodyTemplate: '{}',
  headers: [{ name: 'Authorization', value: '••••3456' }],
  oauth: {
    clientId: 'client',
    clientSecret: '••••cret',
    tokenEndpointUrl: 'https://auth.example.com/token',
    scopes: ['a'],
  },
  triggers: ['REQUEST_APPROVED', 'REQUEST_CREATED'],
  filters: {
    integrationIds: [],
    integrationTypes: ['postgresql'],
    resourceTypes: [],
    resourceIds: [],
    permissions: [],
    accessFlowIds: [],
    bundleIds: [],
    requesterEmails: [],
    granteeTypes: [],
    approvalTypes: [],
  },
  timeoutSeconds: 15,
  responseValidators: [{ jsonPath: '$.data.ok', expectedValues: ['true'] }],
  customValidationErrorMessage: null,
  disabledReason: null,
  createdAt: '2026-11-28T00:00:00.000Z',
  updatedAt: '2026-11-28T00:00:00.000Z',
};

describe('webhook form model', () => {
  test('a stored webhook round-trips; stored secrets are sent without a value (kept)', () => {
    const form = formFromWebhook(stored);
    expect(form.headers[0]).toMatchObject({ name: 'Authorization', value: '', stored: '••••3456' });
    expect(toInput(form)).toEqual({
      name: 'Stored',
      description: 'What it is for',
      status: 'INACTIVE',
      method: 'PUT',
      url: 'https://hooks.example.com/a',
      bodyTemplate: '{}',
      headers: [{ name: 'Authorization' }],
      oauth: { clientId: 'client', tokenEndpointUrl: 'https://auth.example.com/token', scopes: ['a'] },
      // In the API's order, whatever order they were chosen in.
      triggers: ['REQUEST_CREATED', 'REQUEST_APPROVED'],
      filters: stored.filters,
      timeoutSeconds: 15,
      responseValidators: [{ jsonPath: '$.data.ok', expectedValues: ['true'] }],
      customValidationErrorMessage: null,
    });
  });

  test('retyped secrets are sent; no authentication clears OAuth; an empty timeout is the default', () => {
    const form = formFromWebhook(stored);
    form.headers[0] = { ...(form.headers[0] as (typeof form.headers)[number]), value: 'Bearer new' };
    form.auth = 'NONE';
    form.timeout = '';
    expect(toInput(form)).toMatchObject({
      headers: [{ name: 'Authorization', value: 'Bearer new' }],
      oauth: null,
      timeoutSeconds: null,
    });
  });

  test('a new header or OAuth secret is always sent, even empty, so the server can say it is required', () => {
    const form = newForm();
    form.headers.push({ key: 1, name: 'X-Key', value: '', stored: null });
    form.auth = 'OAUTH';
    expect(toInput(form)).toMatchObject({
      headers: [{ name: 'X-Key', value: '' }],
      oauth: { clientId: '', clientSecret: '', tokenEndpointUrl: '', scopes: [] },
    });
  });

  test('testing unsaved changes needs stored secrets retyped; a fractional timeout never reaches the API', () => {
    const form = formFromWebhook(stored);
    expect(Object.keys(keptSecrets(form))).toEqual(['headers.0.value', 'oauth.clientSecret']);
    form.oauthClientSecret = 'typed';
    expect(Object.keys(keptSecrets(form))).toEqual(['headers.0.value']);
    expect(localErrors(form)).toEqual({});
    form.timeout = '1.5';
    expect(localErrors(form)).toEqual({ timeoutSeconds: 'must be a whole number of seconds' });
  });

  test('a preview sends the definition without headers and OAuth: it sends nothing, so kept secrets need no retyping', () => {
    const form = formFromWebhook(stored);
    expect(previewInput(form)).toEqual({ ...toInput(form), headers: [], oauth: null });
  });

  test("filter dimensions: the API's names, their labels, case folding, field labels", () => {
    expect(apiDimension('accessFlowIds')).toBe('ACCESS_FLOW_IDS');
    expect(apiDimensionLabel('INTEGRATION_TYPES')).toBe('Integration types');
    expect(foldFilterValue('requesterEmails', 'Dana@Example.COM')).toBe('dana@example.com');
    expect(foldFilterValue('integrationIds', 'Int_PG')).toBe('Int_PG');
    expect(fieldLabel('filters.accessFlowIds.1')).toBe('Access flows filter');
  });
});

describe('starting from a preset', () => {
  const preset = {
    id: 'jira',
    name: 'Jira',
    description: 'Creates issues',
    docsUrl: 'https://developer.atlassian.com/',
    placeholders: [
      { name: 'jira-site', label: 'Jira site', description: 'Your site', example: 'acme', secret: false },
      {
        name: 'jira-credentials',
        label: 'Jira credentials',
        description: 'Base64',
        example: 'ZQ==',
        secret: true,
      },
      {
        name: 'jira-project-key',
        label: 'Project key',
        description: 'The key',
        example: 'SEC',
        secret: false,
      },
    ],
    definition: {
      name: 'Jira issues',
      description: 'Creates a Jira issue',
      method: 'POST' as const,
      url: 'https://{jira-site}.atlassian.net/rest/api/3/issue',
      headers: [
        { name: 'Authorization', value: 'Basic {jira-credentials}' },
        { name: 'Accept', value: 'application/json' },
      ],
      bodyTemplate: '{"project": "{jira-project-key}", "summary": "{{ data.friendly_id }}"}',
      triggers: ['REQUEST_FAILED' as const, 'REQUEST_CREATED' as const],
      timeoutSeconds: 45,
      responseValidators: [{ jsonPath: '$.data.key', expectedValues: ['x'] }],
      customValidationErrorMessage: null,
    },
  };

  test('the form takes the definition; a header holding a credential starts empty, its pattern as the hint', () => {
    const form = formFromPreset(preset);
    expect(toInput(form)).toMatchObject({
      name: 'Jira issues',
      url: 'https://{jira-site}.atlassian.net/rest/api/3/issue',
      headers: [
        { name: 'Authorization', value: '' },
        { name: 'Accept', value: 'application/json' },
      ],
      triggers: ['REQUEST_CREATED', 'REQUEST_FAILED'],
      timeoutSeconds: 45,
      responseValidators: [{ jsonPath: '$.data.key', expectedValues: ['x'] }],
    });
    expect(form.headers.map((h) => h.hint)).toEqual(['Basic {jira-credentials}', undefined]);
  });

  test('each placeholder left is an error on its field, until it is filled in', () => {
    const form = formFromPreset(preset);
    expect(unfilledPlaceholders(form)).toEqual({
      url: 'replace {jira-site}: Jira site, e.g. acme',
      'headers.0.value': 'type its value: Basic {jira-credentials} (Jira credentials)',
      bodyTemplate: 'replace {jira-project-key}: Project key, e.g. SEC',
    });
    // A placeholder typed into the header value literally is still unfilled.
    const typed = {
      ...form,
      headers: form.headers.map((h, i) => (i === 0 ? { ...h, value: 'Basic {jira-credentials}' } : h)),
    };
    expect(Object.keys(unfilledPlaceholders(typed))).toContain('headers.0.value');
    const filled = {
      ...form,
      url: 'https://acme.atlassian.net/rest/api/3/issue',
      headers: form.headers.map((h, i) => (i === 0 ? { ...h, value: 'Basic ZQ==' } : h)),
      bodyTemplate: form.bodyTemplate.replace('{jira-project-key}', 'SEC'),
    };
    expect(unfilledPlaceholders(filled)).toEqual({});
    expect(placeholderFields(form, preset.placeholders[0] as Placeholder)).toEqual(['url']);
    // A form not started from a preset has nothing to fill in, whatever braces it holds.
    expect(unfilledPlaceholders({ ...newForm(), url: 'https://{x}.example.com' })).toEqual({});
  });
});

/** The console form's mapping to the API: write-only secrets, clearing optional parts, local checks. */
import { describe, expect, test } from 'vitest';
import { apiDimension, apiDimensionLabel, foldFilterValue } from '../../src/console/app/enums.js';
import type { ConsoleWebhookFragment as Webhook } from '../../src/console/app/gql/graphql.js';
import {
  fieldLabel,
  formFromWebhook,
  keptSecrets,
  localErrors,
  newForm,
  previewInput,
  toInput,
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

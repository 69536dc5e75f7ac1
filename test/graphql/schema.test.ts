import { readFileSync } from 'node:fs';
import { type GraphQLInterfaceType, type GraphQLObjectType, printSchema } from 'graphql';
import { describe, expect, test } from 'vitest';
import { ERROR_CODES } from '../../src/domain/errors.js';
import { toSchema } from '../../src/graphql/index.js';

const schema = toSchema();

describe('schema', () => {
  test('the committed schema/schema.graphql is the printed schema (run npm run generate)', () => {
    const committed = readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(`${printSchema(schema)}\n`);
  });

  test('every error code has one object type implementing Error', () => {
    const errorInterface = schema.getType('Error') as GraphQLInterfaceType;
    const implementations = schema
      .getPossibleTypes(errorInterface)
      .map((t) => t.name)
      .sort();
    const expected = Object.keys(ERROR_CODES)
      .map(
        (code) =>
          `${code.charAt(0)}${code
            .slice(1)
            .toLowerCase()
            .replace(/_(\w)/g, (_, c) => c.toUpperCase())}Error`,
      )
      .sort();
    expect(implementations).toEqual(expected);
  });

  test('contains the contract names of the public API for webhook definitions', () => {
    const fields = (name: string) =>
      Object.keys((schema.getType(name) as GraphQLObjectType).getFields()).sort();
    expect(fields('Query')).toEqual(
      expect.arrayContaining(['node', 'webhook', 'webhooks', 'eventPayloadSchema', 'sampleEvent']),
    );
    expect(fields('Mutation')).toEqual(
      expect.arrayContaining(['createWebhook', 'updateWebhook', 'deleteWebhook']),
    );
    expect(fields('Webhook')).toEqual(
      expect.arrayContaining([
        'id',
        'name',
        'status',
        'method',
        'url',
        'bodyTemplate',
        'headers',
        'oauth',
        'triggers',
        'filters',
        'timeoutSeconds',
        'responseValidators',
        'customValidationErrorMessage',
        'disabledReason',
        'createdAt',
        'updatedAt',
      ]),
    );
    for (const name of [
      'CreateWebhookResult',
      'UpdateWebhookResult',
      'DeleteWebhookResult',
      'CreateWebhookSuccess',
      'UpdateWebhookSuccess',
      'DeleteWebhookSuccess',
      'ValidationError',
      'NotFoundError',
      'ConflictError',
      'FieldError',
      'WebhookConnection',
      'HeaderEntry',
      'HeaderInput',
      'OAuthInput',
      'OAuthClientCredentials',
      'WebhookFilters',
      'WebhookFiltersInput',
      'ResponseValidator',
      'ResponseValidatorInput',
      'CreateWebhookInput',
      'UpdateWebhookInput',
      'WebhookTrigger',
      'HttpMethod',
      'WebhookStatus',
      'DateTime',
      'JSON',
      'Node',
    ]) {
      expect(schema.getType(name), name).toBeDefined();
    }
  });
});

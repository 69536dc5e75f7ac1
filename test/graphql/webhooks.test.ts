import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CreateWebhookInput, UpdateWebhookInput } from '../gql/graphql.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { webhookInput } from '../support/factories.js';
import { STORE_KINDS, uniqueName } from '../support/stores.js';
import {
  CreateWebhook,
  DeleteWebhook,
  EventSchema,
  GetWebhook,
  ListWebhooks,
  NodeLookup,
  SampleEvent,
  UpdateWebhook,
} from './operations.js';

describe.each(STORE_KINDS)('webhook definitions over GraphQL on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function create(input: CreateWebhookInput) {
    const res = await t.gql(CreateWebhook, { input });
    expect(res.errors).toBeUndefined();
    const result = res.data?.createWebhook;
    if (result?.__typename !== 'CreateWebhookSuccess')
      throw new Error(`create failed: ${JSON.stringify(result)}`);
    return result;
  }

  async function countNamed(name: string) {
    const res = await t.gql(ListWebhooks, { nameContains: name, first: 100 });
    return res.data?.webhooks.edges.filter((e) => e.node.name.toLowerCase() === name.toLowerCase()).length;
  }

  async function expectRejected(input: CreateWebhookInput, path: string[], message?: RegExp) {
    const res = await t.gql(CreateWebhook, { input });
    const result = res.data?.createWebhook;
    expect(result?.__typename).toBe('ValidationError');
    if (result?.__typename !== 'ValidationError') return;
    expect(result.code).toBe('VALIDATION');
    const match = result.fieldErrors.find((e) => e.path.join('.') === path.join('.'));
    expect(match, `no field error at ${path.join('.')}: ${JSON.stringify(result.fieldErrors)}`).toBeDefined();
    if (message) expect(match?.message).toMatch(message);
    expect(await countNamed(input.name)).toBe(0);
  }

  test.concurrent('createWebhook stores every field and returns the signing secret once', async () => {
    const input = webhookInput({
      status: 'INACTIVE',
      method: 'PUT',
      url: 'https://hooks.example.com:443/a/b?x=1',
      headers: [
        { name: 'Authorization', value: 'Bearer abcdefghijklmnopqrstuvwxyz' },
        { name: 'X-Short', value: 'abc' },
      ],
      triggers: ['REQUEST_APPROVED', 'REQUEST_GRANTED', 'REQUEST_APPROVED'],
      filters: { integrationTypes: ['postgresql'], requesterEmails: ['Dana.OBrien@Example.com'] },
      timeoutSeconds: 45,
      responseValidators: [{ jsonPath: '$.data.status', expectedValues: ['ok', 'accepted'] }],
      customValidationErrorMessage: 'Target did not accept the request',
    });
    const { webhook, signingSecret } = await create(input);
    expect(signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(webhook).toMatchObject({
      name: input.name,
      status: 'INACTIVE',
      method: 'PUT',
      url: 'https://hooks.example.com/a/b?x=1',
      bodyTemplate: input.bodyTemplate,
      headers: [
        { name: 'Authorization', value: '••••wxyz' },
        { name: 'X-Short', value: '••••' },
      ],
      oauth: null,
      triggers: ['REQUEST_APPROVED', 'REQUEST_GRANTED'],
      timeoutSeconds: 45,
      responseValidators: [{ jsonPath: '$.data.status', expectedValues: ['ok', 'accepted'] }],
      customValidationErrorMessage: 'Target did not accept the request',
      disabledReason: null,
    });
    expect(webhook.filters.integrationTypes).toEqual(['postgresql']);
    expect(webhook.filters.requesterEmails).toEqual(['dana.obrien@example.com']);
    expect(webhook.filters.bundleIds).toEqual([]);
    expect(webhook.id).toMatch(/^wh_/);
    expect(webhook.createdAt).toBe(webhook.updatedAt);

    const read = await t.gql(GetWebhook, { id: webhook.id });
    expect(read.data?.webhook).toEqual(webhook);
    expect(JSON.stringify(read)).not.toContain('abcdefghijklmnopqrstuvwxyz');
    expect(JSON.stringify(read)).not.toContain(signingSecret);
  });

  test.concurrent('defaults: ACTIVE, POST, 30 s timeout, empty filters and validators', async () => {
    const { webhook } = await create(webhookInput());
    expect(webhook).toMatchObject({
      status: 'ACTIVE',
      method: 'POST',
      timeoutSeconds: 30,
      headers: [],
      responseValidators: [],
      customValidationErrorMessage: null,
    });
    expect(Object.values(webhook.filters).filter((v) => Array.isArray(v) && v.length)).toEqual([]);
  });

  test.concurrent('OAuth client credentials are stored with the secret masked', async () => {
    const { webhook } = await create(
      webhookInput({
        oauth: {
          clientId: 'client-1',
          clientSecret: 'super-secret-client-value-9876',
          tokenEndpointUrl: 'https://auth.example.com/oauth/token',
          scopes: ['webhooks.write', 'audit'],
        },
      }),
    );
    expect(webhook.oauth).toEqual({
      clientId: 'client-1',
      clientSecret: '••••9876',
      tokenEndpointUrl: 'https://auth.example.com/oauth/token',
      scopes: ['webhooks.write', 'audit'],
    });
  });

  describe('validation: one rule each, with the field path, and nothing stored', () => {
    const cases: [string, Partial<CreateWebhookInput>, string[], RegExp?][] = [
      ['empty name', { name: '   ' }, ['input', 'name'], /empty/],
      ['name over 100 characters', { name: 'n'.repeat(101) }, ['input', 'name'], /100/],
      ['name with other characters', { name: 'hook/<script>' }, ['input', 'name'], /letters, digits/],
      ['url that is not a URL', { url: 'not a url' }, ['input', 'url'], /absolute URL/],
      ['http url', { url: 'http://hooks.example.com/x' }, ['input', 'url'], /https/],
      ['url with a custom port', { url: 'https://hooks.example.com:8443/x' }, ['input', 'url'], /port/],
      [
        'url with credentials',
        { url: 'https://user:pw@hooks.example.com/x' },
        ['input', 'url'],
        /credentials/,
      ],
      ['no trigger', { triggers: [] }, ['input', 'triggers'], /at least one/],
      [
        'template that does not parse',
        { bodyTemplate: '{"a": "{{ data.id "}' },
        ['input', 'bodyTemplate'],
        /parse/,
      ],
      [
        'template with an unknown filter',
        { bodyTemplate: '{"a": "{{ data.id | nope }}"}' },
        ['input', 'bodyTemplate'],
        /nope/,
      ],
      [
        'template that renders invalid JSON names the line',
        { bodyTemplate: '{\n  "a": "{{ data.id }}",\n  "b": \n}' },
        ['input', 'bodyTemplate'],
        /not valid JSON at line 4/,
      ],
      [
        'object interpolated outside a string without json',
        { bodyTemplate: '{"requester": {{ data.requester }}}' },
        ['input', 'bodyTemplate'],
        /not valid JSON/,
      ],
      [
        'empty template for POST',
        { bodyTemplate: '  ', method: 'POST' },
        ['input', 'bodyTemplate'],
        /GET and DELETE/,
      ],
      [
        'header name that is not a token',
        { headers: [{ name: 'Bad Header', value: 'x' }] },
        ['input', 'headers', '0', 'name'],
      ],
      [
        'header value with CR/LF',
        { headers: [{ name: 'X-Api-Key', value: 'abc\r\nX-Injected: 1' }] },
        ['input', 'headers', '0', 'value'],
        /CR, LF/,
      ],
      [
        'duplicate header names',
        {
          headers: [
            { name: 'X-Key', value: 'a' },
            { name: 'x-key', value: 'b' },
          ],
        },
        ['input', 'headers', '1', 'name'],
        /duplicates/,
      ],
      [
        'new header without a value',
        { headers: [{ name: 'X-Key' }] },
        ['input', 'headers', '0', 'value'],
        /required/,
      ],
      [
        'header the dispatcher owns',
        { headers: [{ name: 'Webhook-Signature', value: 'v1,x' }] },
        ['input', 'headers', '0', 'name'],
      ],
      ['timeout of 0', { timeoutSeconds: 0 }, ['input', 'timeoutSeconds'], /at least 1/],
      ['timeout over 120', { timeoutSeconds: 121 }, ['input', 'timeoutSeconds'], /at most 120/],
      [
        'validator path outside $.data.',
        { responseValidators: [{ jsonPath: '$.status', expectedValues: ['ok'] }] },
        ['input', 'responseValidators', '0', 'jsonPath'],
        /\$\.data\./,
      ],
      [
        'validator path that does not parse',
        { responseValidators: [{ jsonPath: '$.data.items[?(@.id==1)]', expectedValues: ['ok'] }] },
        ['input', 'responseValidators', '0', 'jsonPath'],
        /JSON path/,
      ],
      [
        'validator without expected values',
        { responseValidators: [{ jsonPath: '$.data.ok', expectedValues: [] }] },
        ['input', 'responseValidators', '0', 'expectedValues'],
      ],
      [
        'OAuth token endpoint over http',
        { oauth: { clientId: 'c', clientSecret: 's', tokenEndpointUrl: 'http://auth.example.com/token' } },
        ['input', 'oauth', 'tokenEndpointUrl'],
        /https/,
      ],
      [
        'OAuth with an empty client id',
        { oauth: { clientId: ' ', clientSecret: 's', tokenEndpointUrl: 'https://auth.example.com/token' } },
        ['input', 'oauth', 'clientId'],
      ],
      [
        'OAuth without a client secret',
        { oauth: { clientId: 'c', tokenEndpointUrl: 'https://auth.example.com/token' } },
        ['input', 'oauth', 'clientSecret'],
      ],
      [
        'OAuth together with an Authorization header',
        {
          headers: [{ name: 'Authorization', value: 'Bearer x' }],
          oauth: { clientId: 'c', clientSecret: 's', tokenEndpointUrl: 'https://auth.example.com/token' },
        },
        ['input', 'oauth'],
      ],
      [
        'empty filter value',
        { filters: { integrationIds: ['int_1', ' '] } },
        ['input', 'filters', 'integrationIds', '1'],
      ],
      [
        'custom validation message over 500 characters',
        { customValidationErrorMessage: 'x'.repeat(501) },
        ['input', 'customValidationErrorMessage'],
      ],
    ];
    test.concurrent.each(cases)('%s', async (_label, overrides, path, message) => {
      await expectRejected(webhookInput(overrides), path, message);
    });

    test.concurrent('every problem is listed at once', async () => {
      const res = await t.gql(CreateWebhook, {
        input: webhookInput({
          name: '!',
          url: 'http://x',
          triggers: [],
          timeoutSeconds: 500,
          bodyTemplate: '{',
        }),
      });
      const result = res.data?.createWebhook;
      if (result?.__typename !== 'ValidationError') throw new Error(JSON.stringify(result));
      expect(result.fieldErrors.map((e) => e.path.join('.')).sort()).toEqual([
        'input.bodyTemplate',
        'input.name',
        'input.timeoutSeconds',
        'input.triggers',
        'input.url',
      ]);
      expect(result.message).toMatch(/and 4 more/);
    });

    test.concurrent('a name that differs only in case is a ConflictError', async () => {
      const name = uniqueName('Dup');
      await create(webhookInput({ name }));
      const res = await t.gql(CreateWebhook, { input: webhookInput({ name: `  ${name.toUpperCase()} ` }) });
      expect(res.data?.createWebhook).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
      expect(await countNamed(name)).toBe(1);
    });

    test.concurrent('accepted edge values: :443, GET with no body, every template in the guides', async () => {
      const get = await create(
        webhookInput({ method: 'GET', bodyTemplate: '', url: 'https://h.example.com:443' }),
      );
      expect(get.webhook).toMatchObject({ method: 'GET', bodyTemplate: '', url: 'https://h.example.com/' });
      const handlebars = await create(
        webhookInput({ bodyTemplate: '{"n": "{{data.access_groups.[0].[resource_types].[0].name}}"}' }),
      );
      expect(handlebars.webhook.bodyTemplate).toContain('.[0]');
      const withJson = await create(
        webhookInput({ bodyTemplate: '{"groups": {{ data.access_groups | json }}}' }),
      );
      expect(withJson.webhook.name).toBeTruthy();
    });
  });

  test.concurrent('updateWebhook changes given fields, keeps the rest, and keeps omitted secret values', async () => {
    const { webhook } = await create(
      webhookInput({
        headers: [
          { name: 'Authorization', value: 'Bearer first-token-0001' },
          { name: 'X-Team', value: 'security-team' },
        ],
      }),
    );
    const input: UpdateWebhookInput = {
      url: 'https://other.example.com/new',
      timeoutSeconds: 10,
      // Authorization kept without a value; X-Team dropped; a new header added.
      headers: [{ name: 'authorization' }, { name: 'X-New', value: 'brand-new-value' }],
    };
    const res = await t.gql(UpdateWebhook, { id: webhook.id, input });
    const result = res.data?.updateWebhook;
    if (result?.__typename !== 'UpdateWebhookSuccess') throw new Error(JSON.stringify(result));
    expect(result.webhook).toMatchObject({
      id: webhook.id,
      name: webhook.name,
      url: 'https://other.example.com/new',
      timeoutSeconds: 10,
      triggers: webhook.triggers,
      bodyTemplate: webhook.bodyTemplate,
      headers: [
        { name: 'authorization', value: '••••0001' },
        { name: 'X-New', value: '••••alue' },
      ],
    });
    expect(new Date(result.webhook.updatedAt).getTime()).toBeGreaterThanOrEqual(
      new Date(webhook.updatedAt).getTime(),
    );
    expect(result.webhook.createdAt).toBe(webhook.createdAt);
    // The kept value really is the stored one, not the masked text.
    const stored = await t.stores.webhooks.get(t.accountId, webhook.id);
    const kept = stored?.headers.find((h) => h.name === 'authorization');
    expect(kept && t.secrets.decrypt(kept.value, t.accountId)).toBe('Bearer first-token-0001');
  });

  test.concurrent('description: stored trimmed, kept by updates that omit it, cleared by null or blanks', async () => {
    const { webhook } = await create(webhookInput({ description: '  Alerts #access when someone asks  ' }));
    expect(webhook.description).toBe('Alerts #access when someone asks');
    const update = async (input: UpdateWebhookInput) => {
      const result = (await t.gql(UpdateWebhook, { id: webhook.id, input })).data?.updateWebhook;
      if (result?.__typename !== 'UpdateWebhookSuccess') throw new Error(JSON.stringify(result));
      return result.webhook;
    };
    // A partial update that does not name it keeps it.
    expect((await update({ timeoutSeconds: 12 })).description).toBe('Alerts #access when someone asks');
    expect((await update({ description: 'Second words' })).description).toBe('Second words');
    expect((await update({ description: '   ' })).description).toBeNull();
    await update({ description: 'Again' });
    expect((await update({ description: null })).description).toBeNull();
    expect((await t.stores.webhooks.get(t.accountId, webhook.id))?.description).toBeNull();
    // Without one at all, it is null.
    expect((await create(webhookInput())).webhook.description).toBeNull();
  });

  test.concurrent('description over 500 characters is a field error and nothing is stored', async () => {
    await expectRejected(webhookInput({ description: 'x'.repeat(501) }), ['input', 'description'], /500/);
    const { webhook } = await create(webhookInput({ description: 'kept' }));
    const res = await t.gql(UpdateWebhook, { id: webhook.id, input: { description: 'y'.repeat(501) } });
    expect(res.data?.updateWebhook.__typename).toBe('ValidationError');
    expect((await t.stores.webhooks.get(t.accountId, webhook.id))?.description).toBe('kept');
  });

  test.concurrent('updateWebhook keeps the OAuth secret when omitted, and null removes OAuth', async () => {
    const { webhook } = await create(
      webhookInput({
        oauth: {
          clientId: 'a',
          clientSecret: 'client-secret-000042',
          tokenEndpointUrl: 'https://auth.example.com/t',
        },
      }),
    );
    const kept = await t.gql(UpdateWebhook, {
      id: webhook.id,
      input: { oauth: { clientId: 'b', tokenEndpointUrl: 'https://auth.example.com/t2', scopes: ['x'] } },
    });
    expect(kept.data?.updateWebhook).toMatchObject({
      webhook: {
        oauth: {
          clientId: 'b',
          clientSecret: '••••0042',
          tokenEndpointUrl: 'https://auth.example.com/t2',
          scopes: ['x'],
        },
      },
    });
    const removed = await t.gql(UpdateWebhook, { id: webhook.id, input: { oauth: null } });
    expect(removed.data?.updateWebhook).toMatchObject({ webhook: { oauth: null } });
  });

  test.concurrent('an invalid update changes nothing', async () => {
    const { webhook } = await create(webhookInput());
    const res = await t.gql(UpdateWebhook, {
      id: webhook.id,
      input: { url: 'http://insecure.example.com', name: 'renamed ok', timeoutSeconds: 5 },
    });
    expect(res.data?.updateWebhook).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'url'] }],
    });
    const read = await t.gql(GetWebhook, { id: webhook.id });
    expect(read.data?.webhook).toEqual(webhook);
  });

  test.concurrent('update: null for a required field, renaming onto another name, unknown id', async () => {
    const a = await create(webhookInput());
    const b = await create(webhookInput());
    const nulled = await t.gql(UpdateWebhook, { id: a.webhook.id, input: { name: null } });
    expect(nulled.data?.updateWebhook).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'name'] }],
    });
    const clash = await t.gql(UpdateWebhook, {
      id: a.webhook.id,
      input: { name: b.webhook.name.toUpperCase() },
    });
    expect(clash.data?.updateWebhook).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect((await t.gql(GetWebhook, { id: a.webhook.id })).data?.webhook?.name).toBe(a.webhook.name);
    const missing = await t.gql(UpdateWebhook, {
      id: 'wh_00000000000000000000000000',
      input: { timeoutSeconds: 3 },
    });
    expect(missing.data?.updateWebhook).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });

  test.concurrent('reactivating a webhook clears disabledReason', async () => {
    const { webhook } = await create(webhookInput({ status: 'INACTIVE' }));
    const stored = await t.stores.webhooks.get(t.accountId, webhook.id);
    if (!stored) throw new Error('not stored');
    expect(
      await t.stores.webhooks.update(
        { ...stored, disabledReason: 'target answered 410 Gone', version: stored.version + 1 },
        stored.version,
      ),
    ).toBe('ok');
    expect((await t.gql(GetWebhook, { id: webhook.id })).data?.webhook?.disabledReason).toBe(
      'target answered 410 Gone',
    );
    const res = await t.gql(UpdateWebhook, { id: webhook.id, input: { status: 'ACTIVE' } });
    expect(res.data?.updateWebhook).toMatchObject({ webhook: { status: 'ACTIVE', disabledReason: null } });
  });

  test.concurrent('deleteWebhook removes it; a second delete and a bad id are NotFoundError', async () => {
    const { webhook } = await create(webhookInput());
    const res = await t.gql(DeleteWebhook, { id: webhook.id });
    expect(res.data?.deleteWebhook).toEqual({ __typename: 'DeleteWebhookSuccess', deletedId: webhook.id });
    expect((await t.gql(GetWebhook, { id: webhook.id })).data?.webhook).toBeNull();
    expect((await t.gql(DeleteWebhook, { id: webhook.id })).data?.deleteWebhook).toMatchObject({
      __typename: 'NotFoundError',
    });
    expect((await t.gql(DeleteWebhook, { id: 'not-an-id' })).data?.deleteWebhook).toMatchObject({
      __typename: 'NotFoundError',
    });
    // The name is free again.
    await create(webhookInput({ name: webhook.name }));
  });

  test.concurrent('webhooks: newest first, paged with first/after, filtered by status, trigger and name', async () => {
    const tag = uniqueName('page').replace(' ', '-');
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { webhook } = await create(
        webhookInput({
          name: `${tag} ${i}`,
          status: i % 2 ? 'INACTIVE' : 'ACTIVE',
          triggers: i < 3 ? ['REQUEST_EXPIRED'] : ['REQUEST_CREATED', 'REQUEST_FAILED'],
        }),
      );
      made.push(webhook.id);
    }
    const listPage = (cursor: string | null) =>
      t.gql(ListWebhooks, { first: 3, after: cursor, nameContains: tag.toUpperCase() });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: Awaited<ReturnType<typeof listPage>> = await listPage(after);
      const conn = res.data?.webhooks;
      if (!conn) throw new Error(JSON.stringify(res.errors));
      seen.push(...conn.edges.map((e) => e.node.id));
      expect(conn.pageInfo.hasPreviousPage).toBe(pages > 0);
      pages++;
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor ?? null;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...made].reverse());

    const inactive = await t.gql(ListWebhooks, { nameContains: tag, status: 'INACTIVE' });
    expect(inactive.data?.webhooks.edges.map((e) => e.node.id)).toEqual([made[5], made[3], made[1]]);
    const expired = await t.gql(ListWebhooks, { nameContains: tag, trigger: 'REQUEST_EXPIRED' });
    expect(expired.data?.webhooks.edges.map((e) => e.node.id)).toEqual([made[2], made[1], made[0]]);
    const both = await t.gql(ListWebhooks, {
      nameContains: tag,
      trigger: 'REQUEST_FAILED',
      status: 'ACTIVE',
    });
    expect(both.data?.webhooks.edges.map((e) => e.node.id)).toEqual([made[6], made[4]]);
  });

  test.concurrent('bad paging arguments are client errors naming the argument', async () => {
    const tooMany = await t.gql(ListWebhooks, { first: 101 });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ path: ['first'] }],
    });
    const badCursor = await t.gql(ListWebhooks, { after: 'garbage' });
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ path: ['after'] }],
    });
  });

  test.concurrent('node(id) finds a webhook by its global id; unknown ids are null', async () => {
    const { webhook } = await create(webhookInput());
    const res = await t.gql(NodeLookup, { id: webhook.id });
    expect(res.data?.node).toEqual({ __typename: 'Webhook', id: webhook.id, name: webhook.name });
    expect((await t.gql(NodeLookup, { id: 'wh_00000000000000000000000000' })).data?.node).toBeNull();
    expect((await t.gql(NodeLookup, { id: 'nonsense' })).data?.node).toBeNull();
    expect((await t.gql(GetWebhook, { id: 'nonsense' })).data?.webhook).toBeNull();
  });

  test.concurrent('eventPayloadSchema is the JSON Schema of the event; sampleEvent validates against it', async () => {
    const schema = (await t.gql(EventSchema)).data?.eventPayloadSchema as {
      properties: Record<string, { enum?: string[]; properties?: Record<string, unknown> }>;
      required: string[];
    };
    expect(schema.required).toEqual(expect.arrayContaining(['event_type', 'event_time', 'data']));
    expect(schema.properties.event_type?.enum).toContain('RequestRejected');
    expect(Object.keys(schema.properties.data?.properties ?? {})).toEqual(
      expect.arrayContaining(['id', 'friendly_id', 'requester', 'grantee', 'access_groups', 'approvals']),
    );
    for (const trigger of ['REQUEST_CREATED', 'REQUEST_APPROVED', 'REQUEST_REJECTED'] as const) {
      const event = (await t.gql(SampleEvent, { trigger })).data?.sampleEvent as {
        event_type: string;
        data: { requester: { name: string }; approvals: { status: string }[] };
      };
      const expected = {
        REQUEST_CREATED: 'RequestCreated',
        REQUEST_APPROVED: 'RequestApproved',
        REQUEST_REJECTED: 'RequestRejected',
      };
      expect(event.event_type).toBe(expected[trigger]);
      expect(event.data.requester.name).toBe('Dana O"Brien');
      if (trigger === 'REQUEST_REJECTED') expect(event.data.approvals[0]?.status).toBe('rejected');
    }
  });
});

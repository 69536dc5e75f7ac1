import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccessEvent, sampleEvent } from '../../src/domain/event.js';
import { ListInvocations, PublishEvents } from '../dispatch/operations.js';
import type { FilterDimension } from '../gql/graphql.js';
import { graphql } from '../gql/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { webhookInput } from '../support/factories.js';
import { loopbackEnv, type Routes, startRoutes } from '../support/routes.js';
import { STORE_KINDS } from '../support/stores.js';

const FilterOptions = graphql(`
  query FilterOptions($dimension: FilterDimension!, $search: String, $first: Int) {
    filterOptions(dimension: $dimension, search: $search, first: $first) { value label seenCount lastSeenAt }
  }
`);

const CreateFiltered = graphql(`
  mutation CreateFiltered($input: CreateWebhookInput!) {
    createWebhook(input: $input) {
      __typename
      ... on CreateWebhookSuccess { webhook { id filters { integrationTypes permissions integrationIds } } warnings { path message } }
      ... on Error { message }
    }
  }
`);

const UpdateFiltered = graphql(`
  mutation UpdateFiltered($id: ID!, $input: UpdateWebhookInput!) {
    updateWebhook(id: $id, input: $input) {
      __typename
      ... on UpdateWebhookSuccess { webhook { id } warnings { path message } }
      ... on Error { message }
    }
  }
`);

const TestVerdict = graphql(`
  mutation TestVerdict($id: ID, $input: CreateWebhookInput, $trigger: WebhookTrigger) {
    testWebhook(id: $id, input: $input, trigger: $trigger) {
      __typename
      ... on TestWebhookSuccess { success matched blockedBy invocation { id } }
      ... on Error { message }
    }
  }
`);

const Preview = graphql(`
  query Preview($id: ID, $input: CreateWebhookInput, $last: Int) {
    previewWebhook(id: $id, input: $input, last: $last) {
      eventId trigger occurredAt triggerMatched blockedBy matched renderedBody renderError
    }
  }
`);

/** The sample event, made this test's own: a unique request id, and the integration given. */
function event(trigger: AccessEvent['event_type'], change: (e: AccessEvent) => void = () => {}): AccessEvent {
  const e = sampleEvent(trigger);
  e.data.id = `req_${randomBytes(4).toString('hex')}`;
  change(e);
  return e;
}

describe.each(STORE_KINDS)('filters an admin can use, on %s', (kind) => {
  let t: TestApp;
  let routes: Routes;
  beforeAll(async () => {
    routes = await startRoutes();
    t = await createTestApp(kind, { dispatch: true, env: loopbackEnv(routes) });
  });
  afterAll(async () => {
    await t?.close();
    await routes?.close();
  });

  /** A client for a fresh account: its catalog holds only what the test publishes. */
  async function account() {
    const { token, accountId } = await t.newAccount();
    return { ...t.as(token), accountId, token };
  }

  async function publish(client: Pick<TestApp, 'gql'>, events: AccessEvent[]) {
    const res = await client.gql(PublishEvents, { events: events.map((e) => ({ event: e })) });
    const result = res.data?.publishEvents;
    if (result?.__typename !== 'PublishEventsSuccess') throw new Error(JSON.stringify(res));
    return result.results.map((r) => {
      if (r.__typename !== 'PublishEventSuccess') throw new Error(JSON.stringify(r));
      return r;
    });
  }

  test.concurrent('the catalog offers the values published events carried, labelled, newest first', async () => {
    const a = await account();
    await publish(a, [
      event('RequestCreated'),
      event('RequestApproved', (e) => {
        e.data.access_flow = { id: 'flow_staging', name: 'Staging' };
      }),
    ]);
    const options = async (dimension: FilterDimension, search?: string) => {
      const res = await a.gql(FilterOptions, { dimension, search });
      expect(res.errors).toBeUndefined();
      return res.data?.filterOptions ?? [];
    };
    const flows = await options('ACCESS_FLOW_IDS');
    // Seen at the same time (one batch): by value.
    expect(flows.map((o) => [o.value, o.label, o.seenCount])).toEqual([
      ['flow_prod_db', 'Production databases', 1],
      ['flow_staging', 'Staging', 1],
    ]);
    const integrations = await options('INTEGRATION_IDS');
    expect(integrations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ value: 'int_pg_prod', label: 'prod-orders-db (postgresql)', seenCount: 2 }),
      ]),
    );
    expect((await options('RESOURCE_TYPES', 'postgresql/')).map((o) => o.label)).toEqual([
      'PostgreSQL/Database',
    ]);
    expect((await options('INTEGRATION_TYPES', 'aws')).map((o) => [o.value, o.label])).toEqual([
      ['aws-account', 'AWS'],
    ]);
    expect((await options('APPROVAL_TYPES')).map((o) => o.value)).toEqual(['manual']);
    // Another account's catalog is its own.
    const b = await account();
    expect((await b.gql(FilterOptions, { dimension: 'ACCESS_FLOW_IDS' })).data?.filterOptions).toEqual([]);
  });

  test.concurrent('filterOptions: viewers may read it, publishers may not, and first is bounded', async () => {
    const a = await account();
    const viewer = await t.newKey('VIEWER', a.accountId);
    const publisher = await t.newKey('PUBLISHER', a.accountId);
    await publish(a, [event('RequestCreated')]);
    const read = await t.as(viewer.token).gql(FilterOptions, { dimension: 'GRANTEE_TYPES' });
    expect(read.data?.filterOptions.map((o) => o.value)).toEqual(['user']);
    const refused = await t.as(publisher.token).gql(FilterOptions, { dimension: 'GRANTEE_TYPES' });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const first of [0, 201]) {
      const res = await a.gql(FilterOptions, { dimension: 'GRANTEE_TYPES', first });
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fieldErrors: [{ path: ['first'], message: 'must be 1 to 200' }],
      });
    }
  });

  test.concurrent('type-like values match as people type them: a webhook on "PostgreSQL" gets postgresql events', async () => {
    const a = await account();
    const route = routes.route();
    const created = await a.gql(CreateFiltered, {
      input: webhookInput({
        url: route.url(),
        filters: {
          integrationTypes: ['PostgreSQL'],
          permissions: ['READONLY'],
          integrationIds: ['int_pg_prod'],
        },
      }),
    });
    const result = created.data?.createWebhook;
    if (result?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(created));
    expect(result.webhook.filters).toEqual({
      integrationTypes: ['postgresql'],
      permissions: ['readonly'],
      integrationIds: ['int_pg_prod'],
    });
    const shouting = event('RequestCreated', (e) => {
      for (const g of e.data.access_groups) g.integration.type = 'PostgreSQL';
    });
    const otherId = event('RequestCreated', (e) => {
      for (const g of e.data.access_groups) g.integration.id = 'INT_PG_PROD'; // ids match exactly
    });
    const [matched, alsoMatched, unmatched] = await publish(a, [event('RequestCreated'), shouting, otherId]);
    expect(matched?.matchedWebhookCount).toBe(1);
    expect(alsoMatched?.matchedWebhookCount).toBe(1);
    expect(unmatched?.matchedWebhookCount).toBe(0);
    const received = await route.waitFor(2);
    expect(received.map((r) => JSON.parse(r.body).id).sort()).not.toContain(otherId.data.id);
    expect(received.map((r) => JSON.parse(r.body).id)).toContain(shouting.data.id);
  });

  test.concurrent('saving filters no event carried succeeds, with a warning per unseen value', async () => {
    const a = await account();
    await publish(a, [event('RequestApproved')]);
    const created = await a.gql(CreateFiltered, {
      input: webhookInput({
        filters: {
          integrationTypes: ['PostgreSQL', 'Oracle'],
          integrationIds: ['int_pg_prod', 'prod-orders-db'],
        },
      }),
    });
    const result = created.data?.createWebhook;
    if (result?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(created));
    expect(result.warnings).toEqual([
      {
        path: ['input', 'filters', 'integrationIds', '1'],
        message:
          'no event of this account has carried "prod-orders-db" yet, so this value matches nothing until one does',
      },
      {
        path: ['input', 'filters', 'integrationTypes', '1'],
        message:
          'no event of this account has carried "oracle" yet, so this value matches nothing until one does',
      },
    ]);
    const updated = await a.gql(UpdateFiltered, {
      id: result.webhook.id,
      input: { filters: { approvalTypes: ['Manual'] } },
    });
    expect(updated.data?.updateWebhook).toMatchObject({ __typename: 'UpdateWebhookSuccess', warnings: [] });
    const clean = await a.gql(CreateFiltered, { input: webhookInput() });
    expect(clean.data?.createWebhook).toMatchObject({ warnings: [] });
  });

  test.concurrent('testWebhook tells whether real events like the sample would be delivered', async () => {
    const a = await account();
    const route = routes.route();
    const blocked = await a.gql(TestVerdict, {
      input: webhookInput({
        url: route.url(),
        triggers: ['REQUEST_APPROVED'],
        filters: { integrationTypes: ['mysql'], approvalTypes: ['manual'], granteeTypes: ['group'] },
      }),
    });
    expect(blocked.data?.testWebhook).toMatchObject({
      __typename: 'TestWebhookSuccess',
      success: true,
      matched: false,
      blockedBy: ['INTEGRATION_TYPES', 'GRANTEE_TYPES'],
    });
    const passing = await a.gql(TestVerdict, {
      input: webhookInput({ url: route.url(), filters: { integrationTypes: ['PostgreSQL'] } }),
    });
    expect(passing.data?.testWebhook).toMatchObject({ success: true, matched: true, blockedBy: [] });
    // A trigger the webhook does not fire on: delivered as asked, but no real event would be.
    const otherTrigger = await a.gql(TestVerdict, {
      input: webhookInput({ url: route.url(), triggers: ['REQUEST_CREATED'] }),
      trigger: 'REQUEST_EXPIRED',
    });
    expect(otherTrigger.data?.testWebhook).toMatchObject({ success: true, matched: false, blockedBy: [] });
    await route.waitFor(3);
  });

  test.concurrent('previewWebhook runs a definition over recent events, sending and storing nothing', async () => {
    const a = await account();
    const published = await publish(a, [
      event('RequestCreated'),
      event('RequestApproved', (e) => {
        e.data.requester.name = 'Quote "Q" Person';
      }),
      event('RequestApproved', (e) => {
        e.data.access_flow = { id: 'flow_staging', name: 'Staging' };
      }),
    ]);
    const before = (await a.gql(ListInvocations, { first: 100 })).data?.invocations.edges.length;
    const route = routes.route();
    const input = webhookInput({
      url: route.url(),
      triggers: ['REQUEST_APPROVED'],
      bodyTemplate: '{"who": "{{ data.requester.name }}", "flow": "{{ data.access_flow.name }}"}',
      filters: { accessFlowIds: ['flow_prod_db'] },
    });
    const res = await a.gql(Preview, { input, last: 10 });
    expect(res.errors).toBeUndefined();
    const rows = res.data?.previewWebhook ?? [];
    expect(rows.map((r) => r.eventId)).toEqual(published.map((p) => p.eventId).reverse());
    expect(rows.map((r) => [r.trigger, r.triggerMatched, r.blockedBy, r.matched])).toEqual([
      ['REQUEST_APPROVED', true, ['ACCESS_FLOW_IDS'], false],
      ['REQUEST_APPROVED', true, [], true],
      ['REQUEST_CREATED', false, [], false],
    ]);
    expect(JSON.parse(rows[1]?.renderedBody ?? '')).toEqual({
      who: 'Quote "Q" Person',
      flow: 'Production databases',
    });
    expect(rows[0]?.renderedBody).toBeNull();
    expect(rows[2]?.renderedBody).toBeNull();
    expect(new Date(rows[1]?.occurredAt ?? 0).getTime()).toBe(
      Math.floor(sampleEvent('RequestApproved').event_time * 1000),
    );
    expect((await a.gql(Preview, { input, last: 1 })).data?.previewWebhook).toHaveLength(1);

    // A body that does not render for a real event is reported on that event, not as a failure.
    await publish(a, [
      event('RequestApproved', (e) => {
        e.data.custom_fields = { raw: 'not json' };
      }),
    ]);
    const broken = await a.gql(Preview, {
      input: webhookInput({
        triggers: ['REQUEST_APPROVED'],
        bodyTemplate:
          '{% if data.custom_fields.raw %}{"raw": {{ data.custom_fields.raw }}}{% else %}{"raw": null}{% endif %}',
      }),
      last: 2,
    });
    expect(broken.errors).toBeUndefined();
    const [bad, good] = broken.data?.previewWebhook ?? [];
    expect(bad).toMatchObject({
      matched: true,
      renderedBody: null,
      renderError: expect.stringMatching(/JSON/),
    });
    expect(good).toMatchObject({ matched: true, renderedBody: '{"raw": null}', renderError: null });

    // Nothing was sent and nothing stored (the events above are the only new ones).
    expect(route.requests()).toHaveLength(0);
    const after = (await a.gql(ListInvocations, { first: 100 })).data?.invocations.edges.length;
    expect(after).toBe(before);
  });

  test.concurrent('previewWebhook: a saved webhook by id; bad arguments are field errors', async () => {
    const a = await account();
    await publish(a, [event('RequestCreated')]);
    const created = await a.gql(CreateFiltered, {
      input: webhookInput({ filters: { granteeTypes: ['group'] } }),
    });
    const result = created.data?.createWebhook;
    if (result?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(created));
    const byId = await a.gql(Preview, { id: result.webhook.id });
    expect(byId.data?.previewWebhook.map((r) => [r.matched, r.blockedBy])).toEqual([
      [false, ['GRANTEE_TYPES']],
    ]);

    const fieldErrors = async (variables: Parameters<typeof a.gql<unknown, object>>[1]) => {
      const res = await a.raw(
        'query($id: ID, $input: CreateWebhookInput, $last: Int) { previewWebhook(id: $id, input: $input, last: $last) { eventId } }',
        variables as Record<string, unknown>,
      );
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      return res.errors?.[0]?.extensions?.fieldErrors;
    };
    expect(await fieldErrors({ id: result.webhook.id, last: 0 })).toEqual([
      { path: ['last'], message: 'must be 1 to 100' },
    ]);
    expect(await fieldErrors({ id: result.webhook.id, last: 101 })).toEqual([
      { path: ['last'], message: 'must be 1 to 100' },
    ]);
    expect(await fieldErrors({})).toEqual([{ path: ['id'], message: 'give exactly one of id or input' }]);
    expect(await fieldErrors({ input: { ...webhookInput(), url: 'http://plain.example.com' } })).toEqual([
      { path: ['input', 'url'], message: 'must use https' },
    ]);
    const missing = await a.gql(Preview, { id: 'wh_nope' });
    expect(missing.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(missing.errors?.[0]?.message).toMatch(/no webhook with id/);
  });
});

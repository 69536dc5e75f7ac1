/**
 * A URL whose host is an IP literal that deliveries never go to is refused when it is saved (and
 * wherever else a URL is validated: testWebhook, previewWebhook, setOperationalWebhook), with a
 * field error on `url` in plain words, and nothing is stored; the delivery guard's allowance
 * (DISPATCH_ALLOWED_CIDRS) lets the same addresses through at save as at delivery.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { webhookInput } from '../support/factories.js';
import { STORE_KINDS, uniqueName } from '../support/stores.js';

const CREATE = `mutation ($input: CreateWebhookInput!) {
  createWebhook(input: $input) {
    __typename
    ... on CreateWebhookSuccess { webhook { id url } }
    ... on ValidationError { fieldErrors { path message } }
  }
}`;
const UPDATE = `mutation ($id: ID!, $input: UpdateWebhookInput!) {
  updateWebhook(id: $id, input: $input) {
    __typename
    ... on ValidationError { fieldErrors { path message } }
  }
}`;
const TEST = `mutation ($input: CreateWebhookInput!) {
  testWebhook(input: $input) {
    __typename
    ... on ValidationError { fieldErrors { path message } }
  }
}`;
const PREVIEW = `query ($input: CreateWebhookInput!) { previewWebhook(input: $input) { eventId } }`;
const SET_OPERATIONAL = `mutation ($url: String!) {
  setOperationalWebhook(url: $url) {
    __typename
    ... on ValidationError { fieldErrors { path message } }
  }
}`;

// [URL, the words its field error starts with]
const REFUSED: [string, RegExp][] = [
  ['https://10.0.0.1/hook', /^is a private address \(10\.0\.0\.1\), so it would never be called/],
  ['https://192.168.1.20/hook', /^is a private address \(192\.168\.1\.20\)/],
  ['https://127.0.0.1/hook', /^is a loopback address \(127\.0\.0\.1\)/],
  // WHATWG URL reads these as 127.0.0.1 too.
  ['https://2130706433/hook', /^is a loopback address \(127\.0\.0\.1\)/],
  ['https://0x7f.1/hook', /^is a loopback address \(127\.0\.0\.1\)/],
  ['https://[::1]/hook', /^is a loopback address \(::1\)/],
  ['https://169.254.169.254/latest/meta-data', /^is a cloud metadata address \(169\.254\.169\.254\)/],
  ['https://169.254.3.4/', /^is a link-local address/],
  ['https://[fe80::1]/', /^is a link-local address \(fe80::1\)/],
  ['https://[fd12:3456::1]/', /^is a private address \(fd12:3456::1\)/],
  ['https://224.0.0.1/', /^is a multicast address/],
  ['https://[ff02::1]/', /^is a multicast address/],
  ['https://0.0.0.0/', /^is an unspecified address/],
  ['https://[::]/', /^is an unspecified address/],
  ['https://100.64.0.1/', /^is a carrier-grade NAT \(CGNAT\) address/],
  [
    'https://[::ffff:10.1.2.3]/',
    /^is a private address \(10\.1\.2\.3, inside the IPv4-mapped address ::ffff:a01:203\)/,
  ],
];

type Result = { __typename: string; fieldErrors?: { path: string[]; message: string }[] };

function urlError(result: Result | undefined, path = 'input.url') {
  expect(result?.__typename).toBe('ValidationError');
  return result?.fieldErrors?.find((e) => e.path.join('.') === path)?.message;
}

describe.each(STORE_KINDS)('IP-literal URLs deliveries never reach, on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  const webhookCount = async (token: string) => {
    const res = await t.as(token).raw('{ webhooks(first: 100) { edges { node { id } } } }');
    return (res.data as { webhooks: { edges: unknown[] } }).webhooks.edges.length;
  };

  test.concurrent.each(REFUSED)('createWebhook refuses %s on url; nothing is saved', async (url, words) => {
    const { token } = await t.newAccount();
    const res = await t.as(token).raw(CREATE, { input: webhookInput({ name: uniqueName('ip'), url }) });
    expect(urlError((res.data as { createWebhook: Result }).createWebhook)).toMatch(words);
    expect(await webhookCount(token)).toBe(0);
  });

  test.concurrent('the refusal comes with the other problems, and covers the OAuth token endpoint', async () => {
    const { token } = await t.newAccount();
    const input = webhookInput({
      name: 'bad name!',
      url: 'https://10.9.8.7/x',
      oauth: { clientId: 'c', clientSecret: 's', tokenEndpointUrl: 'https://[::1]/token' },
    });
    const res = await t.as(token).raw(CREATE, { input });
    const result = (res.data as { createWebhook: Result }).createWebhook;
    expect(urlError(result)).toMatch(/^is a private address/);
    expect(urlError(result, 'input.oauth.tokenEndpointUrl')).toMatch(/^is a loopback address/);
    expect(urlError(result, 'input.name')).toBeDefined();
    expect(await webhookCount(token)).toBe(0);
  });

  test.concurrent('a host name and a public address are saved', async () => {
    const { token } = await t.newAccount();
    for (const url of [
      'https://hooks.example.com/a',
      'https://93.184.215.14/a',
      'https://[2606:4700::1]/a',
    ]) {
      const res = await t.as(token).raw(CREATE, { input: webhookInput({ name: uniqueName('pub'), url }) });
      expect((res.data as { createWebhook: Result }).createWebhook.__typename).toBe('CreateWebhookSuccess');
    }
    expect(await webhookCount(token)).toBe(3);
  });

  test.concurrent('updateWebhook refuses a new private URL and keeps the stored definition', async () => {
    const { token } = await t.newAccount();
    const created = await t
      .as(token)
      .raw(CREATE, { input: webhookInput({ name: uniqueName('upd'), url: 'https://hooks.example.com/a' }) });
    const id = (created.data as { createWebhook: { webhook: { id: string } } }).createWebhook.webhook.id;
    const res = await t.as(token).raw(UPDATE, { id, input: { url: 'https://172.16.0.9/a' } });
    expect(urlError((res.data as { updateWebhook: Result }).updateWebhook)).toMatch(/^is a private address/);
    const stored = await t
      .as(token)
      .raw('query ($id: ID!) { webhook(id: $id) { url createdAt updatedAt } }', {
        id,
      });
    const webhook = (stored.data as { webhook: { url: string; createdAt: string; updatedAt: string } })
      .webhook;
    expect(webhook.url).toBe('https://hooks.example.com/a');
    expect(webhook.updatedAt).toBe(webhook.createdAt);
  });

  test.concurrent('testWebhook and previewWebhook refuse it too; no invocation is made', async () => {
    const { token } = await t.newAccount();
    const input = webhookInput({ name: uniqueName('tst'), url: 'https://[fc00::5]/hook' });
    const tested = await t.as(token).raw(TEST, { input });
    expect(urlError((tested.data as { testWebhook: Result }).testWebhook, 'input.url')).toMatch(
      /^is a private address \(fc00::5\)/,
    );
    const previewed = await t.as(token).raw(PREVIEW, { input });
    const error = previewed.errors?.[0] as {
      extensions?: { fieldErrors?: { path: string[]; message: string }[] };
    };
    expect(error?.extensions?.fieldErrors).toContainEqual({
      path: ['input', 'url'],
      message: expect.stringMatching(/^is a private address/),
    });
    const invocations = await t.as(token).raw('{ invocations(first: 10) { edges { node { id } } } }');
    expect(invocations.data).toEqual({ invocations: { edges: [] } });
  });

  test.concurrent('setOperationalWebhook refuses it; none is stored', async () => {
    const { token } = await t.newAccount();
    const res = await t.as(token).raw(SET_OPERATIONAL, { url: 'https://169.254.169.254/latest' });
    expect(urlError((res.data as { setOperationalWebhook: Result }).setOperationalWebhook, 'url')).toMatch(
      /^is a cloud metadata address/,
    );
    expect((await t.as(token).raw('{ operationalWebhook { url } }')).data).toEqual({
      operationalWebhook: null,
    });
  });
});

describe('the delivery guard allowance (DISPATCH_ALLOWED_CIDRS) applies at save too', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', { env: { DISPATCH_ALLOWED_CIDRS: '127.0.0.0/8,fd00:1::/32' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  test.concurrent('addresses inside it are saved, the others still refused', async () => {
    const { token } = await t.newAccount();
    const create = async (url: string) =>
      (
        (await t.as(token).raw(CREATE, { input: webhookInput({ name: uniqueName('allow'), url }) })).data as {
          createWebhook: Result;
        }
      ).createWebhook;
    for (const url of ['https://127.0.0.1/hook', 'https://[::ffff:127.0.0.2]/hook', 'https://[fd00:1::9]/']) {
      expect((await create(url)).__typename, url).toBe('CreateWebhookSuccess');
    }
    expect(urlError(await create('https://10.0.0.1/hook'))).toMatch(/^is a private address/);
    expect(urlError(await create('https://[::1]/hook'))).toMatch(/^is a loopback address/);
    const res = await t.as(token).raw(SET_OPERATIONAL, { url: 'https://127.0.0.1/ops' });
    expect((res.data as { setOperationalWebhook: Result }).setOperationalWebhook.__typename).toBe(
      'SetOperationalWebhookSuccess',
    );
  });
});

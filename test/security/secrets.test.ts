/**
 * Nothing secret leaves the server. Header values, OAuth client secrets and access tokens, signing
 * secrets (after the one answer that hands them out) and API key tokens (likewise) must appear in no
 * API response, no invocation log and no server log line (LOG_LEVEL debug) — while real deliveries
 * show that the receivers did get them.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PublishEvent, Recover, Redeliver, RotateSecret, TestWebhook } from '../dispatch/operations.js';
import { CreateWebhook, GetWebhook, ListWebhooks, UpdateWebhook } from '../graphql/operations.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { webhookInput } from '../support/factories.js';
import { eventually, json, type Routes, startRoutes } from '../support/routes.js';
import { STORE_KINDS } from '../support/stores.js';
import { CreateApiKey, InvocationLog, ListApiKeys, Viewer } from './operations.js';
import { listen, newFlowId, post, receiverEnv, scopedEvent } from './support.js';

const secret = (prefix: string) => `${prefix}-${randomBytes(12).toString('hex')}`;

describe.each(STORE_KINDS)('secrets on %s', (kind) => {
  let t: TestApp;
  let routes: Routes;
  let base: string;
  const logs: string[] = [];

  beforeAll(async () => {
    routes = await startRoutes();
    t = await createTestApp(kind, {
      dispatch: true,
      env: receiverEnv(routes, { LOG_LEVEL: 'debug' }),
      logWrite: (line) => logs.push(line),
    });
    base = await listen(t);
  });
  afterAll(async () => {
    await t?.app.close(1_000);
    await t?.close();
    await routes?.close();
  });

  test.concurrent('a target that echoes what it got gets no secret into the invocation log', async () => {
    const s = {
      bearer: secret('echo-bearer'),
      custom: secret('echo-custom'),
      clientSecret: secret('echo-cs'),
    };
    const accessToken = secret('echo-tok');
    // Echoes every request header back, as response headers and as the JSON body.
    const echo = routes.route((req, res) =>
      json(res, 200, { got: req.headers }, { 'x-echo-auth': String(req.headers.authorization) }),
    );
    const token = routes.route((_req, res) =>
      json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3600 }),
    );
    const run = async (input: Parameters<typeof webhookInput>[0]) => {
      const res = await t.gql(TestWebhook, { input: webhookInput({ url: echo.url(), ...input }) });
      const result = res.data?.testWebhook;
      if (result?.__typename !== 'TestWebhookSuccess') throw new Error(JSON.stringify(res));
      expect(result.success).toBe(true);
      const attempt = result.invocation.attempts[0];
      // The target really got the secrets and echoed them (masked in the log, not absent)…
      expect(attempt?.response?.body).toContain('••••');
      return JSON.stringify(result);
    };
    const withHeaders = await run({
      headers: [
        { name: 'Authorization', value: `Bearer ${s.bearer}` },
        { name: 'X-Api-Key', value: s.custom },
      ],
    });
    const withOAuth = await run({
      oauth: { clientId: 'echo-client', clientSecret: s.clientSecret, tokenEndpointUrl: token.url('/token') },
    });
    expect(echo.requests().map((r) => r.headers.authorization)).toEqual([
      `Bearer ${s.bearer}`,
      `Bearer ${accessToken}`,
    ]);
    // …and none of them is stored in clear: not in headers, body, or anywhere in the invocation.
    for (const value of [s.bearer, s.custom, s.clientSecret, accessToken]) {
      expect(withHeaders).not.toContain(value);
      expect(withOAuth).not.toContain(value);
    }
    const stored = await t.stores.invocations.list(t.accountId, { first: 50, test: true });
    const text = JSON.stringify(stored.items);
    for (const value of [s.bearer, s.custom, accessToken]) expect(text).not.toContain(value);
  });

  test.concurrent('a header value past U+00FF is refused at save with a field error', async () => {
    const res = await t.gql(CreateWebhook, {
      input: webhookInput({ headers: [{ name: 'X-Team', value: 'équipe → sécurité' }] }),
    });
    const result = res.data?.createWebhook;
    expect(result?.__typename).toBe('ValidationError');
    if (result?.__typename !== 'ValidationError') return;
    expect(result.fieldErrors).toEqual([
      { path: ['input', 'headers', '0', 'value'], message: expect.stringMatching(/U\+00FF/) },
    ]);
    // Latin-1 itself is fine: "é" is U+00E9.
    const fine = await t.gql(CreateWebhook, {
      // A filter no other test's events carry: this saved webhook must match none of them.
      input: webhookInput({
        headers: [{ name: 'X-Team', value: 'équipe sécurité' }],
        filters: { accessFlowIds: [newFlowId()] },
      }),
    });
    expect(fine.data?.createWebhook.__typename).toBe('CreateWebhookSuccess');
  });

  test('no header value, OAuth secret or token, signing secret or API key in responses, invocation logs or server logs', async () => {
    const s = {
      headerValue: secret('hv'),
      updatedHeaderValue: secret('hv2'),
      bearerHeader: secret('bearer'),
      clientSecret: secret('cs'),
      accessToken: secret('tok'),
      badClientSecret: secret('bad-cs'),
    };
    /** Every API answer after the one that legitimately hands a secret out. */
    const answers: { label: string; text: string }[] = [];
    const record = (label: string, value: unknown) => {
      answers.push({ label, text: JSON.stringify(value) });
      return value;
    };

    // Receivers: the targets, a token endpoint, and a token endpoint that echoes the secret it got.
    const target = routes.route();
    const token = routes.route((req, res) => {
      json(res, 200, { access_token: s.accessToken, token_type: 'Bearer', expires_in: 3600, echo: 'ok' });
      void req;
    });
    const refusing = routes.route((req, res) =>
      json(res, 401, {
        error: 'invalid_client',
        error_description: `client secret ${s.badClientSecret} rejected; you sent ${String(req.headers.authorization)}`,
      }),
    );
    const flowId = newFlowId();
    const filters = { accessFlowIds: [flowId] };

    // ---- create: the signing secret comes back here, once ----
    const create = async (input: Parameters<typeof webhookInput>[0]) => {
      const res = await t.gql(CreateWebhook, { input: webhookInput({ filters, ...input }) });
      const result = res.data?.createWebhook;
      if (result?.__typename !== 'CreateWebhookSuccess') throw new Error(JSON.stringify(res));
      expect(result.signingSecret).toMatch(/^whsec_/);
      // Apart from the signing secret, the creation answer is masked too.
      record('createWebhook (without signingSecret)', { ...result, signingSecret: undefined });
      return result;
    };
    const headers = await create({
      url: target.url('/headers'),
      headers: [
        { name: 'X-Api-Key', value: s.headerValue },
        { name: 'Authorization', value: `Bearer ${s.bearerHeader}` },
        { name: 'X-Short', value: 'abc' },
      ],
    });
    const oauth = await create({
      url: target.url('/oauth'),
      oauth: {
        clientId: 'client-1',
        clientSecret: s.clientSecret,
        tokenEndpointUrl: token.url('/token'),
        scopes: ['hooks'],
      },
    });
    const failing = await create({
      url: target.url('/failing'),
      oauth: {
        clientId: 'client-2',
        clientSecret: s.badClientSecret,
        tokenEndpointUrl: refusing.url('/token'),
        scopes: [],
      },
    });
    const signingSecrets = [headers.signingSecret, oauth.signingSecret, failing.signingSecret];

    // ---- reads, deliveries, invocation logs ----
    for (const id of [headers.webhook.id, oauth.webhook.id, failing.webhook.id]) {
      record('webhook', await t.gql(GetWebhook, { id }));
      record('testWebhook', await t.gql(TestWebhook, { id }));
    }
    record('webhooks', await t.gql(ListWebhooks, { first: 100 }));
    const published = await t.gql(PublishEvent, { event: scopedEvent(flowId) });
    record('publishEvent', published);
    const result = published.data?.publishEvent;
    if (result?.__typename !== 'PublishEventSuccess') throw new Error(JSON.stringify(published));
    expect(result.matchedWebhookCount).toBe(3);
    const logsOf = async () =>
      Promise.all(
        result.invocations.map(async ({ id }) => (await t.gql(InvocationLog, { id })).data?.invocation),
      );
    const settled = await eventually(async () => {
      const all = await logsOf();
      return all.every((i) => i?.status === 'SUCCEEDED' || i?.status === 'FAILED') ? all : undefined;
    });
    record('invocation logs', settled);
    record('redeliver', await t.gql(Redeliver, { id: result.invocations[0]?.id as string }));
    record(
      'recover',
      await t.gql(Recover, {
        webhookId: failing.webhook.id,
        since: new Date(Date.now() - 60_000).toISOString(),
      }),
    );

    // The receivers did get the real values (so their absence below means masking, not missing data).
    const received = await target.waitFor(4);
    const byPath = (path: string) => received.filter((r) => r.path.endsWith(path));
    expect(byPath('/headers')[0]?.headers).toMatchObject({
      'x-api-key': s.headerValue,
      authorization: `Bearer ${s.bearerHeader}`,
    });
    expect(byPath('/oauth')[0]?.headers.authorization).toBe(`Bearer ${s.accessToken}`);
    expect(token.requests()[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from(`client-1:${s.clientSecret}`).toString('base64')}`,
    );
    expect(refusing.requests().length).toBeGreaterThanOrEqual(1);
    expect(byPath('/failing')).toEqual([]);

    // Invocation logs show the headers masked, and the OAuth bearer token masked.
    const attempt = (webhookId: string) => settled.find((i) => i?.webhookId === webhookId)?.attempts[0];
    expect(attempt(headers.webhook.id)?.request.headers).toEqual(
      expect.arrayContaining([
        { name: 'X-Api-Key', value: `••••${s.headerValue.slice(-4)}` },
        { name: 'Authorization', value: `••••${s.bearerHeader.slice(-4)}` },
        { name: 'X-Short', value: '••••' },
      ]),
    );
    expect(attempt(oauth.webhook.id)?.request.headers).toEqual(
      expect.arrayContaining([{ name: 'authorization', value: `Bearer ••••${s.accessToken.slice(-4)}` }]),
    );
    const refused = attempt(failing.webhook.id);
    expect(refused?.error?.code).toBe('OAUTH');
    expect(refused?.error?.message).toMatch(/HTTP 401/);
    expect(refused?.error?.message).toContain('[redacted]');

    // ---- changes: a new header value, a rotation (its answer hands out the new secret once) ----
    record(
      'updateWebhook',
      await t.gql(UpdateWebhook, {
        id: headers.webhook.id,
        input: { headers: [{ name: 'X-Api-Key', value: s.updatedHeaderValue }] },
      }),
    );
    // A refused update does not repeat the value it refused.
    record(
      'updateWebhook refused',
      await t.gql(UpdateWebhook, {
        id: headers.webhook.id,
        input: { headers: [{ name: 'X-Api-Key', value: `${s.updatedHeaderValue}\r\nX-Evil: 1` }] },
      }),
    );
    const rotated = (await t.gql(RotateSecret, { id: headers.webhook.id })).data?.rotateWebhookSigningSecret;
    if (rotated?.__typename !== 'RotateWebhookSigningSecretSuccess') throw new Error(JSON.stringify(rotated));
    signingSecrets.push(rotated.signingSecret);
    record('webhook after rotation', await t.gql(GetWebhook, { id: headers.webhook.id }));
    record('testWebhook after rotation', await t.gql(TestWebhook, { id: headers.webhook.id }));

    // ---- API keys: the token comes back once, at creation ----
    const key = (await t.gql(CreateApiKey, { name: 'secrets test', role: 'VIEWER' })).data?.createApiKey;
    if (key?.__typename !== 'CreateApiKeySuccess') throw new Error(JSON.stringify(key));
    record('createApiKey (without token)', { ...key, token: undefined });
    expect(key.apiKey.prefix).toBe(key.token.slice(0, 12));
    record('apiKeys', await t.gql(ListApiKeys, { first: 100 }));
    record('viewer as the new key', await t.as(key.token).gql(Viewer, {}));
    // Over real HTTP too, and a refused key is not repeated back.
    record('viewer over HTTP', (await post(base, key.token, '{ viewer { role apiKeyId } }')).body);
    record('unknown key', (await post(base, `${key.token}x`, '{ viewer { role } }')).body);

    const secrets: Record<string, string> = {
      ...s,
      apiKeyToken: key.token,
      adminToken: t.token,
      ...Object.fromEntries(signingSecrets.map((v, i) => [`signingSecret${i}`, v])),
      // The base64 forms a leak could take: the Basic credentials sent to the token endpoint.
      basicCredentials: Buffer.from(`client-1:${s.clientSecret}`).toString('base64'),
    };
    for (const { label, text } of answers) {
      for (const [name, value] of Object.entries(secrets)) {
        expect(text.includes(value), `${name} in the answer of ${label}`).toBe(false);
      }
    }

    // ---- the server logs, at debug ----
    // The redelivery and the recovered invocation are still being sent: wait until every invocation
    // of these webhooks has finished (an attempt's log line is written before its result is stored),
    // so the lines checked below include every line those deliveries write.
    await eventually(async () => {
      for (const id of [headers.webhook.id, oauth.webhook.id, failing.webhook.id]) {
        const listed = await t.stores.invocations.list(t.accountId, { first: 100, webhookId: id });
        if (listed.items.some((i) => i.status !== 'SUCCEEDED' && i.status !== 'FAILED')) return false;
      }
      return true;
    });
    expect(logs.length).toBeGreaterThan(10);
    const text = logs.join('\n');
    expect(text).toContain(headers.webhook.id);
    for (const [name, value] of Object.entries(secrets)) {
      expect(text.includes(value), `${name} in the server logs`).toBe(false);
    }
  });
});

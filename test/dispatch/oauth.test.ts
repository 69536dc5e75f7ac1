import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, test } from 'vitest';
import type { HttpClient } from '../../src/dispatch/http-client.js';
import { type OAuthCredentials, OAuthError, OAuthTokens } from '../../src/dispatch/oauth.js';
import { loopbackHttpClient } from '../support/dispatch-env.js';
import {
  type ReceivedRequest,
  type Receiver,
  type ReceiverHandler,
  startReceiver,
} from '../support/receiver.js';

const receivers: Receiver[] = [];
const clients: HttpClient[] = [];

afterAll(async () => {
  await Promise.all([...clients.map((c) => c.close()), ...receivers.map((r) => r.close())]);
});

/** A real HTTPS token endpoint; `answer` decides the response for each token request. */
async function tokenEndpoint(
  answer: (req: ReceivedRequest, n: number) => { status?: number; type?: string; body: unknown },
): Promise<{ endpoint: Receiver; http: HttpClient }> {
  let n = 0;
  const handler: ReceiverHandler = (req, res) => {
    const { status = 200, type = 'application/json', body } = answer(req, ++n);
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const endpoint = await startReceiver({ handler });
  receivers.push(endpoint);
  const http = loopbackHttpClient([endpoint]);
  clients.push(http);
  return { endpoint, http };
}

function credentials(endpoint: Receiver, over: Partial<OAuthCredentials> = {}): OAuthCredentials {
  return {
    cacheKey: `wh_${randomBytes(4).toString('hex')}`,
    tokenEndpointUrl: endpoint.url('/oauth2/token'),
    clientId: 'client id:1',
    clientSecret: 'p@ss w+rd&=%/é-TOP-SECRET',
    scopes: ['access.read', 'access.write'],
    ...over,
  };
}

async function oauthError(promise: Promise<unknown>): Promise<OAuthError> {
  const err = await promise.then(
    (v) => {
      throw new Error(`expected an OAuthError, got ${String(v)}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OAuthError);
  return err as OAuthError;
}

describe('OAuthTokens (client credentials) against a real token endpoint', () => {
  test.concurrent('fetches once for 50 concurrent and 50 sequential calls, with the right request', async ({
    expect,
  }) => {
    const { endpoint, http } = await tokenEndpoint((_req, n) => ({
      body: { access_token: `tok-${n}`, token_type: 'Bearer', expires_in: 3600 },
    }));
    const tokens = new OAuthTokens(http);
    const creds = credentials(endpoint);

    const concurrent = await Promise.all(Array.from({ length: 50 }, () => tokens.getToken(creds)));
    expect(new Set(concurrent)).toEqual(new Set(['tok-1']));
    for (let i = 0; i < 50; i++) expect(await tokens.getToken(creds)).toBe('tok-1');

    expect(tokens.fetchCount).toBe(1);
    expect(endpoint.requests).toHaveLength(1);
    const [req] = endpoint.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe('/oauth2/token');
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req?.headers.accept).toBe('application/json');
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
    const basic = String(req?.headers.authorization).replace(/^Basic /, '');
    expect(Buffer.from(basic, 'base64').toString()).toBe(
      'client+id%3A1:p%40ss+w%2Brd%26%3D%25%2F%C3%A9-TOP-SECRET',
    );
    const [id, secret] = Buffer.from(basic, 'base64')
      .toString()
      .split(':')
      .map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
    expect([id, secret]).toEqual([creds.clientId, creds.clientSecret]);
    const form = new URLSearchParams(req?.body);
    expect([...form.keys()].sort()).toEqual(['grant_type', 'scope']);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe('access.read access.write');
  });

  test.concurrent('no scope parameter when there are no scopes', async ({ expect }) => {
    const { endpoint, http } = await tokenEndpoint(() => ({ body: { access_token: 'a', expires_in: 60 } }));
    const tokens = new OAuthTokens(http);
    expect(await tokens.getToken(credentials(endpoint, { scopes: [] }))).toBe('a');
    expect(endpoint.requests[0]?.body).toBe('grant_type=client_credentials');
  });

  test.concurrent('refetches once the token is about to expire', async ({ expect }) => {
    const { endpoint, http } = await tokenEndpoint((_req, n) => ({
      body: { access_token: `tok-${n}`, expires_in: 3600 },
    }));
    let now = 1_000_000;
    const tokens = new OAuthTokens(http, { now: () => now });
    const creds = credentials(endpoint);

    expect(await tokens.getToken(creds)).toBe('tok-1');
    now += 3_500_000; // 3500 s: still inside expires_in minus the 30 s skew
    expect(await tokens.getToken(creds)).toBe('tok-1');
    now += 75_000; // 3575 s: within the skew before expiry
    expect(await tokens.getToken(creds)).toBe('tok-2');
    expect(await tokens.getToken(creds)).toBe('tok-2');
    expect(tokens.fetchCount).toBe(2);
    expect(endpoint.requests).toHaveLength(2);
  });

  test.concurrent('short lifetimes use a 10 % skew; no expires_in caches for 5 minutes', async ({
    expect,
  }) => {
    const lifetimes: unknown[] = [60, undefined];
    const { endpoint, http } = await tokenEndpoint((_req, n) => ({
      body: { access_token: `tok-${n}`, expires_in: lifetimes[n - 1] },
    }));
    let now = 0;
    const tokens = new OAuthTokens(http, { now: () => now });
    const creds = credentials(endpoint);

    expect(await tokens.getToken(creds)).toBe('tok-1');
    now = 53_000; // 60 s token, 6 s skew → valid until 54 s
    expect(await tokens.getToken(creds)).toBe('tok-1');
    now = 54_500;
    expect(await tokens.getToken(creds)).toBe('tok-2'); // no expires_in: 5 minutes
    now += 299_000;
    expect(await tokens.getToken(creds)).toBe('tok-2');
    now += 2_000;
    expect(await tokens.getToken(creds)).toBe('tok-3');
  });

  test.concurrent('forceRefresh fetches again, and concurrent forced calls share one fetch', async ({
    expect,
  }) => {
    const { endpoint, http } = await tokenEndpoint((_req, n) => ({
      body: { access_token: `tok-${n}`, expires_in: 3600 },
    }));
    const tokens = new OAuthTokens(http);
    const creds = credentials(endpoint);

    expect(await tokens.getToken(creds)).toBe('tok-1');
    expect(await tokens.getToken(creds, { forceRefresh: true })).toBe('tok-2');
    expect(await tokens.getToken(creds)).toBe('tok-2');
    const forced = await Promise.all(
      Array.from({ length: 10 }, () => tokens.getToken(creds, { forceRefresh: true })),
    );
    expect(new Set(forced)).toEqual(new Set(['tok-3']));
    expect(tokens.fetchCount).toBe(3);
    expect(endpoint.requests).toHaveLength(3);
  });

  test.concurrent('a changed secret (or another cache key) fetches anew', async ({ expect }) => {
    const { endpoint, http } = await tokenEndpoint((req, n) => ({
      body: {
        access_token: `tok-${n}-${req.headers.authorization === undefined ? '' : 'auth'}`,
        expires_in: 3600,
      },
    }));
    const tokens = new OAuthTokens(http);
    const creds = credentials(endpoint);

    expect(await tokens.getToken(creds)).toBe('tok-1-auth');
    expect(await tokens.getToken({ ...creds, clientSecret: 'rotated-secret' })).toBe('tok-2-auth');
    expect(await tokens.getToken({ ...creds, clientSecret: 'rotated-secret' })).toBe('tok-2-auth');
    expect(await tokens.getToken({ ...creds, cacheKey: 'other-webhook' })).toBe('tok-3-auth');
    expect(await tokens.getToken(creds)).toBe('tok-1-auth');
    expect(tokens.fetchCount).toBe(3);
    const secrets = endpoint.requests.map(
      (r) => Buffer.from(String(r.headers.authorization).slice(6), 'base64').toString().split(':')[1],
    );
    expect(secrets[1]).toBe('rotated-secret');
  });

  test.concurrent('401 from the endpoint → OAuthError naming the status, without the secret', async ({
    expect,
  }) => {
    const creds = { clientSecret: 'hunter2-super-secret' };
    const { endpoint, http } = await tokenEndpoint(() => ({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description: `Client authentication failed for secret ${creds.clientSecret}`,
      },
    }));
    const tokens = new OAuthTokens(http);
    const err = await oauthError(tokens.getToken(credentials(endpoint, creds)));
    expect(err.message).toContain('HTTP 401');
    expect(err.message).toContain('invalid_client: Client authentication failed');
    expect(err.message).toContain(endpoint.url('/oauth2/token'));
    expect(err.message).not.toContain(creds.clientSecret);

    // failures are not cached: the next call asks again
    await oauthError(tokens.getToken(credentials(endpoint, creds)));
    expect(tokens.fetchCount).toBe(2);
    expect(endpoint.requests).toHaveLength(2);
  });

  test.concurrent('a non-JSON error page is quoted briefly', async ({ expect }) => {
    const secret = 'leaky-secret-value';
    const page = `<html><body>${'Service Unavailable '.repeat(40)} ${secret}</body></html>`;
    const { endpoint, http } = await tokenEndpoint(() => ({ status: 503, type: 'text/html', body: page }));
    const err = await oauthError(
      new OAuthTokens(http).getToken(credentials(endpoint, { clientSecret: secret })),
    );
    expect(err.message).toContain('HTTP 503');
    expect(err.message).toContain('<html><body>Service Unavailable');
    expect(err.message.length).toBeLessThan(400);
    expect(err.message).not.toContain(secret);
  });

  test.concurrent('a 200 that is not JSON → OAuthError', async ({ expect }) => {
    const { endpoint, http } = await tokenEndpoint(() => ({
      type: 'text/html',
      body: '<html>login page</html>',
    }));
    const err = await oauthError(new OAuthTokens(http).getToken(credentials(endpoint)));
    expect(err.message).toContain('not a JSON object');
    expect(err.message).toContain('text/html');
    expect(err.message).toContain('<html>login page</html>');
  });

  test.concurrent('a JSON answer without access_token → OAuthError', async ({ expect }) => {
    const { endpoint, http } = await tokenEndpoint(() => ({
      body: { token_type: 'Bearer', expires_in: 3600 },
    }));
    const err = await oauthError(new OAuthTokens(http).getToken(credentials(endpoint)));
    expect(err.message).toContain('without an access_token');
    expect(err.message).toContain('token_type, expires_in');
  });

  test.concurrent('concurrent callers share one failing fetch', async ({ expect }) => {
    const { endpoint, http } = await tokenEndpoint(() => ({ status: 500, body: { error: 'server_error' } }));
    const tokens = new OAuthTokens(http);
    const creds = credentials(endpoint);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => tokens.getToken(creds)));
    expect(results.every((r) => r.status === 'rejected' && r.reason instanceof OAuthError)).toBe(true);
    expect(tokens.fetchCount).toBe(1);
    expect(endpoint.requests).toHaveLength(1);
  });

  test.concurrent('a network failure is wrapped with the delivery error code', async ({ expect }) => {
    const { endpoint, http } = await tokenEndpoint(() => ({ body: { access_token: 'x' } }));
    await endpoint.close(); // nothing listens on its port any more
    const err = await oauthError(new OAuthTokens(http).getToken(credentials(endpoint)));
    expect(err.message).toContain('token request to');
    expect(err.message).toContain('CONNECTION');
    expect(err.message).toContain('ECONNREFUSED');
  });

  test.concurrent('the token endpoint is behind the same SSRF guard', async ({ expect }) => {
    const { endpoint } = await tokenEndpoint(() => ({ body: { access_token: 'x' } }));
    const guarded = loopbackHttpClient([endpoint], { allowedCidrs: [] });
    clients.push(guarded);
    const tokens = new OAuthTokens(guarded);
    const err = await oauthError(tokens.getToken(credentials(endpoint)));
    expect(err.message).toContain('SSRF_BLOCKED');
    expect(err.message).toContain('loopback address 127.0.0.1');
    const plain = await oauthError(
      tokens.getToken(credentials(endpoint, { tokenEndpointUrl: `http://${endpoint.host}/oauth2/token` })),
    );
    expect(plain.message).toContain('only https://');
    expect(endpoint.requests).toEqual([]);
    expect(endpoint.connections).toBe(0);
  });
});

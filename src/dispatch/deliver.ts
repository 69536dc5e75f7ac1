import type {
  AttemptErrorCode,
  AttemptRecord,
  HeaderPair,
  Invocation,
  StoredEvent,
} from '../domain/invocation.js';
import { RESPONSE_BODY_LOG_LIMIT } from '../domain/invocation.js';
import { maskSecret, type SecretBox } from '../domain/secrets.js';
import { TemplateError } from '../domain/template.js';
import type { UntrustedWork } from '../domain/untrusted-work.js';
import { liveSigningSecrets, type Webhook } from '../domain/webhook.js';
import { DeliveryError, type HttpClient, type InboundResponse, type OutboundRequest } from './http-client.js';
import { OAuthError, type OAuthTokens } from './oauth.js';
import { classify, type Verdict } from './retry.js';
import { signatureHeaders } from './signing.js';

export const USER_AGENT = 'access-webhooks/0.1 (+https://github.com/access-webhooks)';

export interface DeliveryDeps {
  http: Pick<HttpClient, 'send'>;
  oauth: OAuthTokens;
  secrets: SecretBox;
  /** Renders bodies and runs response validators off the event loop, under budgets (src/sandbox). */
  sandbox: UntrustedWork;
  now?: () => number;
}

export interface AttemptOutcome {
  record: AttemptRecord;
  verdict: Verdict;
  /** The target's Retry-After header, when it sent one. */
  retryAfter: string | null;
}

/**
 * One attempt: render → authenticate → sign → send → classify → validate. Never throws for a
 * delivery problem: every failure becomes an attempt record with an error code.
 */
export async function attemptDelivery(
  deps: DeliveryDeps,
  input: { webhook: Webhook; event: StoredEvent; invocation: Invocation },
): Promise<AttemptOutcome> {
  const now = deps.now ?? Date.now;
  const { webhook, event, invocation } = input;
  const started = now();
  const number = invocation.attempts.length + 1;
  const logged: AttemptRecord['request'] = {
    method: webhook.method,
    url: webhook.url,
    headers: [],
    body: null,
  };
  // The secrets this attempt sends; a target that echoes them must not get them into the log.
  const redactions = new Redactions();
  const finish = (
    error: { code: AttemptErrorCode; message: string } | null,
    response: InboundResponse | null,
    validatorResults: AttemptRecord['validatorResults'] = [],
  ): AttemptOutcome => ({
    record: {
      number,
      startedAt: new Date(started),
      durationMs: Math.max(0, Math.round(now() - started)),
      success: error === null,
      request: logged,
      response: response && logResponse(response, redactions),
      error: error && { code: error.code, message: redactions.apply(error.message) },
      validatorResults: validatorResults.map((r) =>
        r.actualValue === null ? r : { ...r, actualValue: redactions.apply(r.actualValue) },
      ),
    },
    verdict: classify(error?.code ?? null, response?.statusCode ?? null),
    retryAfter: response?.headers.find(([name]) => name === 'retry-after')?.[1] ?? null,
  });

  let body: string;
  try {
    body = await deps.sandbox.render(webhook.accountId, webhook.bodyTemplate, event.payload);
  } catch (err) {
    if (err instanceof TemplateError) return finish({ code: 'RENDER', message: err.message }, null);
    throw err;
  }
  logged.body = body === '' ? null : truncate(body);

  // Header values as sent, and as logged (secrets masked).
  const headers: Record<string, string> = {};
  const shown: HeaderPair[] = [];
  const set = (name: string, value: string, display = value) => {
    headers[name.toLowerCase()] = value;
    shown.push({ name, value: display });
  };
  if (body !== '') set('content-type', 'application/json');
  set('user-agent', USER_AGENT);
  for (const h of webhook.headers) {
    const value = deps.secrets.decrypt(h.value, webhook.accountId);
    redactions.add(value);
    set(h.name, value, h.value.masked);
  }

  const timestamp = Math.floor(now() / 1000);
  const signingSecrets = liveSigningSecrets(webhook.signingSecrets, now());
  const signature = signatureHeaders({
    messageId: invocation.messageId,
    timestampSeconds: timestamp,
    body,
    secrets: signingSecrets.map((s) => deps.secrets.decrypt(s, webhook.accountId)),
  });
  for (const [name, value] of Object.entries(signature)) set(name, value);

  const oauth = webhook.oauth && {
    cacheKey: `${webhook.accountId}:${webhook.id}`,
    tokenEndpointUrl: webhook.oauth.tokenEndpointUrl,
    clientId: webhook.oauth.clientId,
    clientSecret: deps.secrets.decrypt(webhook.oauth.clientSecret, webhook.accountId),
    scopes: webhook.oauth.scopes,
  };
  if (oauth) redactions.add(oauth.clientSecret);
  const authorize = async (forceRefresh: boolean) => {
    if (!oauth) return;
    const token = await deps.oauth.getToken(oauth, { forceRefresh });
    redactions.add(token);
    headers.authorization = `Bearer ${token}`;
    const display = `Bearer ${maskSecret(token)}`;
    const entry = shown.find((h) => h.name === 'authorization');
    if (entry) entry.value = display;
    else shown.push({ name: 'authorization', value: display });
  };
  logged.headers = shown;

  const request: OutboundRequest = {
    method: webhook.method,
    url: webhook.url,
    headers,
    body: body === '' ? undefined : body,
    timeoutMs: webhook.timeoutSeconds * 1000,
  };

  let response: InboundResponse;
  try {
    await authorize(false);
    response = await deps.http.send(request);
    if (response.statusCode === 401 && oauth) {
      // The cached token may have been revoked before it expired: fetch a fresh one, once.
      await authorize(true);
      response = await deps.http.send(request);
    }
  } catch (err) {
    if (err instanceof OAuthError) return finish({ code: 'OAUTH', message: err.message }, null);
    if (err instanceof DeliveryError) return finish({ code: err.code, message: err.message }, null);
    throw err;
  }

  if (response.statusCode < 200 || response.statusCode > 299) {
    return finish(
      { code: 'HTTP_STATUS', message: `the target answered HTTP ${response.statusCode}` },
      response,
    );
  }
  const validation = await deps.sandbox.validate(
    webhook.accountId,
    webhook.responseValidators,
    response.body,
    response.bodyComplete,
  );
  if (!validation.passed) {
    // A validator over its budget found no verdict: the admin's message would claim one.
    const custom = validation.overBudget ? null : webhook.customValidationErrorMessage;
    const message = custom ?? `response validation failed: ${validation.problem}`;
    return finish({ code: 'RESPONSE_VALIDATION', message }, response, validation.results);
  }
  return finish(null, response, validation.results);
}

function truncate(text: string): string {
  if (text.length <= RESPONSE_BODY_LOG_LIMIT) return text;
  return Buffer.from(text).subarray(0, RESPONSE_BODY_LOG_LIMIT).toString('utf8');
}

/**
 * Secret values sent with an attempt (header values, the OAuth client secret and token), replaced
 * by their masked form wherever the target's answer repeats them: response headers, body, error
 * messages and validator values. A value under 8 characters is not looked for: replacing it would
 * mangle ordinary text, and it is no secret worth the name. "Bearer x" values are looked for whole
 * and by their credential part, so an echo of either is caught.
 */
export class Redactions {
  readonly #values = new Set<string>();
  static readonly MIN_LENGTH = 8;

  add(value: string): void {
    const credential = /^(?:bearer|basic|token)\s+(\S+)$/i.exec(value.trim())?.[1];
    for (const v of [value, credential]) {
      if (v !== undefined && v.length >= Redactions.MIN_LENGTH) this.#values.add(v);
    }
  }

  /** The longest first, so a value that contains another is replaced whole. */
  apply(text: string): string {
    if (this.#values.size === 0 || text === '') return text;
    let out = text;
    for (const value of [...this.#values].sort((a, b) => b.length - a.length)) {
      if (out.includes(value)) out = out.split(value).join(maskSecret(value));
    }
    return out;
  }

  /** The longest value looked for (how far past a cut a value can reach). */
  get longest(): number {
    let n = 0;
    for (const v of this.#values) n = Math.max(n, v.length);
    return n;
  }
}

function logResponse(r: InboundResponse, redactions: Redactions): NonNullable<AttemptRecord['response']> {
  const truncated = !r.bodyComplete || r.body.length > RESPONSE_BODY_LOG_LIMIT;
  // Redacted before the cut (with room for a value that straddles it), so no prefix of one survives.
  const window = r.body.subarray(0, RESPONSE_BODY_LOG_LIMIT + 4 * redactions.longest).toString('utf8');
  const body = truncate(redactions.apply(window));
  return {
    statusCode: r.statusCode,
    headers: r.headers.map(([name, value]) => ({ name, value: redactions.apply(value) })),
    body: body === '' ? null : body,
    bodyTruncated: truncated,
  };
}

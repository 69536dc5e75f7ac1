/**
 * OAuth2 client-credentials tokens (RFC 6749 §4.4) for webhook auth, cached until shortly before they expire.
 * Token requests go through the same HttpClient, so the token endpoint gets the same SSRF guard.
 */
import { createHash } from 'node:crypto';
import { DeliveryError, type HttpClient } from './http-client.js';

/** Getting a token failed; the message says why and never contains the client secret. */
export class OAuthError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OAuthError';
  }
}

export interface OAuthCredentials {
  /** Identifies the owner of the credentials (e.g. webhook id); part of the cache key. */
  cacheKey: string;
  tokenEndpointUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_LIFETIME_S = 300;
const MAX_SKEW_S = 30;
const MAX_ENTRIES = 10_000;
const EXCERPT_CHARS = 200;

/** application/x-www-form-urlencoded, as RFC 6749 §2.3.1 requires for Basic credentials. */
function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

export class OAuthTokens {
  readonly #http: Pick<HttpClient, 'send'>;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  readonly #cache = new Map<string, CachedToken>();
  readonly #inflight = new Map<string, Promise<CachedToken>>();
  #fetchCount = 0;

  constructor(http: Pick<HttpClient, 'send'>, opts: { now?: () => number; timeoutMs?: number } = {}) {
    this.#http = http;
    this.#now = opts.now ?? Date.now;
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Total token endpoint calls made. */
  get fetchCount(): number {
    return this.#fetchCount;
  }

  async getToken(creds: OAuthCredentials, opts: { forceRefresh?: boolean } = {}): Promise<string> {
    // Everything that changes which token the endpoint would hand out is in the key (the secret only hashed).
    const digest = createHash('sha256')
      .update(JSON.stringify([creds.tokenEndpointUrl, creds.clientId, creds.clientSecret, creds.scopes]))
      .digest('base64url');
    const key = `${creds.cacheKey}\u0000${digest}`;

    if (opts.forceRefresh) {
      this.#cache.delete(key);
    } else {
      const cached = this.#cache.get(key);
      if (cached && cached.expiresAt > this.#now()) return cached.token;
      if (cached) this.#cache.delete(key);
    }

    // Single flight: concurrent callers (forced or not) share one token request.
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = this.#fetch(creds).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
      pending.then(
        (entry) => this.#store(key, entry),
        () => {},
      );
    }
    return (await pending).token;
  }

  #store(key: string, entry: CachedToken): void {
    this.#cache.delete(key);
    if (entry.expiresAt <= this.#now()) return;
    this.#cache.set(key, entry);
    while (this.#cache.size > MAX_ENTRIES) {
      const oldest = this.#cache.keys().next();
      if (oldest.done) break;
      this.#cache.delete(oldest.value);
    }
  }

  async #fetch(creds: OAuthCredentials): Promise<CachedToken> {
    this.#fetchCount++;
    const endpoint = describeUrl(creds.tokenEndpointUrl);
    const redact = (text: string) => redactSecret(text, creds.clientSecret);

    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (creds.scopes.length > 0) form.set('scope', creds.scopes.join(' '));
    const basic = Buffer.from(`${formEncode(creds.clientId)}:${formEncode(creds.clientSecret)}`).toString(
      'base64',
    );

    let res: Awaited<ReturnType<HttpClient['send']>>;
    try {
      res = await this.#http.send({
        method: 'POST',
        url: creds.tokenEndpointUrl,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          authorization: `Basic ${basic}`,
        },
        body: form.toString(),
        timeoutMs: this.#timeoutMs,
      });
    } catch (err) {
      const detail = err instanceof DeliveryError ? `${err.code}: ${err.message}` : String(err);
      throw new OAuthError(`token request to ${endpoint} failed: ${redact(detail)}`, { cause: err });
    }

    const raw = res.body.toString('utf8');
    // Messages use a redacted copy, redacted before anything is cut, so no part of the secret survives.
    const text = redact(raw);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      json = undefined;
    }
    const fields =
      json !== null && typeof json === 'object' && !Array.isArray(json)
        ? (json as Record<string, unknown>)
        : undefined;

    if (res.statusCode < 200 || res.statusCode > 299) {
      const detail =
        fields && typeof fields.error === 'string'
          ? `${fields.error}${typeof fields.error_description === 'string' ? `: ${fields.error_description}` : ''}`
          : text;
      const short = excerpt(redact(detail));
      throw new OAuthError(
        `token endpoint ${endpoint} answered HTTP ${res.statusCode}${short ? ` (${short})` : ''}`,
      );
    }
    if (!fields) {
      const contentType = res.headers.find(([name]) => name === 'content-type')?.[1] ?? 'none';
      throw new OAuthError(
        `token endpoint ${endpoint} answered HTTP ${res.statusCode} with a body that is not a JSON object ` +
          `(content-type ${contentType}): ${excerpt(text) || '(empty)'}`,
      );
    }
    const token = fields.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new OAuthError(
        `token endpoint ${endpoint} answered HTTP ${res.statusCode} without an access_token ` +
          `(fields: ${Object.keys(fields).join(', ') || 'none'})`,
      );
    }

    // Cached until expires_in minus a skew (30 s, or 10 % for short lifetimes); without expires_in, 5 minutes.
    const expiresIn =
      fields.expires_in === undefined || fields.expires_in === null ? Number.NaN : Number(fields.expires_in);
    const lifetime = Number.isFinite(expiresIn)
      ? expiresIn - Math.min(MAX_SKEW_S, expiresIn * 0.1)
      : DEFAULT_LIFETIME_S;
    return { token, expiresAt: this.#now() + lifetime * 1000 };
  }
}

/** The URL without query or credentials, for messages. */
function describeUrl(text: string): string {
  try {
    const url = new URL(text);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

function redactSecret(text: string, secret: string): string {
  if (!secret) return text;
  let out = text;
  for (const form of new Set([secret, formEncode(secret), encodeURIComponent(secret)])) {
    out = out.split(form).join('[redacted]');
  }
  return out;
}

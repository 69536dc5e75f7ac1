import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyStore, Page } from '../store/ports.js';
import { fail, NotFoundError, ok, type Result, ValidationError } from './errors.js';
import { isIdOf, newId } from './ids.js';
import { type PageArgs, parsePageArgs } from './pagination.js';

/**
 * Accounts and API keys. A key is `whk_` + 32 random bytes (base64url): high-entropy, so one
 * SHA-256 is enough to store it (a slow password hash buys nothing against 256-bit secrets).
 * The prefix (first characters) is kept in clear so admins can tell keys apart.
 */

export const API_KEY_ROLES = ['ADMIN', 'VIEWER', 'PUBLISHER'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export interface Account {
  id: string;
  name: string;
  createdAt: Date;
}

export interface ApiKey {
  id: string;
  accountId: string;
  name: string;
  role: ApiKeyRole;
  /** The first 12 characters of the token, e.g. `whk_AbC123xy`. */
  prefix: string;
  /** SHA-256 of the whole token, hex. */
  hash: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Who is calling: the account every store call is scoped to, and what they may do. */
export interface Principal {
  accountId: string;
  role: ApiKeyRole;
  apiKeyId: string;
}

const TOKEN_PREFIX = 'whk_';
const PREFIX_LENGTH = 12;
/** lastUsedAt is written at most this often per key, so reads do not turn into writes. */
const TOUCH_INTERVAL_MS = 60_000;

export function newToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface ApiKeyDeps {
  apiKeys: ApiKeyStore;
  now?: () => Date;
}

/** Builds a key record for a token (a new random one unless given, e.g. BOOTSTRAP_ADMIN_KEY). */
export function keyRecord(
  accountId: string,
  name: string,
  role: ApiKeyRole,
  now: Date,
  token = newToken(),
): { key: ApiKey; token: string } {
  return {
    token,
    key: {
      id: newId('ApiKey'),
      accountId,
      name,
      role,
      prefix: token.slice(0, PREFIX_LENGTH),
      hash: hashToken(token),
      createdAt: now,
      lastUsedAt: null,
      revokedAt: null,
    },
  };
}

/** The principal of a bearer token, or null for an unknown or revoked key. */
export async function authenticate(deps: ApiKeyDeps, token: string): Promise<Principal | null> {
  if (token.length < 24 || token.length > 512) return null;
  const hash = hashToken(token);
  const key = await deps.apiKeys.findByHash(hash);
  // The lookup is by hash already; comparing again in constant time costs nothing and keeps it honest.
  if (!key || key.revokedAt || !timingSafeEqual(Buffer.from(key.hash), Buffer.from(hash))) return null;
  const now = (deps.now ?? (() => new Date()))();
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    void deps.apiKeys.touch(key.id, now).catch(() => {});
  }
  return { accountId: key.accountId, role: key.role, apiKeyId: key.id };
}

export async function createApiKey(
  deps: ApiKeyDeps,
  caller: { accountId: string },
  input: { name: string; role: ApiKeyRole },
): Promise<Result<{ apiKey: ApiKey; token: string }, ValidationError>> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) {
    return fail(new ValidationError([{ path: ['name'], message: 'must be 1 to 100 characters' }]));
  }
  const { key, token } = keyRecord(caller.accountId, name, input.role, (deps.now ?? (() => new Date()))());
  await deps.apiKeys.insert(key);
  return ok({ apiKey: key, token });
}

export async function revokeApiKey(
  deps: ApiKeyDeps,
  caller: { accountId: string },
  id: string,
): Promise<Result<ApiKey, NotFoundError>> {
  const revoked = isIdOf('ApiKey', id)
    ? await deps.apiKeys.revoke(caller.accountId, id, (deps.now ?? (() => new Date()))())
    : null;
  return revoked ? ok(revoked) : fail(new NotFoundError(`no API key with id ${JSON.stringify(id)}`));
}

export async function listApiKeys(
  deps: ApiKeyDeps,
  caller: { accountId: string },
  args: PageArgs,
): Promise<Result<Page<ApiKey>, ValidationError>> {
  const page = parsePageArgs(args);
  if (page instanceof ValidationError) return fail(page);
  return ok(await deps.apiKeys.list(caller.accountId, page));
}

export async function getApiKey(deps: ApiKeyDeps, caller: { accountId: string }, id: string) {
  return isIdOf('ApiKey', id) ? deps.apiKeys.get(caller.accountId, id) : null;
}

/** A new account with its first admin key: for scripts/create-account.ts and the first start. */
export async function createAccount(
  deps: ApiKeyDeps,
  name: string,
  token?: string,
): Promise<{ account: Account; apiKey: ApiKey; token: string }> {
  const now = (deps.now ?? (() => new Date()))();
  const account: Account = { id: newId('Account'), name, createdAt: now };
  const { key, token: issued } = keyRecord(account.id, 'first admin key', 'ADMIN', now, token);
  await deps.apiKeys.insertAccount(account);
  await deps.apiKeys.insert(key);
  return { account, apiKey: key, token: issued };
}

/**
 * On a store with no keys at all, creates the first account and admin key, once even when several
 * processes start together (the store's bootstrap marker is written by exactly one of them).
 * Returns the token to print, or null when the store already had keys.
 */
export async function bootstrapFirstKey(
  deps: ApiKeyDeps,
  configuredToken?: string,
): Promise<{ token: string; accountId: string; fromConfig: boolean } | null> {
  if (await deps.apiKeys.any()) return null;
  if (!(await deps.apiKeys.claimBootstrap())) return null;
  const { account, token } = await createAccount(deps, 'default', configuredToken);
  return { token, accountId: account.id, fromConfig: Boolean(configuredToken) };
}

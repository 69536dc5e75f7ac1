import { timingSafeEqual } from 'node:crypto';
import {
  type Account,
  type ApiKey,
  type ApiKeyRole,
  hashToken,
  keyRecord,
  type Principal,
  TOUCH_INTERVAL_MS,
} from './api-key.js';
import { fail, NotFoundError, ok, type Result, ValidationError } from './errors.js';
import { isIdOf, newId } from './ids.js';
import { type Page, type PageArgs, parsePageArgs } from './pagination.js';
import type { ApiKeyStore } from './ports.js';

/** API key use cases: authenticate a bearer token, create, list and revoke keys, create accounts. */

export interface ApiKeyDeps {
  apiKeys: ApiKeyStore;
  now?: () => Date;
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

/** Told about every revoked key, so live connections of that key end at once (src/live/revocations.ts). */
export interface RevocationListener {
  notify(apiKeyId: string): void;
}

export async function revokeApiKey(
  deps: ApiKeyDeps & { revocations: RevocationListener },
  caller: { accountId: string },
  id: string,
): Promise<Result<ApiKey, NotFoundError>> {
  const revoked = isIdOf('ApiKey', id)
    ? await deps.apiKeys.revoke(caller.accountId, id, (deps.now ?? (() => new Date()))())
    : null;
  if (!revoked) return fail(new NotFoundError(`no API key with id ${JSON.stringify(id)}`));
  deps.revocations.notify(revoked.id);
  return ok(revoked);
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

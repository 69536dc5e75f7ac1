import { createHash, randomBytes } from 'node:crypto';
import { newId } from './ids.js';

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
export const TOUCH_INTERVAL_MS = 60_000;

export function newToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
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

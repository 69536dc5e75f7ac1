import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './index.js';

/**
 * The key that encrypts secrets at rest: SECRETS_KEY, or one generated once in DATA_DIR (mode 0600).
 * Processes that share a MongoDB must share SECRETS_KEY; a generated key is per machine.
 */
export function loadSecretsKey(config: Pick<Config, 'SECRETS_KEY' | 'DATA_DIR'>): {
  key: Buffer;
  source: string;
} {
  if (config.SECRETS_KEY) return { key: Buffer.from(config.SECRETS_KEY, 'base64'), source: 'SECRETS_KEY' };
  const file = join(config.DATA_DIR, 'secrets.key');
  mkdirSync(config.DATA_DIR, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold the base64 of 32 bytes`);
  return { key, source: file };
}

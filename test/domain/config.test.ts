import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { type Config, ConfigError, loadConfig, parseDuration, settingDocs } from '../../src/config/index.js';
import { loadSecretsKey } from '../../src/config/secrets-key.js';
import { settingsTable, withSettingsTable } from '../../src/config/settings-table.js';

describe('configuration', () => {
  test('defaults match the documented table', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 4000,
      HOST: '0.0.0.0',
      ROLE: 'all',
      DATA_DIR: './data',
      MONGODB_URI: undefined,
      MONGODB_DB: 'webhooks',
      REDIS_URL: undefined,
      DISPATCH_CONCURRENCY: 64,
      DISPATCH_PER_WEBHOOK_CONCURRENCY: 8,
      DISPATCH_RETRY_SCHEDULE: [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
      DISPATCH_LEASE_TIMEOUT: 300_000,
      DISPATCH_POLL_INTERVAL: 1_000,
      DISPATCH_ALLOWED_CIDRS: [],
      DISPATCH_RESOLVE: [],
      INVOCATION_RETENTION_DAYS: 30,
      LOG_LEVEL: 'info',
      GRAPHIQL: true,
      SANDBOX_THREADS: 2,
      SANDBOX_MEMORY_MB: 64,
      RENDER_TIMEOUT: 250,
      VALIDATION_TIMEOUT: 250,
      VALIDATION_MAX_NODES: 1_000_000,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  test('the README table is the one generated from the schema (npm run config:table)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(settingsTable());
    expect(withSettingsTable(readme)).toBe(readme);
  });

  test('every setting has a default and a meaning, and a documented value default is the default', () => {
    const defaults = loadConfig({});
    const docs = settingDocs();
    expect(docs.map((d) => d.name).sort()).toEqual(Object.keys(defaults).sort());
    for (const { name, doc } of docs) {
      expect(doc, name).not.toBeNull();
      expect(doc?.meaning.trim(), name).not.toBe('');
      // `4000`, `5m`, `true`: parsing the documented text gives what an unset variable gives.
      const literal = /^`([^`]*)`$/.exec(doc?.default ?? '')?.[1];
      if (literal !== undefined)
        expect(loadConfig({ [name]: literal })[name as keyof Config], name).toEqual(
          defaults[name as keyof Config],
        );
      else expect(['unset', 'empty', 'generated in `DATA_DIR`'], name).toContain(doc?.default);
      if (doc?.default === 'unset') expect(defaults[name as keyof Config], name).toBeUndefined();
    }
  });

  test('parses lists, resolve rules and CIDRs', () => {
    const c = loadConfig({
      DISPATCH_RETRY_SCHEDULE: '10ms, 1s,2m,1h, 250',
      DISPATCH_ALLOWED_CIDRS: '127.0.0.0/8, ::1/128',
      DISPATCH_RESOLVE: 'hooks.test:443=127.0.0.1:8443,v6.test:443=[::1]:9443',
      MONGODB_URI: 'mongodb://127.0.0.1:27017',
      SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(c.DISPATCH_RETRY_SCHEDULE).toEqual([10, 1_000, 120_000, 3_600_000, 250]);
    expect(c.DISPATCH_ALLOWED_CIDRS).toEqual(['127.0.0.0/8', '::1/128']);
    expect(c.DISPATCH_RESOLVE).toEqual([
      { host: 'hooks.test', port: 443, address: '127.0.0.1', addressPort: 8443 },
      { host: 'v6.test', port: 443, address: '::1', addressPort: 9443 },
    ]);
    expect(parseDuration('3x')).toBeNull();
  });

  test('lists every problem at once, each naming its variable', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'abc',
        ROLE: 'boss',
        MONGODB_URI: 'postgres://x',
        SECRETS_KEY: 'c2hvcnQ=',
        BOOTSTRAP_ADMIN_KEY: 'short',
        DISPATCH_RETRY_SCHEDULE: '5x,1s',
        DISPATCH_ALLOWED_CIDRS: '10.0.0.0/33',
        DISPATCH_RESOLVE: 'nonsense',
        LOG_LEVEL: 'loud',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'PORT',
      'ROLE',
      'MONGODB_URI',
      'SECRETS_KEY',
      'BOOTSTRAP_ADMIN_KEY',
      'DISPATCH_RETRY_SCHEDULE',
      'DISPATCH_ALLOWED_CIDRS',
      'DISPATCH_RESOLVE',
      'LOG_LEVEL',
    ]) {
      expect(problems).toContain(`${name}:`);
    }
    expect(problems).toContain('5x');
  });

  test('the generated secrets key is created once with mode 0600 and reused', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'wh-cfg-')), 'nested');
    const first = loadSecretsKey({ DATA_DIR: dir, SECRETS_KEY: undefined });
    const second = loadSecretsKey({ DATA_DIR: dir, SECRETS_KEY: undefined });
    expect(first.key.length).toBe(32);
    expect(second.key.equals(first.key)).toBe(true);
    expect(statSync(join(dir, 'secrets.key')).mode & 0o777).toBe(0o600);
    const given = Buffer.alloc(32, 1);
    expect(loadSecretsKey({ DATA_DIR: dir, SECRETS_KEY: given.toString('base64') }).key.equals(given)).toBe(
      true,
    );
  });
});

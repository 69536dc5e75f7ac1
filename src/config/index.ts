import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Every setting, read once from the environment and validated; all problems are reported at once.
 * Names and defaults are documented in the README's configuration table (test/domain/config.test.ts checks it).
 */

const DURATION = /^(\d+)(ms|s|m|h|d)?$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * UNIT_MS[(m[2] ?? 'ms') as keyof typeof UNIT_MS];
}

const list = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const int = (def: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a whole number from ${min} to ${max} (got "${v}")`,
        });
        return z.NEVER;
      }
      return n;
    });

// Unset and empty both mean "not set"; the key is always present in the parsed config.
const optionalString = z
  .string()
  .default('')
  .transform((v) => (v.trim() ? v.trim() : undefined));

const durationSetting = (def: string) =>
  z
    .string()
    .default(def)
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === null || ms <= 0) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a positive duration like 500ms, 30s, 5m (got "${v}")`,
        });
        return z.NEVER;
      }
      return ms;
    });

const bool = (def: 'true' | 'false') =>
  z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default(def)
    .transform((v) => v === 'true');

function isCidr(text: string): boolean {
  const [addr, bits, extra] = text.split('/');
  if (extra !== undefined || !addr || bits === undefined) return false;
  const family = isIP(addr);
  const n = Number(bits);
  return family !== 0 && /^\d+$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

export interface ResolveRule {
  host: string;
  port: number;
  address: string;
  addressPort: number;
}

const RESOLVE_RULE = /^([^:\s]+):(\d+)=(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d+)$/;

const envSchema = z.object({
  PORT: int(4000, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  ROLE: z.enum(['api', 'worker', 'all']).default('all'),
  DATA_DIR: z.string().min(1).default('./data'),
  MONGODB_URI: optionalString.pipe(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
  ),
  MONGODB_DB: z.string().min(1).default('webhooks'),
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
  ),
  SECRETS_KEY: optionalString.pipe(
    z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be the base64 of exactly 32 bytes')
      .optional(),
  ),
  BOOTSTRAP_ADMIN_KEY: optionalString.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
  DISPATCH_CONCURRENCY: int(64, 1, 10_000),
  DISPATCH_PER_WEBHOOK_CONCURRENCY: int(8, 1, 1_000),
  DISPATCH_RETRY_SCHEDULE: z
    .string()
    .default('0,5s,5m,30m,2h,5h,10h,10h')
    .transform((v, ctx) => {
      const items = list(v);
      const ms = items.map(parseDuration);
      const bad = items.filter((_, i) => ms[i] === null);
      if (items.length === 0 || bad.length) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a comma-separated list of delays like 0,5s,5m,2h (bad: ${bad.join(', ') || 'empty'})`,
        });
        return z.NEVER;
      }
      return ms as number[];
    }),
  DISPATCH_LEASE_TIMEOUT: durationSetting('5m'),
  DISPATCH_POLL_INTERVAL: durationSetting('1s'),
  DRAIN_TIMEOUT: durationSetting('30s'),
  AUTO_DISABLE_AFTER: durationSetting('5d'),
  RETENTION_SWEEP_INTERVAL: durationSetting('1h'),
  DISPATCH_ALLOWED_CIDRS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const items = list(v);
      const bad = items.filter((c) => !isCidr(c));
      if (bad.length) {
        ctx.addIssue({
          code: 'custom',
          message: `not CIDR ranges: ${bad.join(', ')} (e.g. 127.0.0.0/8, ::1/128)`,
        });
        return z.NEVER;
      }
      return items;
    }),
  DISPATCH_RESOLVE: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const rules: ResolveRule[] = [];
      for (const item of list(v)) {
        const m = RESOLVE_RULE.exec(item);
        if (!m || isIP((m[3] as string).replace(/^\[|\]$/g, '')) === 0) {
          ctx.addIssue({ code: 'custom', message: `"${item}" is not host:port=ip:port` });
          continue;
        }
        rules.push({
          host: (m[1] as string).toLowerCase(),
          port: Number(m[2]),
          address: (m[3] as string).replace(/^\[|\]$/g, ''),
          addressPort: Number(m[4]),
        });
      }
      return rules;
    }),
  DISPATCH_CA_FILE: optionalString,
  INVOCATION_RETENTION_DAYS: int(30, 1, 3650),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  GRAPHIQL: bool('true'),
  GRAPHQL_INTROSPECTION: bool('true'),
  GRAPHQL_MAX_DEPTH: int(12, 2, 100),
  GRAPHQL_MAX_COST: int(5_000, 100, 1_000_000),
  MAX_REQUEST_BYTES: int(1_048_576, 1_024, 64 * 1_048_576),
  RATE_LIMIT_PER_MINUTE: int(1_200, 1, 10_000_000),
  MAX_WEBHOOKS_PER_ACCOUNT: int(1_000, 1, 10_000_000),
  // The sandbox (src/sandbox): worker threads that render templates and run response validators.
  SANDBOX_THREADS: int(2, 1, 64),
  SANDBOX_MEMORY_MB: int(64, 16, 4_096),
  RENDER_TIMEOUT: durationSetting('250ms'),
  VALIDATION_TIMEOUT: durationSetting('250ms'),
  VALIDATION_MAX_NODES: int(1_000_000, 1_000, 1_000_000_000),
});

export type Config = Readonly<z.infer<typeof envSchema>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  // Optional settings that are unset still appear, as undefined: the config lists every setting.
  const config: Record<string, unknown> = Object.fromEntries(
    Object.keys(envSchema.shape).map((k) => [k, undefined]),
  );
  return Object.freeze(Object.assign(config, result.data) as Config);
}

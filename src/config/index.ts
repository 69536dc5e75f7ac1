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

/** What the README's table says of a setting: generated from here (src/config/settings-table.ts). */
export interface SettingDoc {
  /** As the table shows it: a value in backticks, or words ("unset", "generated in `DATA_DIR`"). */
  default: string;
  meaning: string;
}

/** A setting's schema with its documentation attached (zod metadata), so the two cannot part. */
function setting<T extends z.ZodType>(schema: T, doc: SettingDoc): T {
  return schema.meta({ ...doc }) as T;
}

const httpUrl = optionalString.pipe(
  z
    .string()
    .regex(/^https?:\/\//, 'must be an http:// or https:// URL')
    .optional(),
);

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

const envSchema = z.object({
  PORT: setting(int(4000, 0, 65535), { default: '`4000`', meaning: 'HTTP and WebSocket port' }),
  HOST: setting(z.string().default('0.0.0.0'), { default: '`0.0.0.0`', meaning: 'address to listen on' }),
  ROLE: setting(z.enum(['api', 'worker', 'all']).default('all'), {
    default: '`all`',
    meaning: '`api`, `worker` or `all`',
  }),
  DATA_DIR: setting(z.string().min(1).default('./data'), {
    default: '`./data`',
    meaning: 'embedded SQLite store and the generated secrets key',
  }),
  MONGODB_URI: setting(
    optionalString.pipe(
      z
        .string()
        .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
        .optional(),
    ),
    { default: 'unset', meaning: 'set: use MongoDB instead of SQLite' },
  ),
  MONGODB_DB: setting(z.string().min(1).default('webhooks'), {
    default: '`webhooks`',
    meaning: 'MongoDB database name',
  }),
  REDIS_URL: setting(
    optionalString.pipe(
      z
        .string()
        .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
        .optional(),
    ),
    { default: 'unset', meaning: 'set: pub/sub across processes through Redis' },
  ),
  SECRETS_KEY: setting(
    optionalString.pipe(
      z
        .string()
        .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be the base64 of exactly 32 bytes')
        .optional(),
    ),
    { default: 'generated in `DATA_DIR`', meaning: 'base64 of 32 bytes; encrypts secrets at rest' },
  ),
  BOOTSTRAP_ADMIN_KEY: setting(
    optionalString.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
    {
      default: 'unset',
      meaning: 'on a store with no keys, this string (24+ characters) becomes the first admin key',
    },
  ),
  DISPATCH_CONCURRENCY: setting(int(64, 1, 10_000), {
    default: '`64`',
    meaning: 'deliveries in flight per worker process',
  }),
  DISPATCH_PER_WEBHOOK_CONCURRENCY: setting(int(8, 1, 1_000), {
    default: '`8`',
    meaning: 'deliveries in flight per webhook',
  }),
  DISPATCH_RETRY_SCHEDULE: setting(
    z
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
    { default: '`0,5s,5m,30m,2h,5h,10h,10h`', meaning: 'delay before each attempt (`ms`, `s`, `m`, `h`)' },
  ),
  DISPATCH_LEASE_TIMEOUT: setting(durationSetting('5m'), {
    default: '`5m`',
    meaning:
      "how long a worker's claim on an invocation lasts; a crashed worker's claims are taken over after this",
  }),
  DISPATCH_POLL_INTERVAL: setting(durationSetting('1s'), {
    default: '`1s`',
    meaning: 'how often workers look for work enqueued by other processes (local work starts at once)',
  }),
  DISPATCH_ALLOWED_CIDRS: setting(
    z
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
    {
      default: 'empty',
      meaning: 'address ranges exempt from the SSRF guard, e.g. `127.0.0.0/8` in development',
    },
  ),
  DISPATCH_RESOLVE: setting(
    z
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
    {
      default: 'empty',
      meaning: '`host:443=ip:port,…`: connect to that address for that host, like curl `--resolve`',
    },
  ),
  DISPATCH_CA_FILE: setting(optionalString, {
    default: 'unset',
    meaning: 'extra PEM CA bundle trusted for targets and token endpoints',
  }),
  INVOCATION_RETENTION_DAYS: setting(int(30, 1, 3650), {
    default: '`30`',
    meaning: 'invocation logs older than this are deleted',
  }),
  RETENTION_SWEEP_INTERVAL: setting(durationSetting('1h'), {
    default: '`1h`',
    meaning: 'how often workers delete what retention allows',
  }),
  AUTO_DISABLE_AFTER: setting(durationSetting('5d'), {
    default: '`5d`',
    meaning:
      'a webhook whose deliveries have all failed for this long is deactivated (any success resets it)',
  }),
  DRAIN_TIMEOUT: setting(durationSetting('30s'), {
    default: '`30s`',
    meaning: 'on SIGTERM, how long attempts in progress may finish before their claims are released',
  }),
  LOG_LEVEL: setting(z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'), {
    default: '`info`',
    meaning: '`debug`, `info`, `warn`, `error` or `silent`',
  }),
  GRAPHIQL: setting(bool('true'), { default: '`true`', meaning: '`false` turns the GraphiQL page off' }),
  GRAPHQL_INTROSPECTION: setting(bool('true'), {
    default: '`true`',
    meaning: '`false` refuses introspection queries (production)',
  }),
  GRAPHQL_MAX_DEPTH: setting(int(12, 2, 100), { default: '`12`', meaning: 'deepest query accepted' }),
  GRAPHQL_MAX_COST: setting(int(5_000, 100, 1_000_000), {
    default: '`5000`',
    meaning: "most expensive query accepted (graphql-armor's cost estimate)",
  }),
  MAX_REQUEST_BYTES: setting(int(1_048_576, 1_024, 64 * 1_048_576), {
    default: '`1048576`',
    meaning: 'largest request body accepted (413 beyond)',
  }),
  RATE_LIMIT_PER_MINUTE: setting(int(1_200, 1, 10_000_000), {
    default: '`1200`',
    meaning: 'requests a minute per API key, per api process (429 with `Retry-After` beyond)',
  }),
  MAX_WEBHOOKS_PER_ACCOUNT: setting(int(1_000, 1, 10_000_000), {
    default: '`1000`',
    meaning: 'webhooks one account may define',
  }),
  // The sandbox (src/sandbox): worker threads that render templates and run response validators.
  SANDBOX_THREADS: setting(int(2, 1, 64), {
    default: '`2`',
    meaning: 'worker threads for templates and validators; one account holds at most all but one',
  }),
  SANDBOX_MEMORY_MB: setting(int(64, 16, 4_096), {
    default: '`64`',
    meaning: 'heap of each sandbox thread: a task that needs more fails, and the thread is replaced',
  }),
  RENDER_TIMEOUT: setting(durationSetting('250ms'), {
    default: '`250ms`',
    meaning: 'budget of one render, and of a template check at save (all sample events together)',
  }),
  VALIDATION_TIMEOUT: setting(durationSetting('250ms'), {
    default: '`250ms`',
    meaning: 'budget of the response validators of one attempt, together',
  }),
  VALIDATION_MAX_NODES: setting(int(1_000_000, 1_000, 1_000_000_000), {
    default: '`1000000`',
    meaning: 'JSON nodes the response validators of one attempt may visit, together',
  }),
  // Traces (src/ops/tracing.ts): the OpenTelemetry SDK's standard variables that this server reads.
  // The OTLP exporter also reads OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION and the
  // certificate variables (and their _TRACES_ forms), and OTEL_RESOURCE_ATTRIBUTES adds resource
  // attributes: the README says so under the table.
  OTEL_EXPORTER_OTLP_ENDPOINT: setting(httpUrl, {
    default: 'unset',
    meaning: 'set: export traces over OTLP/HTTP to this collector (spans go to `<endpoint>/v1/traces`)',
  }),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: setting(httpUrl, {
    default: 'unset',
    meaning: 'set: export traces to exactly this URL (instead of `OTEL_EXPORTER_OTLP_ENDPOINT`)',
  }),
  OTEL_EXPORTER_OTLP_PROTOCOL: setting(
    z
      .enum(['http/protobuf', 'http/json'], {
        error: 'must be http/protobuf or http/json (grpc is not supported)',
      })
      .default('http/protobuf'),
    { default: '`http/protobuf`', meaning: 'OTLP encoding: `http/protobuf` or `http/json`' },
  ),
  OTEL_SERVICE_NAME: setting(z.string().min(1).default('access-webhooks'), {
    default: '`access-webhooks`',
    meaning: "the traces' `service.name`",
  }),
  OTEL_SDK_DISABLED: setting(bool('false'), {
    default: '`false`',
    meaning: '`true`: export no traces even with an endpoint set',
  }),
  OTEL_TRACES_SAMPLER: setting(
    z.enum(SAMPLERS, { error: `must be one of ${SAMPLERS.join(', ')}` }).default('parentbased_always_on'),
    {
      default: '`parentbased_always_on`',
      meaning: 'which traces are kept: `always_on`, `always_off`, `traceidratio` or `parentbased_…` of them',
    },
  ),
  OTEL_TRACES_SAMPLER_ARG: setting(
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined || v.trim() === '') return 1;
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0 || n > 1) {
          ctx.addIssue({ code: 'custom', message: `must be a ratio from 0 to 1 (got "${v}")` });
          return z.NEVER;
        }
        return n;
      }),
    { default: '`1`', meaning: 'the ratio of traces the `traceidratio` samplers keep' },
  ),
  OTEL_BSP_SCHEDULE_DELAY: setting(int(5_000, 1, 3_600_000), {
    default: '`5000`',
    meaning: 'milliseconds between two exports of finished spans',
  }),
  OTEL_BSP_MAX_QUEUE_SIZE: setting(int(2_048, 1, 10_000_000), {
    default: '`2048`',
    meaning: 'finished spans buffered for export; more are dropped',
  }),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: setting(int(512, 1, 10_000_000), {
    default: '`512`',
    meaning: 'spans per export request',
  }),
  OTEL_BSP_EXPORT_TIMEOUT: setting(int(30_000, 1, 3_600_000), {
    default: '`30000`',
    meaning: 'milliseconds an export may take',
  }),
});

/** Every setting with its documentation, in the schema's order (the README table's rows). */
export function settingDocs(): { name: string; doc: SettingDoc | null }[] {
  return Object.entries(envSchema.shape).map(([name, schema]) => {
    const meta = z.globalRegistry.get(schema) as Partial<SettingDoc> | undefined;
    const doc =
      typeof meta?.default === 'string' && typeof meta.meaning === 'string'
        ? { default: meta.default, meaning: meta.meaning }
        : null;
    return { name, doc };
  });
}

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

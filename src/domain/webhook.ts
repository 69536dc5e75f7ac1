import { z } from 'zod';
import { type FieldError, ValidationError } from './errors.js';
import { sampleEvent, TRIGGERS } from './event.js';
import { type AddressClass, blockedLiteral } from './ip-address.js';
import { compileJsonPath, MAX_PATH_DESCENTS } from './json-path.js';
import type { EncryptedSecret } from './secrets.js';
import { MAX_TEMPLATE_LENGTH, type TemplateProblem } from './template.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export const WEBHOOK_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];
/** UNORDERED: deliveries run concurrently. FIFO: one at a time across all processes, in publish order. */
export const WEBHOOK_ORDERINGS = ['UNORDERED', 'FIFO'] as const;
export type WebhookOrdering = (typeof WEBHOOK_ORDERINGS)[number];

export const FILTER_DIMENSIONS = [
  'integrationIds',
  'integrationTypes',
  'resourceTypes',
  'resourceIds',
  'permissions',
  'accessFlowIds',
  'bundleIds',
  'requesterEmails',
  'granteeTypes',
  'approvalTypes',
] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];
export type WebhookFilters = Record<FilterDimension, string[]>;

/**
 * Dimensions whose values are names people type (types, permissions, emails): they match whatever
 * the case, so "PostgreSQL" finds events of type "postgresql". Their values are kept folded to lower
 * case, in saved filters and in what events offer alike; ids match exactly.
 */
export const CASE_INSENSITIVE_DIMENSIONS: ReadonlySet<FilterDimension> = new Set([
  'integrationTypes',
  'resourceTypes',
  'permissions',
  'requesterEmails',
  'granteeTypes',
  'approvalTypes',
]);

/** A filter value as it is compared: folded to lower case in the case-insensitive dimensions. */
export function foldFilterValue(dimension: FilterDimension, value: string): string {
  return CASE_INSENSITIVE_DIMENSIONS.has(dimension) ? value.toLowerCase() : value;
}

export interface StoredHeader {
  name: string;
  value: EncryptedSecret;
}

export interface StoredOAuth {
  clientId: string;
  clientSecret: EncryptedSecret;
  tokenEndpointUrl: string;
  scopes: string[];
}

export interface SigningSecrets {
  current: EncryptedSecret;
  /**
   * The secrets replaced by rotations whose overlap has not ended, oldest first: each keeps signing
   * until its own `expiresAt`, so a second rotation inside the overlap does not cut the first short.
   */
  previous: { secret: EncryptedSecret; expiresAt: Date }[];
}

/** The secrets a delivery at `nowMs` is signed with: the current one and every previous one still live. */
export function liveSigningSecrets(secrets: SigningSecrets, nowMs: number): EncryptedSecret[] {
  return [
    secrets.current,
    ...secrets.previous.filter((p) => p.expiresAt.getTime() > nowMs).map((p) => p.secret),
  ];
}

/** A webhook definition as stored: secrets encrypted, everything else validated and normalised. */
export interface Webhook extends Omit<ValidDefinition, 'headers' | 'oauth'> {
  id: string;
  accountId: string;
  headers: StoredHeader[];
  oauth: StoredOAuth | null;
  disabledReason: string | null;
  /** When the current run of failed deliveries began (auto-disable); null after a success. */
  failingSince?: Date | null;
  signingSecrets: SigningSecrets;
  /** Incremented by every update; updates are compare-and-set on it. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The case-insensitive form of a name that uniqueness is enforced on. */
export function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

export function emptyFilters(): WebhookFilters {
  return Object.fromEntries(FILTER_DIMENSIONS.map((d) => [d, []])) as unknown as WebhookFilters;
}

// ---- input -------------------------------------------------------------------------------------

export const DEFAULT_TIMEOUT_SECONDS = 30;
export const MAX_TIMEOUT_SECONDS = 120;
export const MAX_HEADERS = 50;
const MAX_VALIDATORS = 20;
const MAX_FILTER_VALUES = 200;
const MAX_RETRY_DELAY_SECONDS = 24 * 3600;
const MAX_RETRIES = 20;

const NAME_PATTERN = /^[A-Za-z0-9 _-]+$/;
// RFC 9110 token
const HEADER_NAME_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Headers the dispatcher owns: transport framing and the Standard Webhooks signature.
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
]);
// `$.data` then segments: .name, ..name, .*, [0], [*], ['name'], ["name"]; no filter scripts.
const JSON_PATH_PATTERN =
  /^\$\.data(?:\.\.?(?:[A-Za-z0-9_$-]+|\*)|\[(?:\d+|\*|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\])+$/;

/** The rules for a URL the dispatcher may call: https, default port only, no credentials. */
export function checkTargetUrl(raw: string): { url: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { error: 'must be an absolute URL, e.g. https://example.com/hook' };
  }
  if (url.protocol !== 'https:') return { error: 'must use https' };
  // WHATWG URL drops an explicit :443 for https, so any port left is a custom one.
  if (url.port !== '') return { error: `must not name a custom port (got ${url.port}); only 443 is allowed` };
  if (url.username || url.password) return { error: 'must not contain credentials (user:password@)' };
  if (!url.hostname) return { error: 'must name a host' };
  if (url.href.length > 2048) return { error: 'must be at most 2048 characters' };
  return { url: url.href };
}

const CLASS_WORDS: Record<AddressClass, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  'link-local': 'a link-local address',
  CGNAT: 'a carrier-grade NAT (CGNAT) address',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  'cloud metadata': 'a cloud metadata address',
  reserved: 'a reserved address',
  benchmarking: 'a benchmarking address',
  documentation: 'a documentation address',
};

/**
 * Why no delivery could ever reach this URL: its host is an IP literal that the delivery guard refuses
 * (./ip-address.ts, the same rule and the same allowance: DISPATCH_ALLOWED_CIDRS), in plain words;
 * null for a host name (judged when it is resolved, at delivery), a public address, or an allowed one.
 */
export function unreachableAddress(raw: string, allowedCidrs: readonly string[]): string | null {
  let hostname: string;
  try {
    hostname = new URL(raw.trim()).hostname;
  } catch {
    return null;
  }
  const found = blockedLiteral(hostname, [...allowedCidrs]);
  if (!found) return null;
  const where = found.carrier
    ? `${found.address}, inside the ${found.carrier.name} address ${found.carrier.address}`
    : found.address;
  return `is ${CLASS_WORDS[found.class]} (${where}), so it would never be called: use the receiver's public host name or address`;
}

/** What validateDefinition checks a definition's URLs against, beyond their form. */
export interface UrlRules {
  /** CIDR ranges the delivery guard lets through (DISPATCH_ALLOWED_CIDRS): IP literals in them are fine. */
  allowedCidrs?: readonly string[];
  /** URLs already stored, kept by an update: not judged again by the address rule. */
  stored?: readonly string[];
}

const httpsUrl = z.string().superRefine((value, ctx) => {
  const result = checkTargetUrl(value);
  if ('error' in result) ctx.addIssue({ code: 'custom', message: result.error });
});

const nonEmptyString = (what: string, max = 500) =>
  z.string().trim().min(1, `${what} must not be empty`).max(max, `${what} must be at most ${max} characters`);

/** Optional in the API: absent or null takes `fallback()` (lists: empty; optional parts: null). */
const optional = <T extends z.ZodType, F>(schema: T, fallback: () => F) =>
  schema.nullish().transform((value): NonNullable<z.output<T>> | F => value ?? fallback());

/** A secret that may be omitted on update to keep the stored one (null counts as omitted). */
const keptSecret = <T extends z.ZodType>(schema: T) =>
  schema.nullish().transform((value) => (value ?? undefined) as z.output<T> | undefined);

/** One header row of a definition. */
export const headerSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(256, 'must be at most 256 characters')
    .regex(HEADER_NAME_PATTERN, "must be an HTTP header name (letters, digits and !#$%&'*+.^_`|~-)")
    .refine(
      (n) => !RESERVED_HEADERS.has(n.toLowerCase()),
      'is set by the dispatcher and cannot be configured',
    ),
  value: keptSecret(
    z
      .string()
      .max(8192, 'must be at most 8192 characters')
      .refine((v) => !/[\r\n\0]/.test(v), 'must not contain CR, LF or NUL characters')
      // HTTP/1.1 header values are bytes: undici refuses anything past Latin-1 when sending, so such
      // a value would fail every delivery as a connection error instead of being refused here.
      .refine(
        (v) => ![...v].some((c) => (c.codePointAt(0) ?? 0) > 0xff),
        'must contain only characters up to U+00FF (Latin-1): HTTP header values cannot carry others',
      ),
  ),
});

const oauthSchema = z.object({
  clientId: nonEmptyString('client id'),
  clientSecret: keptSecret(z.string().min(1, 'must not be empty').max(4096)),
  tokenEndpointUrl: z.string().pipe(httpsUrl),
  scopes: optional(
    z.array(z.string().trim().regex(/^\S+$/, 'must be one non-empty word without spaces')).max(50),
    () => [],
  ),
});

const validatorSchema = z.object({
  jsonPath: z
    .string()
    .trim()
    .refine((p) => p.startsWith('$.data.') || p.startsWith('$.data['), 'must start with $.data.')
    .refine((p) => JSON_PATH_PATTERN.test(p), 'is not a JSON path this server can evaluate')
    .superRefine((p, ctx) => {
      if (!JSON_PATH_PATTERN.test(p)) return;
      const compiled = compileJsonPath(p);
      if (!compiled.evaluable) {
        ctx.addIssue({
          code: 'custom',
          message: `${p} quotes a name that JSONPath reads as an operator (",", ":", "^", "~", "@", "\`" or "("), which this server does not evaluate`,
        });
      } else if (compiled.descents > MAX_PATH_DESCENTS) {
        // Each descent multiplies the nodes an evaluation may visit by the depth of the answer.
        ctx.addIssue({
          code: 'custom',
          message: `${p} has ${compiled.descents} recursive descents (..); at most ${MAX_PATH_DESCENTS} are allowed`,
        });
      }
    }),
  expectedValues: z.array(z.string().max(1000)).min(1, 'must list at least one expected value'),
});

const filterValues = optional(z.array(nonEmptyString('a filter value')).max(MAX_FILTER_VALUES), () => []);
const filtersSchema = z.object(
  Object.fromEntries(FILTER_DIMENSIONS.map((d) => [d, filterValues])) as Record<
    FilterDimension,
    typeof filterValues
  >,
);

/**
 * A webhook definition: what a client sends (`WebhookDefinitionInput`, optional parts absent or
 * null) and, once parsed, the validated and normalised definition (`ValidDefinition`). The one
 * place a definition field is declared: the stored record, partial updates and the codec follow it.
 */
const definitionSchema = z.object({
  name: z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .regex(NAME_PATTERN, 'may contain only letters, digits, spaces, "-" and "_"'),
  description: optional(z.string().trim().max(500, 'must be at most 500 characters'), () => null).transform(
    (d) => d || null,
  ),
  status: optional(z.enum(WEBHOOK_STATUSES), () => 'ACTIVE' as const),
  method: optional(z.enum(HTTP_METHODS), () => 'POST' as const),
  url: z.string({ error: 'is required' }).pipe(httpsUrl),
  bodyTemplate: z
    .string({ error: 'is required' })
    .max(MAX_TEMPLATE_LENGTH, `must be at most ${MAX_TEMPLATE_LENGTH} characters`),
  headers: optional(z.array(headerSchema).max(MAX_HEADERS, `at most ${MAX_HEADERS} headers`), () => []),
  oauth: oauthSchema.nullish().transform((o) => o ?? null),
  triggers: z.array(z.enum(TRIGGERS), { error: 'is required' }).min(1, 'must name at least one trigger'),
  filters: optional(filtersSchema, emptyFilters),
  timeoutSeconds: optional(
    z
      .number()
      .int('must be a whole number of seconds')
      .min(1, 'must be at least 1 second')
      .max(MAX_TIMEOUT_SECONDS, `must be at most ${MAX_TIMEOUT_SECONDS} seconds`),
    () => DEFAULT_TIMEOUT_SECONDS,
  ),
  responseValidators: optional(
    z.array(validatorSchema).max(MAX_VALIDATORS, `at most ${MAX_VALIDATORS} validators`),
    () => [],
  ),
  customValidationErrorMessage: optional(
    z.string().trim().max(500, 'must be at most 500 characters'),
    () => null,
  ).transform((m) => m || null),
  ordering: optional(z.enum(WEBHOOK_ORDERINGS), () => 'UNORDERED' as const),
  rateLimit: z
    .object({
      count: z
        .number()
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(100_000, 'must be at most 100000'),
      perSeconds: z
        .number()
        .int('must be a whole number of seconds')
        .min(1, 'must be at least 1 second')
        .max(86_400, 'must be at most 86400 seconds (24 h)'),
    })
    .nullish()
    .transform((r) => r ?? null),
  retrySchedule: optional(
    z
      .array(
        z
          .number()
          .int('must be a whole number of seconds')
          .min(0, 'must not be negative')
          .max(MAX_RETRY_DELAY_SECONDS, `must be at most ${MAX_RETRY_DELAY_SECONDS} seconds (24 h)`),
      )
      .min(1, "must list at least one delay (null: the server's schedule)")
      .max(MAX_RETRIES, `at most ${MAX_RETRIES} retries`),
    () => null,
  ),
});

/**
 * A definition as a client sends it: any field may be absent or null (a missing required one is a
 * field error, not a type error). Header values and the client secret may be omitted on update.
 */
export type WebhookDefinitionInput = {
  [K in keyof z.input<typeof definitionSchema>]?: z.input<typeof definitionSchema>[K] | null;
};
/** A validated definition, secrets still in plain text (undefined = keep the stored value). */
export type ValidDefinition = z.output<typeof definitionSchema>;
export type ResponseValidator = z.output<typeof validatorSchema>;

/** The definition's fields, from the schema: what a partial update keeps when the patch omits it. */
export const DEFINITION_FIELDS = Object.keys(definitionSchema.shape) as (keyof ValidDefinition)[];

/**
 * Fills, in place, the definition fields that a record stored before they existed lacks, with the
 * schema's own fallback: what an API client gets by omitting the field (the store codec calls it).
 */
export function fillDefinitionDefaults(record: Partial<Record<keyof ValidDefinition, unknown>>): void {
  for (const field of DEFINITION_FIELDS) {
    if (record[field] !== undefined) continue;
    const fallback = definitionSchema.shape[field].safeParse(undefined);
    if (fallback.success) record[field] = fallback.data;
  }
}

/**
 * Renders a template against sample scopes in one budgeted task, off the event loop: the
 * UntrustedWork port's checkTemplate, bound to the caller's account (see webhook-use-cases.ts).
 */
export type TemplateCheck = (template: string, scopes: object[]) => Promise<TemplateProblem | null>;

/**
 * Validates a whole definition: structure, then the cross-field rules, then the body template
 * rendered against every trigger's sample event. Every problem is reported, each with its path.
 */
export async function validateDefinition(
  input: WebhookDefinitionInput,
  checkTemplate: TemplateCheck,
  urlRules: UrlRules = {},
): Promise<{ ok: true; value: ValidDefinition } | { ok: false; error: ValidationError }> {
  const parsed = definitionSchema.safeParse(input);
  const errors: FieldError[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        path: issue.path.map(String),
        message: issue.code === 'invalid_type' && issue.input == null ? 'is required' : issue.message,
      }));
  // An IP literal no delivery may reach, reported with the other problems (a well-formed URL only).
  const urls: [string[], unknown][] = [
    [['url'], input.url],
    [['oauth', 'tokenEndpointUrl'], input.oauth?.tokenEndpointUrl],
  ];
  for (const [path, url] of urls) {
    if (typeof url !== 'string' || 'error' in checkTargetUrl(url)) continue;
    if (urlRules.stored?.includes(url)) continue;
    const problem = unreachableAddress(url, urlRules.allowedCidrs ?? []);
    if (problem) errors.push({ path, message: problem });
  }
  if (!parsed.success) {
    // Report a broken template together with the structural problems, not one round-trip later.
    const template = input.bodyTemplate;
    if (
      typeof template === 'string' &&
      template.trim() &&
      !errors.some((e) => e.path[0] === 'bodyTemplate')
    ) {
      const problem = await templateProblem(checkTemplate, template);
      if (problem) errors.push({ path: ['bodyTemplate'], message: problem });
    }
    return { ok: false, error: new ValidationError(errors) };
  }

  const def = parsed.data;
  def.triggers = [...new Set(def.triggers)];
  for (const d of FILTER_DIMENSIONS) {
    def.filters[d] = [...new Set(def.filters[d].map((v) => foldFilterValue(d, v)))];
  }
  def.url = (checkTargetUrl(def.url) as { url: string }).url;
  if (def.oauth)
    def.oauth.tokenEndpointUrl = (checkTargetUrl(def.oauth.tokenEndpointUrl) as { url: string }).url;

  const seen = new Map<string, number>();
  def.headers.forEach((h, i) => {
    const key = h.name.toLowerCase();
    if (seen.has(key)) {
      errors.push({
        path: ['headers', String(i), 'name'],
        message: `duplicates header ${seen.get(key)} ("${h.name}")`,
      });
    } else seen.set(key, i);
  });
  const authorization = def.headers.some((h) => h.name.toLowerCase() === 'authorization');
  if (def.oauth && authorization) {
    errors.push({ path: ['oauth'], message: 'cannot be combined with an Authorization header' });
  }

  if (def.bodyTemplate.trim() === '') {
    if (def.method !== 'GET' && def.method !== 'DELETE') {
      errors.push({
        path: ['bodyTemplate'],
        message: `must not be empty for ${def.method} (only GET and DELETE may send no body)`,
      });
    }
  } else {
    const problem = await templateProblem(checkTemplate, def.bodyTemplate);
    if (problem) errors.push({ path: ['bodyTemplate'], message: problem });
  }

  return errors.length ? { ok: false, error: new ValidationError(errors) } : { ok: true, value: def };
}

/** Every trigger's sample event, rendered in ONE sandbox task under ONE budget (not six in a row). */
async function templateProblem(checkTemplate: TemplateCheck, template: string): Promise<string | null> {
  const problem = await checkTemplate(template, TRIGGERS.map(sampleEvent));
  if (!problem) return null;
  return `${problem.message} (rendering the ${TRIGGERS[problem.index] ?? TRIGGERS[0]} sample event)`;
}

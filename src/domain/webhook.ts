import { z } from 'zod';
import { type FieldError, ValidationError } from './errors.js';
import { sampleEvent, TRIGGERS, type Trigger } from './event.js';
import type { EncryptedSecret } from './secrets.js';
import { MAX_TEMPLATE_LENGTH, renderBody, TemplateError } from './template.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export const WEBHOOK_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

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

export interface ResponseValidator {
  jsonPath: string;
  expectedValues: string[];
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
  /** The secret replaced by the last rotation, still signing until `expiresAt`. */
  previous: { secret: EncryptedSecret; expiresAt: Date } | null;
}

/** A webhook definition as stored: secrets encrypted, everything else validated and normalised. */
export interface Webhook {
  id: string;
  accountId: string;
  name: string;
  status: WebhookStatus;
  method: HttpMethod;
  url: string;
  bodyTemplate: string;
  headers: StoredHeader[];
  oauth: StoredOAuth | null;
  triggers: Trigger[];
  filters: WebhookFilters;
  timeoutSeconds: number;
  responseValidators: ResponseValidator[];
  customValidationErrorMessage: string | null;
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

/** A definition as a client sends it. Header values and the client secret may be omitted on update. */
export interface WebhookDefinitionInput {
  name?: string | null;
  status?: WebhookStatus | null;
  method?: HttpMethod | null;
  url?: string | null;
  bodyTemplate?: string | null;
  headers?: { name: string; value?: string | null }[] | null;
  oauth?: {
    clientId: string;
    clientSecret?: string | null;
    tokenEndpointUrl: string;
    scopes?: string[] | null;
  } | null;
  triggers?: Trigger[] | null;
  filters?: Partial<Record<FilterDimension, string[] | null>> | null;
  timeoutSeconds?: number | null;
  responseValidators?: ResponseValidator[] | null;
  customValidationErrorMessage?: string | null;
}

/** A validated definition, secrets still in plain text (undefined = keep the stored value). */
export interface ValidDefinition {
  name: string;
  status: WebhookStatus;
  method: HttpMethod;
  url: string;
  bodyTemplate: string;
  headers: { name: string; value: string | undefined }[];
  oauth: {
    clientId: string;
    clientSecret: string | undefined;
    tokenEndpointUrl: string;
    scopes: string[];
  } | null;
  triggers: Trigger[];
  filters: WebhookFilters;
  timeoutSeconds: number;
  responseValidators: ResponseValidator[];
  customValidationErrorMessage: string | null;
}

export const DEFAULT_TIMEOUT_SECONDS = 30;
export const MAX_TIMEOUT_SECONDS = 120;
const MAX_HEADERS = 50;
const MAX_VALIDATORS = 20;
const MAX_FILTER_VALUES = 200;

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

const httpsUrl = z.string().superRefine((value, ctx) => {
  const result = checkTargetUrl(value);
  if ('error' in result) ctx.addIssue({ code: 'custom', message: result.error });
});

const nonEmptyString = (what: string, max = 500) =>
  z.string().trim().min(1, `${what} must not be empty`).max(max, `${what} must be at most ${max} characters`);

const definitionSchema = z.object({
  name: z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .regex(NAME_PATTERN, 'may contain only letters, digits, spaces, "-" and "_"'),
  status: z.enum(WEBHOOK_STATUSES),
  method: z.enum(HTTP_METHODS),
  url: z.string({ error: 'is required' }).pipe(httpsUrl),
  bodyTemplate: z
    .string({ error: 'is required' })
    .max(MAX_TEMPLATE_LENGTH, `must be at most ${MAX_TEMPLATE_LENGTH} characters`),
  headers: z
    .array(
      z.object({
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
        value: z
          .string()
          .max(8192, 'must be at most 8192 characters')
          .refine((v) => !/[\r\n\0]/.test(v), 'must not contain CR, LF or NUL characters')
          .optional(),
      }),
    )
    .max(MAX_HEADERS, `at most ${MAX_HEADERS} headers`),
  oauth: z
    .object({
      clientId: nonEmptyString('client id'),
      clientSecret: z.string().min(1, 'must not be empty').max(4096).optional(),
      tokenEndpointUrl: z.string().pipe(httpsUrl),
      scopes: z.array(z.string().trim().regex(/^\S+$/, 'must be one non-empty word without spaces')).max(50),
    })
    .nullable(),
  triggers: z.array(z.enum(TRIGGERS)).min(1, 'must name at least one trigger'),
  filters: z.object(
    Object.fromEntries(
      FILTER_DIMENSIONS.map((d) => [d, z.array(nonEmptyString('a filter value')).max(MAX_FILTER_VALUES)]),
    ) as Record<FilterDimension, z.ZodArray<z.ZodString>>,
  ),
  timeoutSeconds: z
    .number()
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1 second')
    .max(MAX_TIMEOUT_SECONDS, `must be at most ${MAX_TIMEOUT_SECONDS} seconds`),
  responseValidators: z
    .array(
      z.object({
        jsonPath: z
          .string()
          .trim()
          .refine((p) => p.startsWith('$.data.') || p.startsWith('$.data['), 'must start with $.data.')
          .refine((p) => JSON_PATH_PATTERN.test(p), 'is not a JSON path this server can evaluate'),
        expectedValues: z.array(z.string().max(1000)).min(1, 'must list at least one expected value'),
      }),
    )
    .max(MAX_VALIDATORS, `at most ${MAX_VALIDATORS} validators`),
  customValidationErrorMessage: z.string().trim().max(500, 'must be at most 500 characters').nullable(),
});

/** Fills defaults the way the API documents them; null means "none" for lists and optional parts. */
function withDefaults(input: WebhookDefinitionInput): Record<string, unknown> {
  const filters = emptyFilters();
  for (const d of FILTER_DIMENSIONS) filters[d] = input.filters?.[d] ?? [];
  return {
    name: input.name ?? undefined,
    status: input.status ?? 'ACTIVE',
    method: input.method ?? 'POST',
    url: input.url ?? undefined,
    bodyTemplate: input.bodyTemplate ?? undefined,
    headers: (input.headers ?? []).map((h) => ({ name: h.name, value: h.value ?? undefined })),
    oauth: input.oauth
      ? {
          clientId: input.oauth.clientId,
          clientSecret: input.oauth.clientSecret ?? undefined,
          tokenEndpointUrl: input.oauth.tokenEndpointUrl,
          scopes: input.oauth.scopes ?? [],
        }
      : null,
    triggers: input.triggers ?? undefined,
    filters,
    timeoutSeconds: input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    responseValidators: input.responseValidators ?? [],
    customValidationErrorMessage: input.customValidationErrorMessage ?? null,
  };
}

/**
 * Validates a whole definition: structure, then the cross-field rules, then the body template
 * rendered against every trigger's sample event. Every problem is reported, each with its path.
 */
export async function validateDefinition(
  input: WebhookDefinitionInput,
): Promise<{ ok: true; value: ValidDefinition } | { ok: false; error: ValidationError }> {
  const candidate = withDefaults(input);
  const parsed = definitionSchema.safeParse(candidate);
  const errors: FieldError[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        path: issue.path.map(String),
        message: issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message,
      }));
  if (!parsed.success) {
    // Report a broken template together with the structural problems, not one round-trip later.
    const template = candidate.bodyTemplate;
    if (
      typeof template === 'string' &&
      template.trim() &&
      !errors.some((e) => e.path[0] === 'bodyTemplate')
    ) {
      const problem = await templateProblem(template);
      if (problem) errors.push({ path: ['bodyTemplate'], message: problem });
    }
    return { ok: false, error: new ValidationError(errors) };
  }

  const def = parsed.data as ValidDefinition;
  def.triggers = [...new Set(def.triggers)];
  for (const d of FILTER_DIMENSIONS) {
    const values = d === 'requesterEmails' ? def.filters[d].map((v) => v.toLowerCase()) : def.filters[d];
    def.filters[d] = [...new Set(values)];
  }
  def.url = (checkTargetUrl(def.url) as { url: string }).url;
  if (def.oauth)
    def.oauth.tokenEndpointUrl = (checkTargetUrl(def.oauth.tokenEndpointUrl) as { url: string }).url;
  if (def.customValidationErrorMessage === '') def.customValidationErrorMessage = null;

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
    const problem = await templateProblem(def.bodyTemplate);
    if (problem) errors.push({ path: ['bodyTemplate'], message: problem });
  }

  return errors.length ? { ok: false, error: new ValidationError(errors) } : { ok: true, value: def };
}

async function templateProblem(template: string): Promise<string | null> {
  for (const trigger of TRIGGERS) {
    try {
      await renderBody(template, sampleEvent(trigger));
    } catch (err) {
      if (err instanceof TemplateError) return `${err.message} (rendering the ${trigger} sample event)`;
      throw err;
    }
  }
  return null;
}

import { FILTER_DIMENSIONS, type Filters, TRIGGERS } from './enums.js';
import type {
  ConsoleWebhookFragment,
  ConsoleWebhookPresetsQuery,
  CreateWebhookInput,
  HttpMethod,
  WebhookTrigger,
} from './gql/graphql.js';

/**
 * The add/edit form's state and its mapping to the API's inputs. Secrets are write-only: a header or
 * client secret the API returned masked is kept as `stored` (shown as a placeholder), and is sent only
 * when retyped; sent without a value, the server keeps what it has.
 */

export interface HeaderRow {
  key: number;
  name: string;
  /** What the user typed; '' with a stored value means "keep the stored one". */
  value: string;
  /** The masked value the API returned (e.g. "••••3456"), for rows that exist on the server. */
  stored: string | null;
  /** From a preset: the pattern of the value to type, e.g. "Basic {jira-credentials}". */
  hint?: string;
}

export interface ValidatorRow {
  key: number;
  jsonPath: string;
  expectedValues: string[];
}

export interface FormState {
  name: string;
  description: string;
  active: boolean;
  method: HttpMethod;
  url: string;
  bodyTemplate: string;
  headers: HeaderRow[];
  auth: 'NONE' | 'OAUTH';
  oauthClientId: string;
  oauthClientSecret: string;
  oauthStoredSecret: string | null;
  oauthTokenUrl: string;
  oauthScopes: string[];
  triggers: WebhookTrigger[];
  filters: Filters;
  timeout: string;
  validators: ValidatorRow[];
  customMessage: string;
  /** What the preset the form started from leaves to fill in (its {name} tokens); [] otherwise. */
  placeholders: Placeholder[];
}

export type Preset = ConsoleWebhookPresetsQuery['webhookPresets'][number];
export type Placeholder = Preset['placeholders'][number];

let nextKey = 1;
export const rowKey = () => nextKey++;

export const DEFAULT_TEMPLATE = `{
  "event": "{{ event_type }}",
  "request": "{{ data.friendly_id }}",
  "requester": "{{ data.requester.name }}",
  "justification": "{{ data.justification }}"
}`;

export function emptyFilters(): Filters {
  return Object.fromEntries(FILTER_DIMENSIONS.map(([d]) => [d, []])) as unknown as Filters;
}

export function newForm(): FormState {
  return {
    name: '',
    description: '',
    active: true,
    method: 'POST',
    url: '',
    bodyTemplate: DEFAULT_TEMPLATE,
    headers: [],
    auth: 'NONE',
    oauthClientId: '',
    oauthClientSecret: '',
    oauthStoredSecret: null,
    oauthTokenUrl: '',
    oauthScopes: [],
    triggers: ['REQUEST_CREATED'],
    filters: emptyFilters(),
    timeout: '30',
    validators: [],
    customMessage: '',
    placeholders: [],
  };
}

export function formFromWebhook(w: ConsoleWebhookFragment): FormState {
  const filters = emptyFilters();
  for (const [d] of FILTER_DIMENSIONS) filters[d] = [...w.filters[d]];
  return {
    name: w.name,
    description: w.description ?? '',
    active: w.status === 'ACTIVE',
    method: w.method,
    url: w.url,
    bodyTemplate: w.bodyTemplate,
    headers: w.headers.map((h) => ({ key: rowKey(), name: h.name, value: '', stored: h.value })),
    auth: w.oauth ? 'OAUTH' : 'NONE',
    oauthClientId: w.oauth?.clientId ?? '',
    oauthClientSecret: '',
    oauthStoredSecret: w.oauth?.clientSecret ?? null,
    oauthTokenUrl: w.oauth?.tokenEndpointUrl ?? '',
    oauthScopes: [...(w.oauth?.scopes ?? [])],
    triggers: TRIGGERS.filter((t) => w.triggers.includes(t)),
    filters,
    timeout: String(w.timeoutSeconds),
    validators: w.responseValidators.map((v) => ({
      key: rowKey(),
      jsonPath: v.jsonPath,
      expectedValues: [...v.expectedValues],
    })),
    customMessage: w.customValidationErrorMessage ?? '',
    placeholders: [],
  };
}

/** `{name}` as it stands in a preset's URL, header values and body. */
export const token = (p: Placeholder) => `{${p.name}}`;

/**
 * A new webhook's form filled from a preset: its definition as it is, placeholders and all, except
 * header values that hold a placeholder (credentials): those start empty, their pattern as a hint.
 */
export function formFromPreset(preset: Preset): FormState {
  const d = preset.definition;
  const holdsPlaceholder = (text: string) => preset.placeholders.some((p) => text.includes(token(p)));
  return {
    ...newForm(),
    name: d.name,
    description: d.description,
    method: d.method,
    url: d.url,
    bodyTemplate: d.bodyTemplate,
    headers: d.headers.map((h) =>
      holdsPlaceholder(h.value)
        ? { key: rowKey(), name: h.name, value: '', stored: null, hint: h.value }
        : { key: rowKey(), name: h.name, value: h.value, stored: null },
    ),
    triggers: TRIGGERS.filter((t) => d.triggers.includes(t)),
    timeout: String(d.timeoutSeconds),
    validators: d.responseValidators.map((v) => ({
      key: rowKey(),
      jsonPath: v.jsonPath,
      expectedValues: [...v.expectedValues],
    })),
    customMessage: d.customValidationErrorMessage ?? '',
    placeholders: preset.placeholders,
  };
}

/** Where a preset's placeholder still waits in the form: "url", "headers.1.value", "bodyTemplate". */
export function placeholderFields(form: FormState, p: Placeholder): string[] {
  const t = token(p);
  const fields: string[] = [];
  if (form.url.includes(t)) fields.push('url');
  form.headers.forEach((h, i) => {
    if (h.value.includes(t) || (h.value === '' && h.stored === null && h.hint?.includes(t)))
      fields.push(`headers.${i}.value`);
  });
  if (form.bodyTemplate.includes(t)) fields.push('bodyTemplate');
  return fields;
}

/** The preset's placeholders not filled in yet, as errors on the fields that still hold them. */
export function unfilledPlaceholders(form: FormState): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const p of form.placeholders) {
    const what = `${p.label}${p.secret ? '' : `, e.g. ${p.example}`}`;
    for (const field of placeholderFields(form, p)) {
      const hint = field.startsWith('headers.') ? form.headers[Number(field.split('.')[1])]?.hint : undefined;
      const message = hint ? `type its value: ${hint} (${what})` : `replace ${token(p)}: ${what}`;
      errors[field] = errors[field] ? `${errors[field]}; ${message}` : message;
    }
  }
  return errors;
}

/** Problems the API could not even receive (GraphQL's Int would refuse the whole request). */
export function localErrors(form: FormState): Record<string, string> {
  const errors: Record<string, string> = {};
  const timeout = form.timeout.trim();
  if (timeout !== '' && !/^\d+$/.test(timeout)) errors.timeoutSeconds = 'must be a whole number of seconds';
  return errors;
}

/** The definition as CreateWebhookInput / UpdateWebhookInput (the same shape; null clears on update). */
export function toInput(form: FormState): CreateWebhookInput {
  const timeout = form.timeout.trim();
  return {
    name: form.name,
    // Blank clears it (the server stores no empty description).
    description: form.description.trim() === '' ? null : form.description,
    status: form.active ? 'ACTIVE' : 'INACTIVE',
    method: form.method,
    url: form.url.trim(),
    bodyTemplate: form.bodyTemplate,
    headers: form.headers.map((h) =>
      h.stored !== null && h.value === '' ? { name: h.name.trim() } : { name: h.name.trim(), value: h.value },
    ),
    oauth:
      form.auth === 'OAUTH'
        ? {
            clientId: form.oauthClientId,
            ...(form.oauthClientSecret !== '' || form.oauthStoredSecret === null
              ? { clientSecret: form.oauthClientSecret }
              : {}),
            tokenEndpointUrl: form.oauthTokenUrl.trim(),
            scopes: form.oauthScopes,
          }
        : null,
    triggers: form.triggers,
    filters: form.filters,
    timeoutSeconds: timeout === '' ? null : Number(timeout),
    responseValidators: form.validators.map((v) => ({
      jsonPath: v.jsonPath.trim(),
      expectedValues: v.expectedValues,
    })),
    customValidationErrorMessage: form.customMessage.trim() === '' ? null : form.customMessage,
  };
}

/**
 * The definition a preview runs: the form as it stands, without headers and OAuth. A preview sends
 * nothing, so they play no part, and stored secrets (which never come back) need not be retyped.
 */
export function previewInput(form: FormState): CreateWebhookInput {
  return { ...toInput(form), headers: [], oauth: null };
}

/**
 * Stored secrets never come back from the server, so a test of unsaved changes (sent as a whole
 * definition) cannot use them: these fields must be retyped first.
 */
export function keptSecrets(form: FormState): Record<string, string> {
  const message = 'retype it to test unsaved changes (stored secrets never leave the server), or save first';
  const errors: Record<string, string> = {};
  form.headers.forEach((h, i) => {
    if (h.stored !== null && h.value === '') errors[`headers.${i}.value`] = message;
  });
  if (form.auth === 'OAUTH' && form.oauthStoredSecret !== null && form.oauthClientSecret === '') {
    errors['oauth.clientSecret'] = message;
  }
  return errors;
}

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  status: 'Status',
  method: 'Method',
  url: 'URL',
  bodyTemplate: 'Body template',
  headers: 'Headers',
  oauth: 'OAuth',
  'oauth.clientId': 'OAuth client id',
  'oauth.clientSecret': 'OAuth client secret',
  'oauth.tokenEndpointUrl': 'OAuth token URL',
  'oauth.scopes': 'OAuth scopes',
  triggers: 'Triggers',
  filters: 'Filters',
  timeoutSeconds: 'Timeout',
  responseValidators: 'Response validators',
  customValidationErrorMessage: 'Custom validation message',
  id: 'Webhook',
  _form: 'Webhook',
};

/** "headers.1.value" → "Header 2 value", for the error summary. */
export function fieldLabel(key: string): string {
  const known = FIELD_LABELS[key];
  if (known) return known;
  const [head, index, tail] = key.split('.');
  if (head === 'headers' && index !== undefined) return `Header ${Number(index) + 1} ${tail ?? ''}`.trim();
  if (head === 'responseValidators' && index !== undefined) {
    return `Validator ${Number(index) + 1} ${tail === 'jsonPath' ? 'JSON path' : tail === 'expectedValues' ? 'expected values' : ''}`.trim();
  }
  if (head === 'filters' && index !== undefined) {
    return `${FILTER_DIMENSIONS.find(([d]) => d === index)?.[1] ?? index} filter`;
  }
  if (head === 'oauth.scopes' || (head === 'oauth' && index === 'scopes')) return 'OAuth scopes';
  if (head === 'triggers') return 'Triggers';
  return key;
}

import type { Trigger } from './event.js';
import type { HttpMethod, ResponseValidator, WebhookDefinitionInput } from './webhook.js';

/**
 * Webhook presets: ready-made definitions for the tools admins connect most (Slack, Jira, PagerDuty,
 * …), served by the `webhookPresets` query and offered by the console's "Start from a template".
 *
 * A preset's definition is a CreateWebhookInput without secrets. What only the admin knows (their
 * Jira site, an API token) is written as a placeholder, `{name}`, in the URL, a header value or the
 * body template, and described in the preset's `placeholders`; filling each one with a value gives
 * a definition createWebhook accepts (test/domain/presets.test.ts fills them with their examples).
 */

/** Something to fill in: `{name}` in the URL, a header value or the body template. */
export interface PresetPlaceholder {
  /** The token without braces: lower-case letters, digits and "-", starting with a letter. */
  name: string;
  /** A short label, e.g. "Jira site". */
  label: string;
  /** What it is and where the admin finds it, in plain words. */
  description: string;
  /** An example value, of the right shape (never a real secret). */
  example: string;
  /** Whether the value is a credential (a token, a key, a URL with a signature in it). */
  secret: boolean;
}

/** A header of a preset: its value, or the pattern of it with placeholders to fill in. */
export interface PresetHeader {
  name: string;
  value: string;
}

/** The definition a preset starts from: CreateWebhookInput's fields, minus secrets, filters and tuning. */
export interface PresetDefinition {
  /** A suggested webhook name (names are unique in an account: the admin may change it). */
  name: string;
  description: string;
  method: HttpMethod;
  /** The URL, with placeholders; once they are filled it is an https URL on port 443. */
  url: string;
  headers: PresetHeader[];
  bodyTemplate: string;
  triggers: Trigger[];
  timeoutSeconds: number;
  responseValidators: ResponseValidator[];
  customValidationErrorMessage: string | null;
}

export interface WebhookPreset {
  /** Stable, kebab-case: slack, jira, … */
  id: string;
  /** The tool, as its vendor writes it. */
  name: string;
  description: string;
  /** The vendor's official page for the API the preset calls. */
  docsUrl: string;
  placeholders: PresetPlaceholder[];
  definition: PresetDefinition;
}

export const PLACEHOLDER_NAME = /^[a-z][a-z0-9-]*$/;
const PLACEHOLDER_TOKEN = /\{([a-z][a-z0-9-]*)\}/g;

/** The names of the placeholder tokens in a text, in order, each once (`{{ x }}` Liquid outputs are not tokens). */
export function placeholderNames(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER_TOKEN)) {
    const before = text[(m.index ?? 0) - 1];
    const after = text[(m.index ?? 0) + m[0].length];
    if (before === '{' || after === '}') continue;
    names.add(m[1] as string);
  }
  return [...names];
}

/** Replaces each `{name}` of `values` in a text; other text, Liquid tags included, stays as it is. */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER_TOKEN, (token, name: string, offset: number) => {
    const value = values[name];
    if (value === undefined || text[offset - 1] === '{' || text[offset + token.length] === '}') return token;
    return value;
  });
}

/** The preset's definition as a createWebhook input, each placeholder replaced by its value. */
export function presetInput(
  preset: WebhookPreset,
  values: Readonly<Record<string, string>>,
): WebhookDefinitionInput {
  const d = preset.definition;
  return {
    name: d.name,
    description: d.description,
    method: d.method,
    url: fillPlaceholders(d.url, values),
    headers: d.headers.map((h) => ({ name: h.name, value: fillPlaceholders(h.value, values) })),
    bodyTemplate: fillPlaceholders(d.bodyTemplate, values),
    triggers: [...d.triggers],
    timeoutSeconds: d.timeoutSeconds,
    responseValidators: d.responseValidators.map((v) => ({ ...v, expectedValues: [...v.expectedValues] })),
    customValidationErrorMessage: d.customValidationErrorMessage,
  };
}

/** Every placeholder filled with its example value. */
export function exampleValues(preset: WebhookPreset): Record<string, string> {
  return Object.fromEntries(preset.placeholders.map((p) => [p.name, p.example]));
}

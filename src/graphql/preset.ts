import type { PresetDefinition, PresetHeader, PresetPlaceholder, WebhookPreset } from '../domain/preset.js';
import { WEBHOOK_PRESETS } from '../domain/presets/index.js';
import { builder } from './builder.js';
import { HttpMethodEnum, WebhookTriggerEnum } from './enums.js';
import { ResponseValidator } from './webhook.js';

const PresetPlaceholderRef = builder.objectRef<PresetPlaceholder>('WebhookPresetPlaceholder').implement({
  description:
    "A value only the admin knows, written {name} in the preset's url, a header value or the body template: replace every {name} with it",
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'The token between the braces, e.g. jira-site for {jira-site}',
    }),
    label: t.exposeString('label', { description: 'A short label for it, e.g. "Jira site"' }),
    description: t.exposeString('description', {
      description: 'What it is, where it goes and where to find it, in plain words',
    }),
    example: t.exposeString('example', {
      description: 'An example value of the right shape (never a real credential)',
    }),
    secret: t.exposeBoolean('secret', {
      description: 'Whether the value is a credential: a token, a key, or a URL that carries a signature',
    }),
  }),
});

const PresetHeaderRef = builder.objectRef<PresetHeader>('WebhookPresetHeader').implement({
  description: 'A header the tool expects',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The header name' }),
    value: t.exposeString('value', {
      description:
        'Its value, or the pattern of it with {placeholders} to fill in, e.g. "Basic {jira-credentials}" (no secret is ever part of a preset)',
    }),
  }),
});

const PresetDefinitionRef = builder.objectRef<PresetDefinition>('WebhookPresetDefinition').implement({
  description:
    "A webhook definition to start from: CreateWebhookInput's fields without secrets, its {placeholders} still to fill in (see WebhookPreset.placeholders). Filled in, it is a valid createWebhook input",
  fields: (t) => ({
    name: t.exposeString('name', {
      description: 'A suggested name (names are unique in an account: change it for a second webhook)',
    }),
    description: t.exposeString('description', { description: 'A suggested description' }),
    method: t.expose('method', { type: HttpMethodEnum, description: 'The HTTP method the tool expects' }),
    url: t.exposeString('url', {
      description:
        'The URL pattern, e.g. https://{jira-site}.atlassian.net/rest/api/3/issue; once its placeholders are filled it is an https URL on port 443',
    }),
    headers: t.field({
      type: [PresetHeaderRef],
      description: 'The headers the tool expects, values to fill in where they are credentials',
      resolve: (d) => d.headers,
    }),
    bodyTemplate: t.exposeString('bodyTemplate', {
      description:
        "The Liquid body template, in the tool's format; it renders valid JSON for every trigger's sample event",
    }),
    triggers: t.expose('triggers', {
      type: [WebhookTriggerEnum],
      description: 'The triggers the tool is useful for',
    }),
    timeoutSeconds: t.exposeInt('timeoutSeconds', {
      description: 'Seconds an attempt waits for the complete response',
    }),
    responseValidators: t.field({
      type: [ResponseValidator],
      description:
        "Checks of the tool's JSON answer that prove success (empty: the tool answers no JSON that proves more than its 2xx)",
      resolve: (d) => d.responseValidators,
    }),
    customValidationErrorMessage: t.exposeString('customValidationErrorMessage', {
      nullable: true,
      description: "The attempt's error message when a validator fails (null: the server's message)",
    }),
  }),
});

const WebhookPresetRef = builder.objectRef<WebhookPreset>('WebhookPreset').implement({
  description:
    'A ready-made webhook for a tool admins connect often (Slack, Jira, PagerDuty, …): fill in its placeholders and create it',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable, kebab-case, e.g. slack or servicenow' }),
    name: t.exposeString('name', { description: 'The tool, as its vendor writes it' }),
    description: t.exposeString('description', { description: 'What the webhook does in the tool' }),
    docsUrl: t.exposeString('docsUrl', {
      description: "The vendor's official documentation of the API the preset calls",
    }),
    placeholders: t.field({
      type: [PresetPlaceholderRef],
      description: 'What to fill in, in the order it appears: the URL, then the headers, then the body',
      resolve: (p) => p.placeholders,
    }),
    definition: t.field({
      type: PresetDefinitionRef,
      description: 'The definition to start from',
      resolve: (p) => p.definition,
    }),
  }),
});

builder.queryFields((t) => ({
  webhookPresets: t.field({
    type: [WebhookPresetRef],
    description:
      'Ready-made webhooks for common tools, the same for every account: the gallery of "Start from a template"',
    resolve: () => [...WEBHOOK_PRESETS],
  }),
}));

import { TRIGGERS } from '../event.js';
import type { WebhookPreset } from '../preset.js';
import { ACCESS_LIST, HEADLINE, INTEGRATIONS } from './liquid.js';

// Datadog's log intake answers 202 with an empty JSON object: nothing to validate beyond the 2xx.
// usr.* and evt.* are Datadog's standard attributes, so the logs facet with other sources.
export const datadog: WebhookPreset = {
  id: 'datadog',
  name: 'Datadog',
  description:
    "Sends every access-request event to Datadog Logs (HTTP intake, v2) as a structured log: Datadog's standard user and event attributes, the request and its access.",
  docsUrl: 'https://docs.datadoghq.com/api/latest/logs/#send-logs',
  placeholders: [
    {
      name: 'datadog-site',
      label: 'Datadog site',
      description:
        'Your Datadog site as the intake names it: datadoghq.com (US1), us3.datadoghq.com, us5.datadoghq.com, datadoghq.eu, ap1.datadoghq.com, ap2.datadoghq.com, uk1.datadoghq.com or ddog-gov.com.',
      example: 'datadoghq.com',
      secret: false,
    },
    {
      name: 'datadog-api-key',
      label: 'Datadog API key',
      description:
        'In the DD-API-KEY header: an API key of your organization (Organization Settings → API Keys); an application key is not needed to send logs.',
      example: '0123456789abcdef0123456789abcdef',
      secret: true,
    },
  ],
  definition: {
    name: 'Datadog access logs',
    description: 'Logs every access-request event in Datadog',
    method: 'POST',
    url: 'https://http-intake.logs.{datadog-site}/api/v2/logs',
    headers: [{ name: 'DD-API-KEY', value: '{datadog-api-key}' }],
    bodyTemplate: `[
  {
    "ddsource": "access-webhooks",
    "service": "access-requests",
    "hostname": "access-webhooks",
    "ddtags": "event_type:{{ event_type | downcase }},access_flow:{{ data.access_flow.id }}",
    "status": "{% if event_type == 'RequestFailed' %}error{% elsif event_type == 'RequestRejected' %}warn{% else %}info{% endif %}",
    "message": "${HEADLINE} {{ data.friendly_id }}: {{ data.requester.email }} asks for ${ACCESS_LIST}",
    "evt": { "name": "{{ event_type }}" },
    "usr": { "id": "{{ data.requester.id }}", "name": "{{ data.requester.name }}", "email": "{{ data.requester.email }}" },
    "access_request": {
      "id": "{{ data.id }}",
      "friendly_id": "{{ data.friendly_id }}",
      "access_flow": "{{ data.access_flow.name }}",
      "integrations": "${INTEGRATIONS}",
      "justification": "{{ data.justification }}",
      "duration_seconds": {{ data.access_duration_in_seconds | json }},
      "approvals": {{ data.approvals | json }}
    }
  }
]`,
    // All six triggers.
    triggers: [...TRIGGERS],
    timeoutSeconds: 30,
    responseValidators: [],
    customValidationErrorMessage: null,
  },
};

import { TRIGGERS } from '../event.js';
import type { WebhookPreset } from '../preset.js';

// The flow's API Endpoint card reads these body fields by name (flat keys are the easiest to map).
// Its answer is whatever the flow returns, so there is no fixed value to validate.
export const oktaWorkflows: WebhookPreset = {
  id: 'okta-workflows',
  name: 'Okta Workflows',
  description:
    "Starts an Okta Workflows flow (an API Endpoint flow secured with a client token) for each event, with flat fields the flow's API Endpoint card can read, the grantee's Okta user id among them.",
  docsUrl: 'https://help.okta.com/wf/en-us/content/topics/workflows/execute/flow-api-endpoint.htm',
  placeholders: [
    {
      name: 'okta-workflows-host',
      label: 'Workflows host',
      description:
        'The host of your Okta Workflows org, as in the Invoke URL of the flow (API Endpoint card → Endpoint settings), e.g. acme.workflows.okta.com.',
      example: 'acme.workflows.okta.com',
      secret: false,
    },
    {
      name: 'okta-flow-alias',
      label: 'Flow alias',
      description: 'The alias (or id) of the flow, the path segment after /api/flo/ in its Invoke URL.',
      example: 'access-request-received',
      secret: false,
    },
    {
      name: 'okta-client-token',
      label: 'Client token',
      description:
        'In the x-api-client-token header: the flow\'s client token (Endpoint settings → "Secure with client token"), sent as a header rather than in the URL.',
      example: '0123456789abcdef0123456789abcdef',
      secret: true,
    },
  ],
  definition: {
    name: 'Okta Workflows access flow',
    description: 'Starts an Okta Workflows flow for access-request events',
    method: 'POST',
    url: 'https://{okta-workflows-host}/api/flo/{okta-flow-alias}/invoke',
    headers: [{ name: 'x-api-client-token', value: '{okta-client-token}' }],
    bodyTemplate: `{
  "event_type": "{{ event_type }}",
  "event_time": {{ event_time | json }},
  "request_id": "{{ data.id }}",
  "friendly_id": "{{ data.friendly_id }}",
  "requester_email": "{{ data.requester.email }}",
  "grantee_okta_id": "{{ data.grantee.source_id }}",
  "grantee_type": "{{ data.grantee.type }}",
  "integration_name": "{{ data.access_groups[0].integration.name }}",
  "resource_type": "{{ data.access_groups[0].resource_types[0].name }}",
  "resource_name": "{{ data.access_groups[0].access_units[0].resource.name }}",
  "permission": "{{ data.access_groups[0].access_units[0].permission.name }}",
  "access_duration_in_seconds": {{ data.access_duration_in_seconds | json }},
  "justification": "{{ data.justification }}"
}`,
    // All six triggers.
    triggers: [...TRIGGERS],
    // A flow answers once it has run: allow for a few cards' worth of work.
    timeoutSeconds: 60,
    responseValidators: [],
    customValidationErrorMessage: null,
  },
};

import type { WebhookPreset } from '../preset.js';
import { ACCESS_LIST, EVENT_TIME_ISO, HEADLINE, INTEGRATIONS } from './liquid.js';

// One alert per request (dedup_key): a new request pages whoever approves, its approval or
// rejection resolves that alert, and a failed grant opens it again as an error. The Events API
// answers 202 {"status": "success", "message": "Event processed", "dedup_key": …}.
export const pagerduty: WebhookPreset = {
  id: 'pagerduty',
  name: 'PagerDuty',
  description:
    'Pages on-call approvers through the PagerDuty Events API v2: a new request triggers an alert, approving or rejecting it resolves the alert, and a failed grant triggers it again as an error.',
  docsUrl: 'https://developer.pagerduty.com/docs/events-api-v2/trigger-events/',
  placeholders: [
    {
      name: 'pagerduty-routing-key',
      label: 'Integration key',
      description:
        'In the body template: the Integration Key of an "Events API V2" integration on the PagerDuty service (Service → Integrations). PagerDuty takes it in the body, so it is stored with the template, readable by VIEWER keys.',
      example: 'R0123456789ABCDEF0123456789ABCDE',
      secret: true,
    },
  ],
  definition: {
    name: 'PagerDuty access approvals',
    description: 'Pages approvers about access requests; resolves when they are decided',
    method: 'POST',
    url: 'https://events.pagerduty.com/v2/enqueue',
    headers: [],
    bodyTemplate: `{
  "routing_key": "{pagerduty-routing-key}",
  "event_action": "{% if event_type == 'RequestCreated' or event_type == 'RequestFailed' %}trigger{% else %}resolve{% endif %}",
  "dedup_key": "access-request-{{ data.id }}",
  "payload": {
    "summary": "${HEADLINE} {{ data.friendly_id }}: {{ data.requester.name }} asks for ${ACCESS_LIST}",
    "source": "{{ data.access_groups[0].integration.name | default: 'access-webhooks' }}",
    "severity": "{% if event_type == 'RequestFailed' %}error{% else %}warning{% endif %}",
    "timestamp": "${EVENT_TIME_ISO}",
    "component": "{{ data.access_flow.name }}",
    "group": "access-requests",
    "class": "{{ event_type }}",
    "custom_details": {
      "request": "{{ data.friendly_id }}",
      "requester": "{{ data.requester.name }} <{{ data.requester.email }}>",
      "integrations": "${INTEGRATIONS}",
      "justification": "{{ data.justification }}"
    }
  },
  "client": "Access requests"
}`,
    triggers: ['RequestCreated', 'RequestApproved', 'RequestRejected', 'RequestFailed'],
    timeoutSeconds: 30,
    responseValidators: [{ jsonPath: '$.data.status', expectedValues: ['success'] }],
    customValidationErrorMessage: null,
  },
};

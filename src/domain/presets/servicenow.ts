import type { WebhookPreset } from '../preset.js';
import { ACCESS_LIST, basicCredentials, DURATION, HEADLINE, INTEGRATIONS } from './liquid.js';

// The Table API answers 201 with the new record under "result", every field as text: its class
// name proves an incident was made (and not, say, a record of a table a typo named).
export const servicenow: WebhookPreset = {
  id: 'servicenow',
  name: 'ServiceNow',
  description:
    'Opens a ServiceNow incident for access requests that need attention (Table API, incident table), correlated by request id; a failed grant gets a higher urgency.',
  docsUrl: 'https://developer.servicenow.com/dev.do#!/reference/api/latest/rest/c_TableAPI',
  placeholders: [
    {
      name: 'servicenow-instance',
      label: 'ServiceNow instance',
      description: 'The name of your instance: the part before .service-now.com in its address.',
      example: 'acme',
      secret: false,
    },
    {
      name: 'servicenow-credentials',
      label: 'ServiceNow credentials',
      description: `In the Authorization header: ${basicCredentials('user', 'password')}, of an integration user with the itil role (or use OAuth under Authentication instead, and remove the header).`,
      example: 'aW50ZWdyYXRpb246ZXhhbXBsZS1wYXNzd29yZA==',
      secret: true,
    },
  ],
  definition: {
    name: 'ServiceNow access incidents',
    description: 'Opens a ServiceNow incident for access requests',
    method: 'POST',
    url: 'https://{servicenow-instance}.service-now.com/api/now/table/incident',
    headers: [
      { name: 'Authorization', value: 'Basic {servicenow-credentials}' },
      { name: 'Accept', value: 'application/json' },
    ],
    bodyTemplate: `{
  "short_description": "${HEADLINE} {{ data.friendly_id }}: {{ data.requester.name }} on ${INTEGRATIONS}",
  "description": "{{ data.requester.name }} ({{ data.requester.email }}) asked for ${ACCESS_LIST}, ${DURATION}, through {{ data.access_flow.name }}.\\n\\nJustification: {{ data.justification }}",
  "category": "inquiry",
  "impact": "3",
  "urgency": "{% if event_type == 'RequestFailed' %}2{% else %}3{% endif %}",
  "correlation_id": "{{ data.id }}",
  "correlation_display": "Access request {{ data.friendly_id }}"
}`,
    triggers: ['RequestCreated', 'RequestFailed'],
    timeoutSeconds: 30,
    responseValidators: [{ jsonPath: '$.data.result.sys_class_name', expectedValues: ['incident'] }],
    customValidationErrorMessage: null,
  },
};

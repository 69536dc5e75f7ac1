import type { WebhookPreset } from '../preset.js';
import { basicCredentials, DURATION, INTEGRATIONS } from './liquid.js';

/** Text people typed, HTML-escaped for the ticket's HTML description (the renderer then JSON-escapes it). */
const html = (path: string) => `{{ ${path} | escape | newline_to_br }}`;

// Freshdesk answers 201 with the new ticket; its status is the one sent (2: Open).
export const freshdesk: WebhookPreset = {
  id: 'freshdesk',
  name: 'Freshdesk',
  description:
    'Opens a Freshdesk ticket for each new access request (API v2, create a ticket), on behalf of the requester, with the access asked for and the justification.',
  docsUrl: 'https://developers.freshdesk.com/api/#create_ticket',
  placeholders: [
    {
      name: 'freshdesk-domain',
      label: 'Freshdesk domain',
      description: 'Your helpdesk: the part before .freshdesk.com in its address.',
      example: 'acme',
      secret: false,
    },
    {
      name: 'freshdesk-credentials',
      label: 'Freshdesk credentials',
      description: `In the Authorization header: ${basicCredentials('api-key', 'X')}, with the API key from your Freshdesk profile settings (the password part is any letter, e.g. X).`,
      example: 'YWJjZGVmZ2hpamtsbW5vcHFyc3Q6WA==',
      secret: true,
    },
  ],
  definition: {
    name: 'Freshdesk access tickets',
    description: 'Opens a Freshdesk ticket for each new access request',
    method: 'POST',
    url: 'https://{freshdesk-domain}.freshdesk.com/api/v2/tickets',
    headers: [{ name: 'Authorization', value: 'Basic {freshdesk-credentials}' }],
    bodyTemplate: `{
  "email": "{{ data.requester.email }}",
  "name": "{{ data.requester.name }}",
  "subject": "Access request {{ data.friendly_id }} on ${INTEGRATIONS}",
  "description": "<p>${html('data.requester.name')} asks for access, ${DURATION}, through ${html('data.access_flow.name')}:</p><ul>{% for g in data.access_groups %}{% for u in g.access_units %}<li>${html('u.resource.path')} (${html('u.permission.name')})</li>{% endfor %}{% endfor %}</ul><p>${html('data.justification')}</p>",
  "status": 2,
  "priority": 1,
  "source": 2,
  "tags": ["access-request"]
}`,
    triggers: ['RequestCreated'],
    timeoutSeconds: 30,
    responseValidators: [{ jsonPath: '$.data.status', expectedValues: ['2'] }],
    customValidationErrorMessage: null,
  },
};

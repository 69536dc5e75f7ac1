import { TRIGGERS } from '../event.js';
import type { WebhookPreset } from '../preset.js';

// The whole event, as producers published it: a receiver of your own reads the documented payload.
export const genericJson: WebhookPreset = {
  id: 'generic-json',
  name: 'Generic JSON',
  description:
    'Sends the whole event (event_type, event_time and data, as in the payload schema) to an endpoint of your own. Verify the Standard Webhooks signature headers there.',
  docsUrl: 'https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md',
  placeholders: [
    {
      name: 'receiver-host',
      label: 'Receiver host',
      description:
        'The host name of your endpoint, e.g. hooks.example.com; change the path after it as your endpoint needs. It must answer on https, port 443.',
      example: 'hooks.example.com',
      secret: false,
    },
  ],
  definition: {
    name: 'Access events',
    description: 'Sends every access-request event as JSON',
    method: 'POST',
    url: 'https://{receiver-host}/webhooks/access-requests',
    headers: [],
    bodyTemplate: `{
  "event_type": "{{ event_type }}",
  "event_time": {{ event_time | json }},
  "data": {{ data | json }}
}`,
    // All six triggers.
    triggers: [...TRIGGERS],
    timeoutSeconds: 30,
    responseValidators: [],
    customValidationErrorMessage: null,
  },
};

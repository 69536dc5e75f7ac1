import type { CreateWebhookInput } from '../gql/graphql.js';
import { uniqueName } from './stores.js';

/** A valid CreateWebhookInput with a unique name; override any field. */
export function webhookInput(overrides: Partial<CreateWebhookInput> = {}): CreateWebhookInput {
  return {
    name: uniqueName(),
    url: 'https://hooks.example.com/access',
    bodyTemplate: '{"id": "{{ data.id }}", "who": "{{ data.requester.name }}"}',
    triggers: ['REQUEST_CREATED'],
    ...overrides,
  };
}

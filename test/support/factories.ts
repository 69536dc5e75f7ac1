import { randomBytes } from 'node:crypto';
import { newId } from '../../src/domain/ids.js';
import type { AttemptRecord, Invocation } from '../../src/domain/invocation.js';
import { newSigningSecret, type SecretBox } from '../../src/domain/secrets.js';
import { emptyFilters, type Webhook } from '../../src/domain/webhook.js';
import type { CreateWebhookInput } from '../gql/graphql.js';
import { uniqueAccountId, uniqueName } from './stores.js';

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

/** A valid stored webhook (as stores hold it); secrets are encrypted with `box` for its account. */
export function storedWebhook(box: SecretBox, overrides: Partial<Webhook> = {}): Webhook {
  const accountId = overrides.accountId ?? uniqueAccountId();
  const at = new Date(Date.UTC(2024, 4, 6, 7, 8, 9, 123));
  return {
    id: newId('Webhook'),
    accountId,
    name: uniqueName(),
    description: null,
    status: 'ACTIVE',
    method: 'POST',
    url: 'https://example.com/hook',
    bodyTemplate: '{"id": "{{ data.id }}"}',
    headers: [{ name: 'X-Api-Key', value: box.encrypt(`key-${randomBytes(8).toString('hex')}`, accountId) }],
    oauth: null,
    triggers: ['RequestCreated'],
    filters: emptyFilters(),
    timeoutSeconds: 30,
    responseValidators: [],
    customValidationErrorMessage: null,
    ordering: 'UNORDERED',
    rateLimit: null,
    retrySchedule: null,
    disabledReason: null,
    signingSecrets: { current: box.encrypt(newSigningSecret(), accountId), previous: [] },
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** An attempt as the dispatcher records it: 200 when it succeeded, else `failStatus` (HTTP_STATUS). */
export function attemptRecord(
  at: number,
  durationMs: number,
  success: boolean,
  failStatus = 503,
): AttemptRecord {
  return {
    number: 1,
    startedAt: new Date(at),
    durationMs,
    success,
    request: { method: 'POST', url: 'https://hooks.example.com/a', headers: [], body: '{}' },
    response: { statusCode: success ? 200 : failStatus, headers: [], body: null, bodyTruncated: false },
    error: success ? null : { code: 'HTTP_STATUS', message: `the target answered HTTP ${failStatus}` },
    validatorResults: [],
  };
}

/** A stored fan-out invocation of one event to a webhook: PENDING, due at `createdAt`, unless overridden. */
export function invocationRecord(
  accountId: string,
  webhookId: string,
  overrides: Partial<Invocation> = {},
): Invocation {
  const id = newId('Invocation');
  const eventId = newId('Event');
  const createdAt = overrides.createdAt ?? new Date();
  return {
    id,
    accountId,
    webhookId,
    eventId,
    trigger: 'RequestCreated',
    test: false,
    messageId: id,
    fanoutKey: `${eventId}:${webhookId}`,
    status: 'PENDING',
    attempts: [],
    nextAttemptAt: createdAt,
    leaseOwner: null,
    leaseUntil: null,
    supersededBy: null,
    orderingKey: null,
    waitedFor: null,
    createdAt,
    updatedAt: createdAt,
    completedAt: null,
    ...overrides,
  };
}

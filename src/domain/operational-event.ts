import { z } from 'zod';
import { type FieldError, ValidationError } from './errors.js';
import { newId } from './ids.js';
import type { EncryptedSecret } from './secrets.js';
import {
  checkTargetUrl,
  headerSchema,
  MAX_HEADERS,
  type StoredHeader,
  unreachableAddress,
} from './webhook.js';

/**
 * Operational events: what an account's admins should know about without watching every
 * invocation. Sent live (`Subscription.operationalEvents`), kept for listing (`Query.operationalEvents`),
 * and delivered to the account's operational webhook when it has one.
 *
 * - WEBHOOK_DISABLED: the system deactivated a webhook (410 Gone, or failing for AUTO_DISABLE_AFTER).
 * - WEBHOOK_ENABLED: an admin set a webhook that the system had deactivated back to ACTIVE.
 * - INVOCATION_EXHAUSTED: an invocation failed retryably on its last scheduled attempt, so it is
 *   FAILED with no retry left. A failure that is never retried (a 4xx, a validator, a template
 *   error) is not "exhausted": it ends FAILED on its first attempt, and says so on the invocation.
 */
export const OPERATIONAL_EVENT_TYPES = [
  'WEBHOOK_DISABLED',
  'WEBHOOK_ENABLED',
  'INVOCATION_EXHAUSTED',
] as const;
export type OperationalEventType = (typeof OPERATIONAL_EVENT_TYPES)[number];

export interface OperationalEvent {
  id: string;
  accountId: string;
  type: OperationalEventType;
  webhookId: string;
  /** The invocation that ran out of retries (INVOCATION_EXHAUSTED); null otherwise. */
  invocationId: string | null;
  /** For people: why it happened (the webhook's disabledReason, the last attempt's error, …). */
  reason: string;
  occurredAt: Date;
}

/** Receives the operational events of the system; must not block or throw (a fire-and-forget hook). */
export type OperationalEventSink = (event: OperationalEvent) => void;

export function newOperationalEvent(fields: Omit<OperationalEvent, 'id'>): OperationalEvent {
  return { id: newId('OperationalEvent'), ...fields };
}

/**
 * Where an event stands with the account's operational webhook. NONE: the account had none when
 * it happened. PENDING: due at `nextAttemptAt` (first attempt or a retry). IN_FLIGHT: a process
 * holds it under a lease (an expired lease makes it due again: at-least-once). SUCCEEDED, FAILED:
 * done (FAILED: not retryable, or the retry schedule ran out).
 */
export const OPERATIONAL_DELIVERY_STATUSES = ['NONE', 'PENDING', 'IN_FLIGHT', 'SUCCEEDED', 'FAILED'] as const;
export type OperationalDeliveryStatus = (typeof OPERATIONAL_DELIVERY_STATUSES)[number];

/** An operational event as stored, with its delivery to the operational webhook. */
export interface StoredOperationalEvent extends OperationalEvent {
  delivery: {
    status: OperationalDeliveryStatus;
    attempts: number;
    nextAttemptAt: Date | null;
    leaseOwner: string | null;
    leaseUntil: Date | null;
    /** The last failed attempt's error (never a secret: codes, statuses and guard messages). */
    lastError: string | null;
    deliveredAt: Date | null;
  };
}

/**
 * The account's operational webhook: where its operational events are POSTed, signed with its own
 * Standard Webhooks secret, through the same guarded client as deliveries (https, port 443 only,
 * the SSRF address guard, a timeout). Header values and the secret are encrypted at rest.
 */
export interface OperationalWebhook {
  accountId: string;
  url: string;
  headers: StoredHeader[];
  signingSecret: EncryptedSecret;
  createdAt: Date;
  updatedAt: Date;
}

export interface OperationalWebhookInput {
  url?: string | null;
  headers?: { name: string; value?: string | null }[] | null;
}

const inputSchema = z.object({
  url: z.string({ error: 'is required' }),
  headers: z
    .array(headerSchema)
    .max(MAX_HEADERS, `at most ${MAX_HEADERS} headers`)
    .nullish()
    .transform((h) => h ?? []),
});

export type ValidOperationalWebhookInput = { url: string; headers: { name: string; value?: string }[] };

/**
 * The URL and header rules of a webhook definition (webhook.ts): https, no custom port, no
 * credentials; header names that are tokens and not the dispatcher's own, values without CR/LF and
 * within Latin-1, no name twice; no IP literal the delivery guard refuses (outside `allowedCidrs`).
 * Paths are the mutation's argument names.
 */
export function validateOperationalWebhook(
  input: OperationalWebhookInput,
  allowedCidrs: readonly string[] = [],
): { ok: true; value: ValidOperationalWebhookInput } | { ok: false; error: ValidationError } {
  const errors: FieldError[] = [];
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      errors.push({
        path: issue.path.map(String),
        message: issue.code === 'invalid_type' && issue.input == null ? 'is required' : issue.message,
      });
    }
  }
  let url = '';
  if (typeof input.url === 'string') {
    const checked = checkTargetUrl(input.url);
    const unreachable = 'error' in checked ? null : unreachableAddress(checked.url, allowedCidrs);
    if ('error' in checked) errors.push({ path: ['url'], message: checked.error });
    else if (unreachable) errors.push({ path: ['url'], message: unreachable });
    else url = checked.url;
  }
  // Every problem at once: duplicates are looked for in what was sent, valid or not.
  const seen = new Map<string, number>();
  (input.headers ?? []).forEach((h, i) => {
    if (typeof h?.name !== 'string') return;
    const key = h.name.trim().toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({
        path: ['headers', String(i), 'name'],
        message: `duplicates header ${first} ("${h.name}")`,
      });
    } else seen.set(key, i);
  });
  if (!parsed.success || errors.length) return { ok: false, error: new ValidationError(errors) };
  return { ok: true, value: { url, headers: parsed.data.headers } };
}

/** The JSON body an operational webhook receives (Standard Webhooks' `type`, `timestamp`, `data`). */
export function operationalEventBody(event: OperationalEvent): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.occurredAt.toISOString(),
    data: {
      id: event.id,
      type: event.type,
      webhookId: event.webhookId,
      invocationId: event.invocationId,
      reason: event.reason,
      occurredAt: event.occurredAt.toISOString(),
    },
  });
}

import type { AccessEvent, Trigger } from './event.js';
import type { HttpMethod } from './webhook.js';

/** Error codes of a failed attempt (API: InvocationError.code). */
export const ATTEMPT_ERROR_CODES = [
  'RENDER',
  'SSRF_BLOCKED',
  'DNS',
  'CONNECTION',
  'TLS',
  'TIMEOUT',
  'OAUTH',
  'HTTP_STATUS',
  'RESPONSE_VALIDATION',
] as const;
export type AttemptErrorCode = (typeof ATTEMPT_ERROR_CODES)[number];

export const INVOCATION_STATUSES = ['PENDING', 'IN_FLIGHT', 'RETRYING', 'SUCCEEDED', 'FAILED'] as const;
export type InvocationStatus = (typeof INVOCATION_STATUSES)[number];

export interface HeaderPair {
  name: string;
  value: string;
}

export interface ValidatorResult {
  jsonPath: string;
  expectedValues: string[];
  actualValue: string | null;
  passed: boolean;
}

/** One HTTP call (or the failure to make it), as logged: secrets masked, bodies capped at 64 KiB. */
export interface AttemptRecord {
  number: number;
  startedAt: Date;
  durationMs: number;
  success: boolean;
  request: { method: HttpMethod; url: string; headers: HeaderPair[]; body: string | null };
  response: { statusCode: number; headers: HeaderPair[]; body: string | null; bodyTruncated: boolean } | null;
  error: { code: AttemptErrorCode; message: string } | null;
  validatorResults: ValidatorResult[];
}

/**
 * One event delivered to one webhook: PENDING → IN_FLIGHT → SUCCEEDED | RETRYING | FAILED.
 * IN_FLIGHT carries a lease; an expired lease makes the invocation claimable again (at-least-once).
 */
export interface Invocation {
  id: string;
  accountId: string;
  webhookId: string;
  eventId: string;
  trigger: Trigger;
  test: boolean;
  /** The `webhook-id` header: the first invocation's id for this event and webhook, kept by retries and redeliveries. */
  messageId: string;
  /**
   * Unique: `eventId:webhookId` for the fan-out invocation, so a re-run fan-out adds nothing; the
   * invocation's own id for redeliveries and tests (never null: FerretDB has no partial unique indexes).
   */
  fanoutKey: string;
  status: InvocationStatus;
  attempts: AttemptRecord[];
  nextAttemptAt: Date | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  /** Set when a redelivery or recovery has replaced this invocation. */
  supersededBy: string | null;
  /**
   * FIFO webhooks: the queue this invocation waits in (its webhook's id), null otherwise. Until it
   * is the queue's head it is held: PENDING with no nextAttemptAt, so no claim sees it; the store
   * makes the oldest held one due once the one before it has finished (InvocationStore.promoteFifoHeads).
   */
  orderingKey?: string | null;
  /** FIFO webhooks: the earlier invocation this one waited for before it could be sent (null: none). */
  waitedFor?: string | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

/** An event as stored: the validated payload, and whether its fan-out has finished. */
export interface StoredEvent {
  id: string;
  accountId: string;
  trigger: Trigger;
  payload: AccessEvent;
  idempotencyKey: string | null;
  test: boolean;
  fannedOut: boolean;
  createdAt: Date;
}

export const RESPONSE_BODY_LOG_LIMIT = 64 * 1024;

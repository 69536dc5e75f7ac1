import type { AttemptRecord, Invocation } from '../domain/invocation.js';

/**
 * Traces, behind the few calls the server makes: OpenTelemetry spans exported over OTLP/HTTP when
 * OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, nothing otherwise.
 * The SDK is loaded only then (./otel.ts, by ./start-tracing.ts), so a server without an endpoint neither loads nor runs any
 * of it; callers on hot paths check `enabled` before they assemble a span's fields.
 *
 * The model (README "Operations", Traces):
 * - each GraphQL operation is a span (a child of the request's W3C `traceparent`, when it has one);
 * - each published event is a `publish` span that starts a trace of its own, linked to the operation
 *   that published it. Its trace id and span id are derived from the event id, so a worker in any
 *   process, now or at a retry hours later, names it without anything stored with the event;
 * - each delivery attempt is an `attempt` span, a child of its event's `publish` span and linked to
 *   it (a test delivery, which has no published event, is a child of its operation instead).
 */

export interface OperationInfo {
  /** query, mutation or subscription */
  type: string;
  name: string | null;
  /** The request's `traceparent` header (HTTP, SSE), if any. */
  traceparent?: string | null;
}

export interface OperationSpan {
  /** Runs `fn` with this span as the active one: spans started inside are its children or link to it. */
  run<T>(fn: () => T): T;
  end(outcome: { errors: number }): void;
}

/** One event of a publishEvent or publishEvents call, as it came out. */
export type PublishedEvent =
  | {
      eventId: string;
      accountId: string;
      trigger: string;
      /** An idempotency key seen before: the first publish's result, nothing new was stored. */
      duplicate: boolean;
      /** The webhooks it matched (one invocation each). */
      webhookIds: string[];
    }
  | { accountId: string; refused: string };

export interface AttemptInfo {
  invocationId: string;
  eventId: string;
  webhookId: string;
  accountId: string;
  test: boolean;
  number: number;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  errorCode: string | null;
  /** success, retry, fail or gone */
  outcome: string;
  /** The invocation's status after the attempt (null for a test delivery, which is not stored so). */
  status: string | null;
}

/** The attempt span's fields from the invocation and its attempt record. */
export function attemptInfo(
  invocation: Invocation,
  record: AttemptRecord,
  outcome: string,
  status: string | null,
): AttemptInfo {
  return {
    invocationId: invocation.id,
    eventId: invocation.eventId,
    webhookId: invocation.webhookId,
    accountId: invocation.accountId,
    test: invocation.test,
    number: record.number,
    startedAt: record.startedAt,
    durationMs: record.durationMs,
    statusCode: record.response?.statusCode ?? null,
    errorCode: record.error?.code ?? null,
    outcome,
    status,
  };
}

export interface Tracing {
  readonly enabled: boolean;
  operation(info: OperationInfo): OperationSpan;
  /** One `publish` span per event, from `startedAt` to now, linked to the active operation. */
  published(startedAt: number, events: PublishedEvent[]): void;
  attempt(info: AttemptInfo): void;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

const noSpan: OperationSpan = { run: (fn) => fn(), end: () => {} };

export const noTracing: Tracing = {
  enabled: false,
  operation: () => noSpan,
  published: () => {},
  attempt: () => {},
  shutdown: async () => {},
};

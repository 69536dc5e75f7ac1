import type { Result, ValidationError } from '../domain/errors.js';
import type { PublishResult } from '../domain/event-use-cases.js';
import type { PublishedEvent } from '../ops/tracing.js';
import type { GraphQLContext } from './context.js';

/**
 * The `publish` spans of a publishEvent or publishEvents call (src/ops/tracing.ts), one per event,
 * with what it matched; nothing at all when traces are off.
 */
export function tracePublished(
  ctx: GraphQLContext,
  startedAt: number,
  payloads: unknown[],
  outcomes: Result<PublishResult, ValidationError>[],
): void {
  const { tracing } = ctx.services;
  if (!tracing.enabled) return;
  const { accountId } = ctx.caller;
  const events = outcomes.map((outcome, i): PublishedEvent => {
    if (!outcome.ok) return { accountId, refused: outcome.error.message };
    const type = (payloads[i] as { event_type?: unknown } | null)?.event_type;
    return {
      accountId,
      eventId: outcome.value.eventId,
      trigger: typeof type === 'string' ? type : '',
      duplicate: outcome.value.duplicate,
      webhookIds: outcome.value.invocations.map((invocation) => invocation.webhookId),
    };
  });
  tracing.published(startedAt, events);
}

import { fail, type NotFoundError, ok, type Result, ValidationError } from './errors.js';
import type { Trigger } from './event.js';
import { eventFilterValues, matchVerdict } from './matching.js';
import type { EventStore } from './ports.js';
import { TemplateError } from './template.js';
import type { FilterDimension } from './webhook.js';
import { type Caller, type DefinitionTarget, targetWebhook, type WebhookDeps } from './webhook-use-cases.js';

/**
 * A dry run: a saved or unsaved definition run against the account's most recent published events.
 * For each, whether its trigger and filters match, and for a match the body it would render, made
 * by the same isolated, budgeted renderer as deliveries. Nothing is sent and nothing is stored.
 */

export interface PreviewedEvent {
  eventId: string;
  trigger: Trigger;
  occurredAt: Date;
  triggerMatched: boolean;
  blockedBy: FilterDimension[];
  matched: boolean;
  renderedBody: string | null;
  renderError: string | null;
}

export const MAX_PREVIEW_EVENTS = 100;

export async function previewWebhook(
  deps: WebhookDeps & { events: EventStore },
  caller: Caller,
  target: DefinitionTarget,
  last?: number | null,
): Promise<Result<PreviewedEvent[], ValidationError | NotFoundError>> {
  const count = last ?? 20;
  if (!Number.isInteger(count) || count < 1 || count > MAX_PREVIEW_EVENTS) {
    return fail(new ValidationError([{ path: ['last'], message: `must be 1 to ${MAX_PREVIEW_EVENTS}` }]));
  }
  const found = await targetWebhook(deps, caller, target);
  if (!found.ok) return found;
  const webhook = found.value;
  const events = await deps.events.listRecent(caller.accountId, count);
  return ok(
    await Promise.all(
      events.map(async (event): Promise<PreviewedEvent> => {
        const verdict = matchVerdict(webhook, event.trigger, eventFilterValues(event.payload));
        let renderedBody: string | null = null;
        let renderError: string | null = null;
        if (verdict.matched) {
          try {
            renderedBody = await deps.sandbox.render(caller.accountId, webhook.bodyTemplate, event.payload);
          } catch (err) {
            if (!(err instanceof TemplateError)) throw err;
            renderError = err.message;
          }
        }
        return {
          eventId: event.id,
          trigger: event.trigger,
          occurredAt: new Date(event.payload.event_time * 1000),
          ...verdict,
          renderedBody,
          renderError,
        };
      }),
    ),
  );
}

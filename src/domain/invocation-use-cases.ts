import { fail, NotFoundError, ok, type Result, ValidationError } from './errors.js';
import { sampleEvent, type Trigger } from './event.js';
import { type EventDeps, newInvocation } from './event-use-cases.js';
import { isIdOf, newId } from './ids.js';
import type { AttemptRecord, Invocation, InvocationStatus, StoredEvent } from './invocation.js';
import { eventFilterValues, type MatchVerdict, matchVerdict } from './matching.js';
import { type PageArgs, parsePageArgs } from './pagination.js';
import type { InvocationStore } from './ports.js';
import type { Webhook } from './webhook.js';
import {
  type Caller,
  type DefinitionTarget,
  getWebhook,
  targetWebhook,
  type WebhookDeps,
} from './webhook-use-cases.js';

/** Invocation use cases: the log, redelivery, recovery, and the synchronous test call. */

/** One delivery attempt through the real pipeline (implemented by src/dispatch). */
export interface Deliverer {
  attempt(input: {
    webhook: Webhook;
    event: StoredEvent;
    invocation: Invocation;
  }): Promise<{ record: AttemptRecord }>;
}

export type InvocationDeps = EventDeps & WebhookDeps & { deliverer: Deliverer };

export async function getInvocation(deps: { invocations: InvocationStore }, caller: Caller, id: string) {
  if (!isIdOf('Invocation', id)) return null;
  return deps.invocations.get(caller.accountId, id);
}

export interface InvocationListArgs extends PageArgs {
  webhookId?: string | null;
  status?: InvocationStatus | null;
  eventId?: string | null;
  test?: boolean | null;
}

export async function listInvocations(
  deps: { invocations: InvocationStore },
  caller: Caller,
  args: InvocationListArgs,
) {
  const page = parsePageArgs(args, 'Invocation');
  if (page instanceof ValidationError) return fail(page);
  return ok(
    await deps.invocations.list(caller.accountId, {
      ...page,
      webhookId: args.webhookId ?? undefined,
      status: args.status ?? undefined,
      eventId: args.eventId ?? undefined,
      test: args.test ?? undefined,
    }),
  );
}

/**
 * A new invocation of the same event to the same webhook, sent with the same `webhook-id` so the
 * receiver can deduplicate. The original is marked as superseded.
 */
export async function redeliverInvocation(
  deps: InvocationDeps,
  caller: Caller,
  id: string,
): Promise<Result<Invocation, NotFoundError>> {
  const original = await getInvocation(deps, caller, id);
  const webhook = original && (await getWebhook(deps, caller, original.webhookId));
  if (!original || !webhook)
    return fail(new NotFoundError(`no invocation with id ${JSON.stringify(id)} whose webhook exists`));
  const [redelivery] = await redeliver(deps, webhook, [original]);
  return ok(redelivery as Invocation);
}

const RECOVER_LIMIT = 10_000;

/** Redelivers every FAILED (not yet redelivered) invocation of a webhook created since a time. */
export async function recoverFailedInvocations(
  deps: InvocationDeps,
  caller: Caller,
  webhookId: string,
  since: Date,
): Promise<Result<{ count: number }, NotFoundError | ValidationError>> {
  const webhook = await getWebhook(deps, caller, webhookId);
  if (!webhook) return fail(new NotFoundError(`no webhook with id ${JSON.stringify(webhookId)}`));
  if (Number.isNaN(since.getTime()))
    return fail(new ValidationError([{ path: ['since'], message: 'is not a time' }]));
  const failed = await deps.invocations.listRecoverable(caller.accountId, webhookId, since, RECOVER_LIMIT);
  const made = await redeliver(deps, webhook, failed);
  return ok({ count: made.length });
}

async function redeliver(
  deps: InvocationDeps,
  webhook: Webhook,
  originals: Invocation[],
): Promise<Invocation[]> {
  const now = (deps.now ?? (() => new Date()))();
  const copies = originals.map((o) =>
    newInvocation(webhook, { id: o.eventId, trigger: o.trigger } as StoredEvent, now, {
      messageId: o.messageId,
      fanout: false,
    }),
  );
  await deps.invocations.insertMany(copies);
  await Promise.all(
    originals.map((o, i) =>
      deps.invocations.save({ ...o, supersededBy: copies[i]?.id ?? null, updatedAt: now }),
    ),
  );
  for (const copy of copies) deps.onInvocationChange?.(copy);
  if (copies.length) deps.notifyWork();
  return copies;
}

/** A test's delivery, and whether real events like its sample would be delivered at all. */
export interface TestResult extends MatchVerdict {
  success: boolean;
  invocation: Invocation;
}

/**
 * Sends the sample event of a trigger to a saved webhook, or to an unsaved definition (validated
 * like createWebhook), once and synchronously, and stores the invocation flagged as a test.
 */
export async function testWebhook(
  deps: InvocationDeps,
  caller: Caller,
  target: DefinitionTarget,
  trigger?: Trigger | null,
): Promise<Result<TestResult, ValidationError | NotFoundError>> {
  const found = await targetWebhook(deps, caller, target);
  if (!found.ok) return found;
  const webhook = found.value;
  const chosen = trigger ?? webhook.triggers[0] ?? 'RequestCreated';
  const now = (deps.now ?? (() => new Date()))();
  const payload = sampleEvent(chosen);
  payload.event_time = now.getTime() / 1000;
  const event: StoredEvent = {
    id: newId('Event'),
    accountId: caller.accountId,
    trigger: chosen,
    payload,
    idempotencyKey: null,
    test: true,
    fannedOut: true,
    createdAt: now,
  };
  await deps.events.insert(event);
  const invocation: Invocation = {
    ...newInvocation(webhook, event, now, { test: true, fanout: false }),
    status: 'IN_FLIGHT',
  };
  await deps.invocations.insertMany([invocation]);
  deps.onInvocationChange?.(invocation);

  const { record } = await deps.deliverer.attempt({ webhook, event, invocation });
  const done = (deps.now ?? (() => new Date()))();
  const finished: Invocation = {
    ...invocation,
    status: record.success ? 'SUCCEEDED' : 'FAILED',
    attempts: [record],
    nextAttemptAt: null,
    updatedAt: done,
    completedAt: done,
  };
  await deps.invocations.save(finished);
  deps.onInvocationChange?.(finished);
  const verdict = matchVerdict(webhook, chosen, eventFilterValues(payload));
  return ok({ success: record.success, invocation: finished, ...verdict });
}

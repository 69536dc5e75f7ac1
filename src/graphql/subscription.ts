import { GraphQLError } from 'graphql';
import { isIdOf } from '../domain/ids.js';
import type { OperationalEvent } from '../domain/operational-event.js';
import { type FeedItem, type LiveFeed, SubscriberTooSlow } from '../live/feed.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { InvocationRef } from './invocation.js';
import { OperationalEventRef } from './operational.js';

/**
 * The caller's account's updates from a live feed, optionally of one webhook. Revoking the key ends
 * the subscription at once, whatever the transport (SSE included).
 */
function subscribeTo<T extends FeedItem>(
  feed: LiveFeed<T>,
  webhookId: string | null | undefined,
  ctx: GraphQLContext,
): AsyncIterableIterator<T | SubscriberTooSlow> {
  if (webhookId != null && !isIdOf('Webhook', webhookId)) {
    throw new GraphQLError(`webhookId ${JSON.stringify(webhookId)} is not a webhook id`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  const revoked = new AbortController();
  const keyId = ctx.caller.apiKeyId;
  const stop = ctx.services.revocations.subscribe((id) => {
    if (id === keyId) revoked.abort();
  });
  return feed.subscribe(ctx.caller.accountId, webhookId ?? null, {
    onOverflow: ctx.onSlowSubscriber,
    signal: revoked.signal,
    onEnd: stop,
  });
}

/** A subscriber dropped for falling behind gets its reason as the stream's last (error) result. */
function unlessTooSlow<T>(update: T | SubscriberTooSlow): T {
  if (update instanceof SubscriberTooSlow) {
    throw new GraphQLError(update.message, { extensions: { code: update.code } });
  }
  return update;
}

builder.subscriptionFields((t) => ({
  invocationUpdated: t.field({
    type: InvocationRef,
    description:
      "Every change of this account's invocations as it happens: created, in flight, each attempt " +
      'recorded (RETRYING), SUCCEEDED, FAILED. A subscriber that falls 1,000 updates behind is ended ' +
      'with the error code SUBSCRIBER_TOO_SLOW.',
    args: { webhookId: t.arg.id({ description: "Only this webhook's invocations" }) },
    subscribe: (_root, { webhookId }, ctx) => subscribeTo(ctx.services.invocationFeed, webhookId, ctx),
    resolve: unlessTooSlow,
  }),
  operationalEvents: t.field({
    type: OperationalEventRef,
    description:
      "This account's operational events as they happen: a webhook deactivated by the system " +
      '(WEBHOOK_DISABLED), one an admin set ACTIVE again after that (WEBHOOK_ENABLED), an invocation ' +
      'that failed its last scheduled attempt (INVOCATION_EXHAUSTED). Query operationalEvents for ' +
      'earlier ones; a subscriber that falls 1,000 events behind is ended with SUBSCRIBER_TOO_SLOW.',
    args: { webhookId: t.arg.id({ description: "Only this webhook's events" }) },
    subscribe: (_root, { webhookId }, ctx) => subscribeTo(ctx.services.operationalFeed, webhookId, ctx),
    resolve: (update: OperationalEvent | SubscriberTooSlow) => unlessTooSlow(update),
  }),
}));

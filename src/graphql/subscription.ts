import { GraphQLError } from 'graphql';
import { isIdOf } from '../domain/ids.js';
import { type InvocationUpdate, SubscriberTooSlow } from '../live/invocation-feed.js';
import { builder } from './builder.js';
import { InvocationRef } from './invocation.js';

builder.subscriptionFields((t) => ({
  invocationUpdated: t.field({
    type: InvocationRef,
    description:
      "Every change of this account's invocations as it happens: created, in flight, each attempt " +
      'recorded (RETRYING), SUCCEEDED, FAILED. A subscriber that falls 1,000 updates behind is ended ' +
      'with the error code SUBSCRIBER_TOO_SLOW.',
    args: { webhookId: t.arg.id({ description: "Only this webhook's invocations" }) },
    subscribe: (_root, { webhookId }, ctx) => {
      if (webhookId != null && !isIdOf('Webhook', webhookId)) {
        throw new GraphQLError(`webhookId ${JSON.stringify(webhookId)} is not a webhook id`, {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
      // Revoking the key ends the subscription at once, whatever the transport (SSE included).
      const revoked = new AbortController();
      const keyId = ctx.caller.apiKeyId;
      const stop = ctx.services.revocations.subscribe((id) => {
        if (id === keyId) revoked.abort();
      });
      return ctx.services.invocationFeed.subscribe(ctx.caller.accountId, webhookId ?? null, {
        onOverflow: ctx.onSlowSubscriber,
        signal: revoked.signal,
        onEnd: stop,
      });
    },
    resolve: (update: InvocationUpdate) => {
      if (update instanceof SubscriberTooSlow) {
        throw new GraphQLError(update.message, { extensions: { code: update.code } });
      }
      return update;
    },
  }),
}));

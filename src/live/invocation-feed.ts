import type { Invocation } from '../domain/invocation.js';
import {
  channelName,
  type FeedOptions,
  type FeedSpec,
  inProcessFeed,
  type LiveFeed,
  type SubscriberTooSlow,
} from './feed.js';

/**
 * The live feed of invocation updates behind `Subscription.invocationUpdated`: every state change
 * of an account's invocations, on the channel `invocation:<accountId>` (see ./feed.ts).
 */
export type InvocationFeed = LiveFeed<Invocation>;
export type InvocationUpdate = Invocation | SubscriberTooSlow;

export const INVOCATION_FEED: FeedSpec = { prefix: 'invocation', catchUp: 'invocations' };

export function channelOf(accountId: string): string {
  return channelName(INVOCATION_FEED, accountId);
}

/** The in-process feed: the default, for one process (or tests). */
export function createInProcessFeed(options: FeedOptions = {}): InvocationFeed {
  return inProcessFeed<Invocation>(INVOCATION_FEED, options);
}

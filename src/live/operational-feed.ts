import type { OperationalEvent } from '../domain/operational-event.js';
import {
  channelName,
  type FeedOptions,
  type FeedSpec,
  inProcessFeed,
  type LiveFeed,
  type SubscriberTooSlow,
} from './feed.js';

/**
 * The live feed of operational events behind `Subscription.operationalEvents` (a webhook disabled
 * by the system or enabled again, an invocation out of retries), on the channel
 * `operational:<accountId>` of the same bus as invocation updates (see ./feed.ts).
 */
export type OperationalEventFeed = LiveFeed<OperationalEvent>;
export type OperationalEventUpdate = OperationalEvent | SubscriberTooSlow;

export const OPERATIONAL_FEED: FeedSpec = { prefix: 'operational', catchUp: 'operationalEvents' };

export function operationalChannelOf(accountId: string): string {
  return channelName(OPERATIONAL_FEED, accountId);
}

export function createInProcessOperationalFeed(options: FeedOptions = {}): OperationalEventFeed {
  return inProcessFeed<OperationalEvent>(OPERATIONAL_FEED, options);
}

import type { Config } from '../config/index.js';
import type { Principal } from '../domain/api-keys.js';
import type { Invocation } from '../domain/invocation.js';
import type { Deliverer } from '../domain/invocations.js';
import type { SecretBox } from '../domain/secrets.js';
import type { InvocationFeed } from '../live/invocation-feed.js';
import type { Metrics } from '../metrics.js';
import type { KeyRevocations } from '../server/revocations.js';
import type { Stores } from '../store/ports.js';

/** What the composition root hands to every request. */
export interface Services {
  config: Config;
  stores: Stores;
  secrets: SecretBox;
  /** Runs one delivery attempt (testWebhook). */
  deliverer: Deliverer;
  /** Wakes the local workers: new invocations are due. */
  notifyWork: () => void;
  onInvocationChange?: (invocation: Invocation) => void;
  /** Live invocation updates (Subscription.invocationUpdated), in-process or through Redis. */
  invocationFeed: InvocationFeed;
  /** Revoked API keys, so live connections of a revoked key end at once. */
  revocations: KeyRevocations;
  metrics: Metrics;
}

export interface GraphQLContext {
  /** The authenticated key: its account scopes every store call, its role every field. */
  caller: Principal;
  services: Services;
  /** Set by transports that can end a subscriber's connection when it falls behind (graphql-ws). */
  onSlowSubscriber?: (reason: string) => void;
}

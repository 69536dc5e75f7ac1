import type { Principal } from '../domain/api-key.js';
import type { Services } from '../runtime.js';

export interface GraphQLContext {
  /** The authenticated key: its account scopes every store call, its role every field. */
  caller: Principal;
  services: Services;
  /** Set by transports that can end a subscriber's connection when it falls behind (graphql-ws). */
  onSlowSubscriber?: (reason: string) => void;
}

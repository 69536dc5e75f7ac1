import type { Config } from '../config/index.js';
import type { Invocation } from '../domain/invocation.js';
import type { Deliverer } from '../domain/invocations.js';
import type { SecretBox } from '../domain/secrets.js';
import type { Caller } from '../domain/webhooks.js';
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
}

export interface GraphQLContext {
  caller: Caller;
  services: Services;
}

import type { Config } from '../config/index.js';
import type { SecretBox } from '../domain/secrets.js';
import type { Caller } from '../domain/webhooks.js';
import type { Stores } from '../store/ports.js';

/** What the composition root hands to every request. */
export interface Services {
  config: Config;
  stores: Stores;
  secrets: SecretBox;
}

export interface GraphQLContext {
  caller: Caller;
  services: Services;
}

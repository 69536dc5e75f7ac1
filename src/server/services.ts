import type { Config } from '../config/index.js';
import { attemptDelivery, type DeliveryDeps } from '../dispatch/deliver.js';
import { Dispatcher } from '../dispatch/dispatcher.js';
import { HttpClient } from '../dispatch/http-client.js';
import { OAuthTokens } from '../dispatch/oauth.js';
import { retryPolicy } from '../dispatch/retry.js';
import type { Invocation } from '../domain/invocation.js';
import type { SecretBox } from '../domain/secrets.js';
import type { Services } from '../graphql/context.js';
import type { Logger } from '../log.js';
import type { Stores } from '../store/ports.js';
import { KeyRevocations } from './revocations.js';

export interface Runtime {
  services: Services;
  /** Present in the worker and all roles. */
  dispatcher: Dispatcher | null;
  close(graceMs?: number): Promise<void>;
}

/** Wires stores, secrets, the outbound HTTP client and (for workers) the dispatcher together. */
export function createRuntime(
  config: Config,
  stores: Stores,
  secrets: SecretBox,
  log: Logger,
  options: { onInvocationChange?: (i: Invocation) => void } = {},
): Runtime {
  const http = new HttpClient({
    allowedCidrs: config.DISPATCH_ALLOWED_CIDRS,
    resolve: config.DISPATCH_RESOLVE,
    caFile: config.DISPATCH_CA_FILE,
  });
  const delivery: DeliveryDeps = { http, oauth: new OAuthTokens(http), secrets };
  const dispatcher =
    config.ROLE === 'api'
      ? null
      : new Dispatcher(
          { stores, secrets, delivery, log, onInvocationChange: options.onInvocationChange },
          {
            concurrency: config.DISPATCH_CONCURRENCY,
            perWebhookConcurrency: config.DISPATCH_PER_WEBHOOK_CONCURRENCY,
            leaseMs: config.DISPATCH_LEASE_TIMEOUT,
            pollMs: config.DISPATCH_POLL_INTERVAL,
            sweepMs: Math.max(config.DISPATCH_POLL_INTERVAL, 10_000),
            policy: retryPolicy(config.DISPATCH_RETRY_SCHEDULE),
          },
        );
  const services: Services = {
    config,
    stores,
    secrets,
    deliverer: { attempt: (input) => attemptDelivery(delivery, input) },
    notifyWork: () => dispatcher?.wake(),
    onInvocationChange: options.onInvocationChange,
    revocations: new KeyRevocations(),
  };
  return {
    services,
    dispatcher,
    async close(graceMs = 10_000) {
      await dispatcher?.stop(graceMs);
      await http.close();
    },
  };
}

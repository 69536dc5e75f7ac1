import type { Config } from './config/index.js';
import { attemptDelivery, type DeliveryDeps } from './dispatch/deliver.js';
import { Dispatcher } from './dispatch/dispatcher.js';
import { HttpClient } from './dispatch/http-client.js';
import { OAuthTokens } from './dispatch/oauth.js';
import { OperationalEvents } from './dispatch/operational-events.js';
import { retryPolicy } from './dispatch/retry.js';
import type { LocalDispatch } from './domain/event-use-cases.js';
import { FilterCatalog } from './domain/filter-catalog.js';
import type { Invocation } from './domain/invocation.js';
import type { Deliverer } from './domain/invocation-use-cases.js';
import type { OperationalEventSink } from './domain/operational-event.js';
import type { Stores } from './domain/ports.js';
import type { SecretBox } from './domain/secrets.js';
import type { FeedOptions } from './live/feed.js';
import { createInProcessFeed, type InvocationFeed } from './live/invocation-feed.js';
import { createInProcessOperationalFeed, type OperationalEventFeed } from './live/operational-feed.js';
import { createRedisFeeds } from './live/redis-feed.js';
import { KeyRevocations } from './live/revocations.js';
import { errorFields, type Logger } from './ops/log.js';
import { Metrics } from './ops/metrics.js';
import { RetentionSweeper } from './ops/retention-sweeper.js';
import { attemptInfo, noTracing, type Tracing } from './ops/tracing.js';
import { createSandbox, type SandboxPool } from './sandbox/index.js';

/** What the composition root hands to every request. */
export interface Services {
  config: Config;
  stores: Stores;
  secrets: SecretBox;
  /** Runs one delivery attempt (testWebhook). */
  deliverer: Deliverer;
  /** Wakes the local workers: new invocations are due. */
  notifyWork: () => void;
  /** This process's dispatcher (roles worker and all): publishes hand it their invocations directly. */
  localDispatch?: LocalDispatch;
  onInvocationChange?: (invocation: Invocation) => void;
  /** Live invocation updates (Subscription.invocationUpdated), in-process or through Redis. */
  invocationFeed: InvocationFeed;
  /** Live operational events (Subscription.operationalEvents), on the same bus as invocation updates. */
  operationalFeed: OperationalEventFeed;
  /** Stores, publishes and delivers an operational event: the hook of the use cases and workers. */
  onOperationalEvent: OperationalEventSink;
  /** Revoked API keys, so live connections of a revoked key end at once. */
  revocations: KeyRevocations;
  metrics: Metrics;
  /** Spans of operations, publishes and attempts (no-ops unless traces are exported). */
  tracing: Tracing;
  /** Untrusted work (templates, JSON paths) on worker threads, under budgets. */
  sandbox: SandboxPool;
  /** The filter values published events carried, per account (the console's filter pickers). */
  filterCatalog: FilterCatalog;
  /** The clock of the workers (createRuntime's `now`), for what requests compute from time (health). */
  now: () => number;
}

export interface Runtime {
  services: Services;
  /** Present in the worker and all roles. */
  dispatcher: Dispatcher | null;
  /** Starts the worker loops (dispatch, retention) of worker and all roles. */
  start(): void;
  close(graceMs?: number): Promise<void>;
}

/** Wires stores, secrets, the outbound HTTP client and (for workers) the dispatcher together. */
export function createRuntime(
  config: Config,
  stores: Stores,
  secrets: SecretBox,
  log: Logger,
  options: {
    onInvocationChange?: (i: Invocation) => void;
    feed?: FeedOptions;
    /** The clock of the workers (claims, leases, retries, auto-disable, OAuth token expiry, retention); tests move it. */
    now?: () => number;
    /** Traces (src/ops/tracing.ts, started by main.ts); default: none. */
    tracing?: Tracing;
  } = {},
): Runtime {
  const { now } = options;
  const tracing = options.tracing ?? noTracing;
  // Live updates: through Redis when several processes share the work, in-process otherwise.
  const feeds = config.REDIS_URL
    ? createRedisFeeds({ ...options.feed, url: config.REDIS_URL, log })
    : {
        invocations: createInProcessFeed(options.feed),
        operational: createInProcessOperationalFeed(options.feed),
      };
  const invocationFeed = feeds.invocations;
  const operationalFeed = feeds.operational;
  const onInvocationChange = (invocation: Invocation) => {
    invocationFeed.publish(invocation);
    options.onInvocationChange?.(invocation);
  };
  const http = new HttpClient({
    allowedCidrs: config.DISPATCH_ALLOWED_CIDRS,
    resolve: config.DISPATCH_RESOLVE,
    caFile: config.DISPATCH_CA_FILE,
  });
  const oauth = new OAuthTokens(http, { now });
  const sandbox = createSandbox(config, log);
  const delivery: DeliveryDeps = { http, oauth, secrets, sandbox };
  // Operational events: stored, published live, and sent to the account's operational webhook by the
  // same guarded client; started (polling for retries and expired leases) in worker processes.
  const operational = new OperationalEvents(
    {
      store: stores.operational,
      secrets,
      http,
      feed: operationalFeed,
      log,
      policy: retryPolicy(config.DISPATCH_RETRY_SCHEDULE),
      now,
    },
    { pollMs: Math.max(config.DISPATCH_POLL_INTERVAL, 5_000) },
  );
  const onOperationalEvent = operational.emit;
  const metrics = new Metrics();
  // Workers of other processes learn of stored work at once where the store can tell them.
  const workSignal = stores.workSignal;
  const dispatcher =
    config.ROLE === 'api'
      ? null
      : new Dispatcher(
          { stores, secrets, delivery, log, metrics, tracing, onInvocationChange, onOperationalEvent, now },
          {
            concurrency: config.DISPATCH_CONCURRENCY,
            perWebhookConcurrency: config.DISPATCH_PER_WEBHOOK_CONCURRENCY,
            leaseMs: config.DISPATCH_LEASE_TIMEOUT,
            pollMs: config.DISPATCH_POLL_INTERVAL,
            sweepMs: Math.max(config.DISPATCH_POLL_INTERVAL, 10_000),
            policy: retryPolicy(config.DISPATCH_RETRY_SCHEDULE),
            autoDisableAfterMs: config.AUTO_DISABLE_AFTER,
          },
        );
  const retention =
    config.ROLE === 'api'
      ? null
      : new RetentionSweeper(
          { stores, log, now },
          { retentionDays: config.INVOCATION_RETENTION_DAYS, intervalMs: config.RETENTION_SWEEP_INTERVAL },
        );
  metrics.queueDepth(() => stores.invocations.countByStatus());
  metrics.gauge(
    'webhook_in_flight',
    'Invocations this worker holds (running or waiting for a slot)',
    [],
    () => [[{}, dispatcher?.inFlight ?? 0]],
  );
  metrics.counter(
    'webhook_oauth_token_fetches_total',
    'Calls to OAuth token endpoints',
    () => oauth.fetchCount,
  );
  metrics.gauge(
    'webhook_sandbox_tasks',
    'Sandbox tasks (renders, template checks, validations) by state',
    ['state'],
    () => {
      const { queued, running } = sandbox.stats();
      return [
        [{ state: 'queued' }, queued],
        [{ state: 'running' }, running],
      ];
    },
  );
  metrics.counter(
    'webhook_sandbox_threads_replaced_total',
    'Sandbox threads ended for running past a time or memory budget, or crashing, and replaced',
    () => sandbox.stats().replaced,
  );
  const filterCatalog = new FilterCatalog(stores.filterOptions, {
    onError: (err) => log.warn('cannot store learned filter values', errorFields(err)),
  });
  const services: Services = {
    config,
    stores,
    secrets,
    deliverer: {
      // testWebhook's attempt: its span is a child of the operation that asked for it.
      attempt: async (input) => {
        const outcome = await attemptDelivery(delivery, input);
        if (tracing.enabled) {
          tracing.attempt(attemptInfo(input.invocation, outcome.record, outcome.verdict.kind, null));
        }
        return outcome;
      },
    },
    notifyWork: () => {
      dispatcher?.wake();
      workSignal?.notify();
    },
    localDispatch: dispatcher ?? undefined,
    onInvocationChange,
    invocationFeed,
    operationalFeed,
    onOperationalEvent,
    revocations: new KeyRevocations(),
    metrics,
    tracing,
    sandbox,
    filterCatalog,
    now: now ?? Date.now,
  };
  return {
    services,
    dispatcher,
    start() {
      dispatcher?.start();
      if (dispatcher) operational.start();
      retention?.start();
      if (dispatcher && workSignal) {
        workSignal
          .listen(dispatcher.owner, () => dispatcher.wake())
          .then(
            () => log.info('listening for work signals', { owner: dispatcher.owner }),
            (err: unknown) => log.warn('cannot listen for work signals; polling only', errorFields(err)),
          );
      }
    },
    async close(graceMs = 10_000) {
      await retention?.stop();
      await dispatcher?.stop(graceMs);
      await operational.close();
      await operationalFeed.close();
      await invocationFeed.close();
      await filterCatalog.close();
      await http.close();
      await sandbox.close();
    },
  };
}

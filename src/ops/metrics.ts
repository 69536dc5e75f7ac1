import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { InvocationStatus } from '../domain/invocation.js';

/**
 * Prometheus metrics of one process, served at GET /metrics. A registry per process (not the
 * global one), so several apps in one test process keep their numbers apart.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly attempts = new Counter({
    name: 'webhook_attempts_total',
    help: 'Delivery attempts by outcome (success, retry, fail, gone) and error code (none on success)',
    labelNames: ['outcome', 'error_code'] as const,
    registers: [this.registry],
  });

  readonly enqueueToSend = new Histogram({
    name: 'webhook_delivery_enqueue_to_send_seconds',
    help: 'From when an invocation became due (published, or its retry time) to the start of its attempt',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly sendToResponse = new Histogram({
    name: 'webhook_delivery_send_to_response_seconds',
    help: 'Duration of an attempt that got an HTTP response, from sending to the end of the response body',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });

  readonly autoDisabled = new Counter({
    name: 'webhook_auto_disabled_total',
    help: 'Webhooks deactivated by the system, by reason (gone: 410 Gone, failing: every delivery failed for the window)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly consecutiveFailures = new Gauge({
    name: 'webhook_consecutive_failures',
    help: 'Failed deliveries (invocations) in a row per webhook, seen by this worker since its last success',
    labelNames: ['webhook_id'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A gauge whose value is read when Prometheus scrapes (queue depth, in-flight count, subscribers). */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    read: () => Promise<[Partial<Record<L, string>>, number][]> | [Partial<Record<L, string>>, number][],
  ): void {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [labels, value] of await read()) this.set(labels, value);
      },
    });
  }

  /** A counter kept elsewhere (e.g. the OAuth token cache's fetch count), read at scrape time. */
  counter(name: string, help: string, read: () => number): void {
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  }

  queueDepth(read: () => Promise<Record<InvocationStatus, number>>): void {
    this.gauge(
      'webhook_invocations',
      'Invocations stored, by status (queue depth)',
      ['status'] as const,
      async () =>
        Object.entries(await read()).map(([status, n]) => [{ status }, n] as [{ status: string }, number]),
    );
  }
}

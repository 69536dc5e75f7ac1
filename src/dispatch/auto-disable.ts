import type { OperationalEventSink } from '../domain/operational-event.js';
import type { WebhookStore } from '../domain/ports.js';
import type { SecretBox } from '../domain/secrets.js';
import type { Webhook } from '../domain/webhook.js';
import { disableWebhook } from '../domain/webhook-use-cases.js';
import type { Logger } from '../ops/log.js';
import type { Metrics } from '../ops/metrics.js';

export interface AutoDisableDeps {
  webhooks: WebhookStore;
  secrets: SecretBox;
  log: Logger;
  metrics?: Metrics;
  /** Told of each deactivation (a WEBHOOK_DISABLED operational event). */
  onOperationalEvent?: OperationalEventSink;
}

/**
 * The auto-disable policy: a webhook whose deliveries have all failed for `afterMs` is deactivated,
 * and one that answers 410 Gone is deactivated at once. The store keeps when the current run of
 * failures began (`failingSince`), so the window holds across workers and restarts; only transitions
 * are written (first failure after a success, first success after failures).
 */
export class AutoDisable {
  readonly #deps: AutoDisableDeps;
  readonly #afterMs: number;
  /** Failed deliveries in a row per webhook, for the metric (the store keeps when the run began). */
  readonly #failures = new Map<string, number>();

  constructor(deps: AutoDisableDeps, afterMs: number) {
    this.#deps = deps;
    this.#afterMs = afterMs;
  }

  /** Records a finished invocation's verdict for its webhook (not retries: they are not finished). */
  async track(webhook: Webhook, failed: boolean, now: Date): Promise<void> {
    const { webhooks, metrics } = this.#deps;
    if (!failed) {
      this.#failures.delete(webhook.id);
      metrics?.consecutiveFailures.remove({ webhook_id: webhook.id });
      if (webhook.failingSince) await webhooks.setFailingSince(webhook.accountId, webhook.id, null);
      return;
    }
    const count = (this.#failures.get(webhook.id) ?? 0) + 1;
    this.#failures.set(webhook.id, count);
    metrics?.consecutiveFailures.set({ webhook_id: webhook.id }, count);
    if (!webhook.failingSince) {
      await webhooks.setFailingSince(webhook.accountId, webhook.id, now);
    } else if (now.getTime() - webhook.failingSince.getTime() >= this.#afterMs) {
      const since = webhook.failingSince.toISOString();
      await this.disable(webhook, 'failing', `deactivated: every delivery has failed since ${since}`);
    }
  }

  /** The target answered 410 Gone: it asks not to be called again. */
  async gone(webhook: Webhook, now: Date): Promise<void> {
    await this.disable(webhook, 'gone', `deactivated: the target answered 410 Gone on ${now.toISOString()}`);
  }

  async disable(webhook: Webhook, reason: 'gone' | 'failing', text: string): Promise<void> {
    const { webhooks, secrets, metrics, log, onOperationalEvent } = this.#deps;
    await disableWebhook({ webhooks, secrets, onOperationalEvent }, webhook, webhook.id, text);
    this.#failures.delete(webhook.id);
    metrics?.autoDisabled.inc({ reason });
    metrics?.consecutiveFailures.remove({ webhook_id: webhook.id });
    log.warn('webhook deactivated', { webhookId: webhook.id, accountId: webhook.accountId, reason: text });
  }
}

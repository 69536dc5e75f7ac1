import {
  DEFAULT_HEALTH_HOURS,
  type HealthBucket,
  MAX_HEALTH_HOURS,
  type WebhookHealth,
} from '../domain/health.js';
import { webhookHealth } from '../domain/health-use-cases.js';
import { builder } from './builder.js';
import { unwrapQuery } from './errors.js';
import { WebhookRef } from './webhook.js';

const PERCENTILES =
  'nearest-rank over the attempts, each duration rounded up to two significant digits (1234 ms counts as 1300); null: no attempt';

const WebhookHealthBucket = builder.objectRef<HealthBucket>('WebhookHealthBucket').implement({
  description: 'One hour of a webhook health window (UTC hours)',
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime', description: 'The start of the hour' }),
    succeeded: t.exposeInt('succeeded', { description: 'Deliveries that finished SUCCEEDED in this hour' }),
    failed: t.exposeInt('failed', {
      description: 'Deliveries that finished FAILED in this hour (out of retries, or not retried)',
    }),
    attempts: t.exposeInt('attempts', {
      description: 'HTTP attempts that started in this hour, retries included: what the durations are of',
    }),
    p50DurationMs: t.exposeInt('p50DurationMs', {
      nullable: true,
      description: `The median duration of this hour's attempts, in ms: ${PERCENTILES}`,
    }),
    p95DurationMs: t.exposeInt('p95DurationMs', {
      nullable: true,
      description: `The 95th percentile duration of this hour's attempts, in ms: ${PERCENTILES}`,
    }),
  }),
});

const WebhookHealthRef = builder.objectRef<WebhookHealth>('WebhookHealth').implement({
  description:
    'How a webhook has been delivering, hour by hour. A delivery is an invocation that is not a test; it counts once finished, in the hour it finished. Durations are those of its HTTP attempts (request sent to response read), each in the hour it started',
  fields: (t) => ({
    hours: t.exposeInt('hours', { description: 'How many hours the window has (the buckets)' }),
    since: t.expose('since', {
      type: 'DateTime',
      description: 'The start of the window: the first bucket, `hours - 1` hours before the current hour',
    }),
    succeeded: t.exposeInt('succeeded', { description: 'Deliveries that finished SUCCEEDED in the window' }),
    failed: t.exposeInt('failed', {
      description: 'Deliveries that finished FAILED in the window (out of retries, or not retried)',
    }),
    retrying: t.exposeInt('retrying', {
      description:
        'Deliveries retrying now, whenever they began: they failed at least once and have an attempt to come (not in the buckets)',
    }),
    attempts: t.exposeInt('attempts', {
      description: 'HTTP attempts that started in the window, retries included',
    }),
    p50DurationMs: t.exposeInt('p50DurationMs', {
      nullable: true,
      description: `The median attempt duration over the window, in ms: ${PERCENTILES}`,
    }),
    p95DurationMs: t.exposeInt('p95DurationMs', {
      nullable: true,
      description: `The 95th percentile attempt duration over the window, in ms: ${PERCENTILES}`,
    }),
    buckets: t.field({
      type: [WebhookHealthBucket],
      description: 'Every hour of the window, oldest first, the empty ones too; the last is the current hour',
      resolve: (h) => h.buckets,
    }),
  }),
});

builder.objectField(WebhookRef, 'health', (t) =>
  t.field({
    type: WebhookHealthRef,
    description: `Its deliveries over the last hours: the current hour and the ones before it, hour by hour`,
    args: {
      hours: t.arg.int({
        defaultValue: DEFAULT_HEALTH_HOURS,
        description: `How many hours, 1 to ${MAX_HEALTH_HOURS} (default and null: ${DEFAULT_HEALTH_HOURS})`,
      }),
    },
    resolve: async (webhook, args, ctx) =>
      unwrapQuery(
        await webhookHealth(
          { invocations: ctx.services.stores.invocations, now: () => new Date(ctx.services.now()) },
          ctx.caller,
          webhook.id,
          args.hours ?? DEFAULT_HEALTH_HOURS,
        ),
      ),
  }),
);

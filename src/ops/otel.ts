import { createHash } from 'node:crypto';
import {
  type Context,
  context,
  defaultTextMapGetter,
  type Link,
  ROOT_CONTEXT,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  type IdGenerator,
  ParentBasedSampler,
  RandomIdGenerator,
  type Sampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { Config } from '../config/index.js';
import type { AttemptInfo, OperationInfo, OperationSpan, PublishedEvent, Tracing } from './tracing.js';

/**
 * The OpenTelemetry side of ./tracing.ts: a tracer provider with a batch span processor and the
 * OTLP/HTTP exporter (protobuf or JSON), configured from the config's OTEL_* settings; the exporter
 * itself reads the endpoint, headers, timeout, compression and certificate variables, the resource
 * takes OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES. Loaded only when traces are exported.
 */

/** The trace and span ids of an event's `publish` span: derived from the event id, never stored. */
export function publishSpanIds(eventId: string): { traceId: string; spanId: string } {
  const digest = createHash('sha256').update(`publish\0${eventId}`).digest('hex');
  return { traceId: digest.slice(0, 32), spanId: digest.slice(32, 48) };
}

/** Random ids, except for the one span started right after `force` (startSpan is synchronous). */
class EventIdGenerator implements IdGenerator {
  readonly #random = new RandomIdGenerator();
  #next: { traceId: string; spanId: string } | null = null;
  force(ids: { traceId: string; spanId: string }) {
    this.#next = ids;
  }
  generateTraceId(): string {
    const forced = this.#next?.traceId;
    if (forced && this.#next) this.#next = { ...this.#next, traceId: '' };
    return forced || this.#random.generateTraceId();
  }
  generateSpanId(): string {
    const forced = this.#next?.spanId;
    if (forced && this.#next) this.#next = { ...this.#next, spanId: '' };
    return forced || this.#random.generateSpanId();
  }
  clear() {
    this.#next = null;
  }
}

function samplerOf(config: Config): Sampler {
  const ratio = new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLER_ARG);
  switch (config.OTEL_TRACES_SAMPLER) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

let contextManagerSet = false;

export function createOtelTracing(config: Config): Tracing {
  // Spans started inside an operation see it as the active span (AsyncLocalStorage). Process-wide:
  // the first tracing of a process installs it.
  if (!contextManagerSet) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerSet = true;
  }
  const exporter =
    config.OTEL_EXPORTER_OTLP_PROTOCOL === 'http/json' ? new JsonExporter() : new ProtobufExporter();
  const processor = new BatchSpanProcessor({
    exporter,
    scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY,
    maxQueueSize: config.OTEL_BSP_MAX_QUEUE_SIZE,
    maxExportBatchSize: Math.min(config.OTEL_BSP_MAX_EXPORT_BATCH_SIZE, config.OTEL_BSP_MAX_QUEUE_SIZE),
    exportTimeoutMillis: config.OTEL_BSP_EXPORT_TIMEOUT,
  });
  const ids = new EventIdGenerator();
  const sampler = samplerOf(config);
  const resource = resourceFromAttributes({ 'service.name': config.OTEL_SERVICE_NAME }).merge(
    // OTEL_RESOURCE_ATTRIBUTES (and OTEL_SERVICE_NAME, again) from the environment.
    detectResources({ detectors: [envDetector] }),
  );
  const provider = new TracerProvider({ resource, sampler, idGenerator: ids, spanProcessors: [processor] });
  const tracer = provider.getTracer('access-webhooks');
  const propagator = new W3CTraceContextPropagator();

  /** The publish span of an event, as a parent or link: sampled as its root was (same sampler, same id). */
  const publishContext = (eventId: string): SpanContext => {
    const { traceId, spanId } = publishSpanIds(eventId);
    const decision = sampler.shouldSample(ROOT_CONTEXT, traceId, 'publish', SpanKind.PRODUCER, {}, []);
    const sampled = decision.decision === SamplingDecision.RECORD_AND_SAMPLED;
    return { traceId, spanId, traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true };
  };

  return {
    enabled: true,

    operation(info: OperationInfo): OperationSpan {
      // The caller's trace, when the request carries one; an unreadable traceparent extracts
      // nothing, and the operation starts a trace of its own.
      const parent: Context = info.traceparent
        ? propagator.extract(ROOT_CONTEXT, { traceparent: info.traceparent }, defaultTextMapGetter)
        : context.active();
      const span = tracer.startSpan(
        info.name ? `${info.type} ${info.name}` : info.type,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'graphql.operation.type': info.type,
            ...(info.name ? { 'graphql.operation.name': info.name } : {}),
          },
        },
        parent,
      );
      const active = trace.setSpan(parent, span);
      return {
        run: (fn) => context.with(active, fn),
        end({ errors }) {
          if (errors) {
            span.setAttribute('graphql.error.count', errors);
            span.setStatus({ code: SpanStatusCode.ERROR, message: `${errors} GraphQL error(s)` });
          }
          span.end();
        },
      };
    },

    published(startedAt: number, events: PublishedEvent[]) {
      const operation = trace.getSpan(context.active())?.spanContext();
      const links: Link[] = operation ? [{ context: operation }] : [];
      for (const event of events) {
        const attributes: Record<string, string | number | boolean | string[]> = {
          'account.id': event.accountId,
        };
        if ('refused' in event) {
          const span = tracer.startSpan('publish', {
            kind: SpanKind.PRODUCER,
            startTime: startedAt,
            links,
            attributes,
            root: true,
          });
          span.setStatus({ code: SpanStatusCode.ERROR, message: event.refused });
          span.end();
          continue;
        }
        Object.assign(attributes, {
          'event.id': event.eventId,
          'event.trigger': event.trigger,
          'event.duplicate': event.duplicate,
          'match.webhook_count': event.webhookIds.length,
          'match.webhook_ids': event.webhookIds.slice(0, 100),
        });
        if (event.duplicate) {
          // The first publish's span is the event's; this one only links to it.
          const first = { context: publishContext(event.eventId) };
          tracer
            .startSpan('publish', {
              kind: SpanKind.PRODUCER,
              startTime: startedAt,
              links: [...links, first],
              attributes,
              root: true,
            })
            .end();
          continue;
        }
        ids.force(publishSpanIds(event.eventId));
        try {
          tracer
            .startSpan('publish', {
              kind: SpanKind.PRODUCER,
              startTime: startedAt,
              links,
              attributes,
              root: true,
            })
            .end();
        } finally {
          ids.clear();
        }
      }
    },

    attempt(info: AttemptInfo) {
      const attributes = {
        'invocation.id': info.invocationId,
        'event.id': info.eventId,
        'webhook.id': info.webhookId,
        'account.id': info.accountId,
        'attempt.number': info.number,
        'attempt.outcome': info.outcome,
        'attempt.duration_ms': info.durationMs,
        ...(info.status ? { 'invocation.status': info.status } : {}),
        ...(info.statusCode !== null ? { 'http.response.status_code': info.statusCode } : {}),
        ...(info.errorCode ? { 'error.type': info.errorCode } : {}),
        'invocation.test': info.test,
      };
      const start = info.startedAt.getTime();
      let parent: Context;
      let links: Link[] = [];
      if (info.test) {
        // A test delivery has no published event: it belongs to the operation that asked for it.
        parent = context.active();
      } else {
        // Never the active context: in one process an attempt may start inside the publishing request.
        const publish = publishContext(info.eventId);
        parent = trace.setSpanContext(ROOT_CONTEXT, publish);
        links = [{ context: publish }];
      }
      const span = tracer.startSpan(
        'attempt',
        { kind: SpanKind.CLIENT, startTime: start, links, attributes },
        parent,
      );
      if (info.outcome !== 'success') {
        span.setStatus({ code: SpanStatusCode.ERROR, message: info.errorCode ?? info.outcome });
      }
      span.end(start + info.durationMs);
    },

    async shutdown() {
      await provider.shutdown();
    },
  };
}

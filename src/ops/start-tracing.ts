import type { Config } from '../config/index.js';
import type { Logger } from './log.js';
import { noTracing, type Tracing } from './tracing.js';

/** Tracing as the config asks: the OTLP exporter when an endpoint is set (and the SDK not disabled). */
export async function startTracing(config: Config, log: Logger): Promise<Tracing> {
  const endpoint = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || config.OTEL_SDK_DISABLED) return noTracing;
  const { createOtelTracing } = await import('./otel.js');
  const tracing = createOtelTracing(config);
  log.info('exporting traces', {
    endpoint,
    protocol: config.OTEL_EXPORTER_OTLP_PROTOCOL,
    sampler: config.OTEL_TRACES_SAMPLER,
  });
  return tracing;
}

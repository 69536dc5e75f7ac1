import { pino } from 'pino';

/**
 * Structured logs: pino, one JSON object per line on stdout, filtered by LOG_LEVEL. Callers never
 * pass secrets; the redaction below is the second line of defence for fields that would hold one.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const REDACT = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'token',
  '*.token',
  'clientSecret',
  '*.clientSecret',
  'signingSecret',
  '*.signingSecret',
  'secret',
  '*.secret',
];

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stdout.write(l),
): Logger {
  const logger = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT, censor: '[redacted]' },
    },
    { write },
  );
  const emit = (lvl: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Record<string, unknown>) =>
    fields ? logger[lvl](fields, msg) : logger[lvl](msg);
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export function errorFields(err: unknown): Record<string, unknown> {
  return err instanceof Error ? { err: { name: err.name, message: err.message, stack: err.stack } } : { err };
}

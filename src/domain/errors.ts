/**
 * Expected failures of use cases. Each class has a stable code; the GraphQL layer exposes one
 * object type per class (see src/graphql/errors.ts) and test/graphql/schema.test.ts checks the registry
 * against the schema.
 */
export const ERROR_CODES = {
  VALIDATION: 'VALIDATION',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
}

export interface FieldError {
  /** Path to the offending field from the operation's argument, e.g. ["input", "url"]. */
  path: string[];
  message: string;
}

export class ValidationError extends DomainError {
  readonly code = ERROR_CODES.VALIDATION;
  constructor(
    readonly fieldErrors: FieldError[],
    message = summarize(fieldErrors),
  ) {
    super(message);
    this.name = 'ValidationError';
  }

  /** The same errors, with their paths moved under a prefix (e.g. the GraphQL argument name). */
  under(...prefix: string[]): ValidationError {
    return new ValidationError(
      this.fieldErrors.map((e) => ({ path: [...prefix, ...e.path], message: e.message })),
    );
  }
}

export class NotFoundError extends DomainError {
  readonly code = ERROR_CODES.NOT_FOUND;
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends DomainError {
  readonly code = ERROR_CODES.CONFLICT;
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

function summarize(errors: FieldError[]): string {
  if (errors.length === 0) return 'Invalid input';
  const first = errors[0] as FieldError;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `${first.path.join('.') || 'input'}: ${first.message}${more}`;
}

export type Result<T, E extends DomainError = DomainError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <E extends DomainError>(error: E): { ok: false; error: E } => ({ ok: false, error });

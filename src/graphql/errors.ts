import { GraphQLError } from 'graphql';
import {
  ConflictError,
  type DomainError,
  ERROR_CODES,
  type FieldError,
  NotFoundError,
  type Result,
  ValidationError,
} from '../domain/errors.js';
import { builder } from './builder.js';

/** One object type per domain error class; all implement the Error interface. */

export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description: 'An expected failure, returned as data in a mutation result',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'What went wrong, for people' }),
    code: t.exposeString('code', {
      description: `What went wrong, for programs: ${Object.values(ERROR_CODES).join(', ')} (one per Error type)`,
    }),
  }),
});

const FieldErrorType = builder.objectRef<FieldError>('FieldError').implement({
  description: 'One invalid field: its path from the operation argument, e.g. ["input", "url"]',
  fields: (t) => ({
    path: t.exposeStringList('path', {
      description:
        'The field, from the argument down; list items by index, e.g. ["input", "headers", "0", "name"]',
    }),
    message: t.exposeString('message', { description: 'What is wrong with it, e.g. "must use https"' }),
  }),
});

export const FieldWarningType = builder
  .objectRef<{ path: string[]; message: string }>('FieldWarning')
  .implement({
    description:
      'Saved, but probably not what was meant: the field by its path from the operation argument, e.g. ["input", "filters", "integrationIds", "1"]',
    fields: (t) => ({
      path: t.exposeStringList('path', {
        description: 'The field, from the argument down; list items by index',
      }),
      message: t.exposeString('message', { description: 'Why it looks wrong' }),
    }),
  });

/**
 * A ValidationError as a plain value, for lists of outcomes: graphql-js turns any Error instance in
 * a result into a field error, so an error that is one item's outcome travels as data.
 */
const VALIDATION_DATA = Symbol('ValidationError data');
export type ValidationErrorData = Pick<ValidationError, 'message' | 'code' | 'fieldErrors'> & {
  [VALIDATION_DATA]: true;
};

export function validationErrorData(error: ValidationError): ValidationErrorData {
  return {
    [VALIDATION_DATA]: true,
    message: error.message,
    code: error.code,
    fieldErrors: error.fieldErrors,
  };
}

export function isValidationErrorData(value: unknown): value is ValidationErrorData {
  return typeof value === 'object' && value !== null && VALIDATION_DATA in value;
}

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description:
    'The input was refused, nothing was changed: every problem found at once, each with its field (code VALIDATION)',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError || isValidationErrorData(value),
  fields: (t) => ({
    fieldErrors: t.field({
      type: [FieldErrorType],
      description: 'Every invalid field; the message names the first of them',
      resolve: (e) => e.fieldErrors,
    }),
  }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  description:
    "Nothing with that id in the API key's account, or (redeliverInvocation) the invocation's webhook is deleted (code NOT_FOUND)",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
});

builder.objectType(ConflictError, {
  name: 'ConflictError',
  description:
    "The change conflicts with the account's state, nothing was changed: a name in use, a limit reached, or a concurrent change (code CONFLICT; the message says which)",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ConflictError,
});

/**
 * The value of a use-case result, or its error thrown for the errors plugin to turn into data.
 * Validation paths are moved under the GraphQL argument they came from (e.g. "input").
 */
export function unwrap<T>(result: Result<T>, argument?: string): T {
  if (result.ok) return result.value;
  if (result.error instanceof ValidationError && argument) throw result.error.under(argument);
  throw result.error;
}

/** For queries, where errors are not part of the result type: a client error with field paths. */
export function unwrapQuery<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  const error = result.error;
  throw new GraphQLError(error.message, {
    extensions: {
      code: 'BAD_USER_INPUT',
      ...(error instanceof ValidationError ? { fieldErrors: error.fieldErrors } : {}),
    },
  });
}

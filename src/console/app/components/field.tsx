import type { ComponentChildren } from 'preact';

/**
 * Field errors from the server's ValidationError, keyed by their path without the leading "input"
 * (`url`, `headers.1.value`, `filters.requesterEmails.0`).
 */
export type Errors = Record<string, string>;

export function errorsFromPaths(fieldErrors: { path: string[]; message: string }[]): Errors {
  const errors: Errors = {};
  for (const e of fieldErrors) {
    const path = e.path[0] === 'input' ? e.path.slice(1) : e.path;
    const key = path.join('.') || '_form';
    errors[key] = errors[key] ? `${errors[key]}; ${e.message}` : e.message;
  }
  return errors;
}

/** The error for a field, including errors on its items (`filters.bundleIds.2` under `filters.bundleIds`). */
export function errorUnder(errors: Errors, key: string): string | undefined {
  const messages = Object.entries(errors)
    .filter(([k]) => k === key || k.startsWith(`${key}.`))
    .map(([k, message]) =>
      k === key ? message : `value ${Number(k.slice(key.length + 1)) + 1}: ${message}`,
    );
  return messages.length ? messages.join('; ') : undefined;
}

/** A DOM id for a field path: `headers.1.value` → `f-headers-1-value`. */
export function fieldId(key: string): string {
  return `f-${key.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/** aria attributes that tie an input to its hint and error. */
export function describedBy(key: string, error: string | undefined, hint?: boolean) {
  const ids = [hint ? `${fieldId(key)}-hint` : '', error ? `${fieldId(key)}-error` : ''].filter(Boolean);
  return {
    id: fieldId(key),
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': ids.length ? ids.join(' ') : undefined,
  };
}

export function FieldError({ field, message }: { field: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="field-error" id={`${fieldId(field)}-error`}>
      {message}
    </p>
  );
}

export function Hint({ field, children }: { field: string; children: ComponentChildren }) {
  return (
    <p class="hint" id={`${fieldId(field)}-hint`}>
      {children}
    </p>
  );
}

/** Label, control, hint and error stacked: the usual field layout. */
export function Field(props: {
  field: string;
  label: string;
  error: string | undefined;
  hint?: ComponentChildren;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <div class={`field ${props.class ?? ''} ${props.error ? 'has-error' : ''}`}>
      <label for={fieldId(props.field)}>{props.label}</label>
      {props.children}
      {props.hint ? <Hint field={props.field}>{props.hint}</Hint> : null}
      <FieldError field={props.field} message={props.error} />
    </div>
  );
}

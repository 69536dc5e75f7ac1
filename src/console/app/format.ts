/** Display helpers: times, JSON, error paths. */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** "3 min ago", "in 5 s" (now: for tests and re-renders). */
export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return relative.format(seconds, 'second');
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86_400), 'day');
}

/** Pretty-prints a body that is JSON; anything else is shown as it is. */
export function prettyBody(body: string | null | undefined): string {
  if (body === null || body === undefined || body === '') return '';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** The 1-based line a template error names ("… at line 3, …", "line:3"), if any. */
export function errorLine(message: string | undefined): number | null {
  const match = message ? /\bline:? ?(\d+)/i.exec(message) : null;
  return match ? Number(match[1]) : null;
}

/** datetime-local input value (local time, minutes) for a Date. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A system deactivation reason as a sentence: "deactivated: the target…" → "Deactivated: the target…". */
export function reasonText(reason: string): string {
  return reason.charAt(0).toUpperCase() + reason.slice(1);
}

/**
 * What each attempt error code (the API's InvocationAttemptError.code, src/domain/invocation.ts
 * ATTEMPT_ERROR_CODES) means, as a sentence for people; the API's own message gives the details.
 */
export const ATTEMPT_ERROR_SENTENCES: Record<string, string> = {
  RENDER: 'The body template could not be rendered for this event, so nothing was sent.',
  SSRF_BLOCKED: 'The address is private (or otherwise not allowed), so it is never called.',
  DNS: 'The host name could not be found.',
  CONNECTION: 'The receiver could not be reached: the connection was refused or broke off.',
  TLS: "The receiver's certificate was not accepted, so nothing was sent.",
  TIMEOUT: 'The receiver did not answer in time.',
  OAUTH: 'No access token could be obtained from the OAuth token endpoint.',
  HTTP_STATUS: 'The receiver answered with an error status.',
  RESPONSE_VALIDATION: "The receiver's answer did not pass the response validators.",
};

/** The sentence for an attempt error code; a code this console does not know yet is named as it is. */
export function attemptErrorSentence(code: string): string {
  return ATTEMPT_ERROR_SENTENCES[code] ?? `The attempt failed (${code}).`;
}

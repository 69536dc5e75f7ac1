/**
 * Retry policy as data: `schedule[n]` is the delay before attempt n+1 (schedule[0] before the first,
 * normally 0). An attempt that fails retryably is retried after the next delay, ±jitter, or later if
 * the target asked for it with Retry-After (capped so a target cannot park a delivery for days).
 */

import type { AttemptErrorCode } from '../domain/invocation.js';

export type { AttemptErrorCode };

export type Verdict =
  | { kind: 'success' }
  | { kind: 'retry' }
  /** Permanent failure of this invocation. */
  | { kind: 'fail' }
  /** 410 Gone: fail, and deactivate the webhook. */
  | { kind: 'gone' };

/** What to do after an attempt, from its error code and HTTP status. */
export function classify(error: AttemptErrorCode | null, statusCode: number | null): Verdict {
  if (error === null) return { kind: 'success' };
  switch (error) {
    case 'DNS':
    case 'CONNECTION':
    case 'TIMEOUT':
    case 'TLS':
    case 'OAUTH':
      // Transient from where we stand: DNS and TLS problems are usually fixed by the target's operator.
      return { kind: 'retry' };
    case 'HTTP_STATUS':
      if (statusCode === 410) return { kind: 'gone' };
      if (statusCode === 408 || statusCode === 429 || (statusCode !== null && statusCode >= 500))
        return { kind: 'retry' };
      return { kind: 'fail' };
    default:
      // RENDER, SSRF_BLOCKED, RESPONSE_VALIDATION: sending the same thing again cannot succeed.
      return { kind: 'fail' };
  }
}

export interface RetryPolicy {
  /** Delays in ms before each attempt; its length is the maximum number of attempts. */
  schedule: number[];
  /** Fraction of each delay added or removed at random (0.2 = ±20 %). */
  jitter: number;
  /** Upper bound for a Retry-After the target sends. */
  maxRetryAfterMs: number;
}

export function retryPolicy(schedule: number[]): RetryPolicy {
  return { schedule, jitter: 0.2, maxRetryAfterMs: 6 * 3_600_000 };
}

/**
 * Delay before the next attempt after `attemptsMade` attempts, or null when none is left.
 * `random` is injectable for tests.
 */
export function nextDelayMs(
  policy: RetryPolicy,
  attemptsMade: number,
  retryAfter?: string | null,
  now = Date.now(),
  random = Math.random,
): number | null {
  const base = policy.schedule[attemptsMade];
  if (base === undefined) return null;
  const jittered = Math.round(base * (1 + policy.jitter * (2 * random() - 1)));
  const asked = parseRetryAfter(retryAfter, now);
  return asked === null ? jittered : Math.max(jittered, Math.min(asked, policy.maxRetryAfterMs));
}

/** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

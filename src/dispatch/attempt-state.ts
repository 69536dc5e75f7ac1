import type { Invocation } from '../domain/invocation.js';
import type { AttemptOutcome } from './deliver.js';
import { nextDelayMs, type RetryPolicy } from './retry.js';

/**
 * The attempt state machine: what an invocation becomes once an attempt's outcome is known.
 * IN_FLIGHT → SUCCEEDED on success; → RETRYING when the outcome may be retried and the schedule
 * has an attempt left (honouring Retry-After); → FAILED otherwise. The lease is given up in every
 * case, and the attempt is appended to the log.
 */
export function afterAttempt(
  invocation: Invocation,
  outcome: AttemptOutcome,
  policy: RetryPolicy,
  nowMs: number,
): { invocation: Invocation; retryInMs: number | null } {
  const now = new Date(nowMs);
  const attempts = [...invocation.attempts, outcome.record];
  const base = { ...invocation, attempts, leaseOwner: null, leaseUntil: null, updatedAt: now };
  const { kind } = outcome.verdict;
  if (kind === 'success') {
    return {
      invocation: { ...base, status: 'SUCCEEDED', nextAttemptAt: null, completedAt: now },
      retryInMs: null,
    };
  }
  if (kind === 'retry') {
    const delay = nextDelayMs(policy, attempts.length, outcome.retryAfter, nowMs);
    if (delay !== null) {
      return {
        invocation: { ...base, status: 'RETRYING', nextAttemptAt: new Date(nowMs + delay) },
        retryInMs: delay,
      };
    }
  }
  return {
    invocation: { ...base, status: 'FAILED', nextAttemptAt: null, completedAt: now },
    retryInMs: null,
  };
}

/** What a claimed invocation becomes when its webhook or event is gone or the webhook is inactive. */
export function undeliverable(invocation: Invocation, nowMs: number): Invocation {
  const now = new Date(nowMs);
  return { ...invocation, status: 'FAILED', nextAttemptAt: null, completedAt: now, updatedAt: now };
}

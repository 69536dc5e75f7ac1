import { describe, expect, test } from 'vitest';
import type { AttemptOutcome } from '../../src/dispatch/deliver.js';
import { invocationExhausted } from '../../src/dispatch/operational-events.js';
import type { AttemptRecord, Invocation } from '../../src/domain/invocation.js';

const at = new Date('2026-01-02T03:04:05.000Z');

function record(code: 'HTTP_STATUS' | 'TIMEOUT', message: string): AttemptRecord {
  return {
    number: 1,
    startedAt: at,
    durationMs: 5,
    success: false,
    request: { method: 'POST', url: 'https://example.test/hook', headers: [], body: null },
    response: null,
    error: { code, message },
    validatorResults: [],
  };
}

function invocation(overrides: Partial<Invocation>): Invocation {
  return {
    id: 'inv_00000000000000000000000001',
    accountId: 'acct_x',
    webhookId: 'wh_00000000000000000000000001',
    eventId: 'evt_00000000000000000000000001',
    trigger: 'RequestCreated',
    test: false,
    messageId: 'inv_00000000000000000000000001',
    fanoutKey: 'evt:wh',
    status: 'FAILED',
    attempts: [record('TIMEOUT', 'timed out'), record('TIMEOUT', 'timed out')],
    nextAttemptAt: null,
    leaseOwner: null,
    leaseUntil: null,
    supersededBy: null,
    createdAt: at,
    updatedAt: at,
    completedAt: at,
    ...overrides,
  };
}

const outcome = (kind: AttemptOutcome['verdict']['kind']): AttemptOutcome => ({
  record: record('TIMEOUT', 'the target did not answer within 30 s'),
  verdict: { kind },
  retryAfter: null,
});

/** Which attempts end an invocation "exhausted" (the dispatcher's part; the rest is end to end in test/ops). */
describe('invocationExhausted', () => {
  test('a retryable failure that leaves the invocation FAILED: the schedule ran out', () => {
    expect(invocationExhausted(invocation({}), outcome('retry'))).toMatchObject({
      type: 'INVOCATION_EXHAUSTED',
      accountId: 'acct_x',
      webhookId: 'wh_00000000000000000000000001',
      invocationId: 'inv_00000000000000000000000001',
      reason: '2 attempts failed, the last: TIMEOUT: the target did not answer within 30 s',
      occurredAt: at,
      id: expect.stringMatching(/^opev_/),
    });
  });

  test('not for a failure that is never retried, a retry still scheduled, a success, or a test', () => {
    expect(invocationExhausted(invocation({}), outcome('fail'))).toBeNull();
    expect(invocationExhausted(invocation({}), outcome('gone'))).toBeNull();
    expect(invocationExhausted(invocation({ status: 'RETRYING' }), outcome('retry'))).toBeNull();
    expect(invocationExhausted(invocation({ status: 'SUCCEEDED' }), outcome('success'))).toBeNull();
    expect(invocationExhausted(invocation({ test: true }), outcome('retry'))).toBeNull();
  });
});

/**
 * A clock for the workers (`createTestApp(kind, { now: clock.now })`) that a test moves forward
 * instead of sleeping: a lease, a token's lifetime or the auto-disable window then passes at once, and
 * the test does not depend on how fast the machine is.
 *
 * It runs with the real clock plus an offset that only grows, so it is never behind the real clock:
 * whatever the API stores at real time (an invocation due now) is due for the workers too.
 */
export interface TestClock {
  now: () => number;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
}

export function testClock(): TestClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms;
    },
  };
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  afterFailure,
  delayAfter,
  EMAIL_THROTTLE,
  IP_THROTTLE,
  liveThrottle,
  retryAfterSeconds,
  waitMs,
  type ThrottlePolicy,
} from './login-throttle.ts';
import type { LoginThrottle } from './platform-model.ts';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const T0 = Date.UTC(2025, 4, 17, 8, 0, 0);

/** The state after failures at the given instants, in order. */
function failuresAt(policy: ThrottlePolicy, instants: readonly number[]): LoginThrottle | null {
  let state: LoginThrottle | null = null;
  for (const at of instants) state = afterFailure(policy, state, at);
  return state;
}

test('lets four failures of one email through and blocks after the fifth for one second', () => {
  const four = failuresAt(EMAIL_THROTTLE, [T0, T0 + 1, T0 + 2, T0 + 3]);
  assert.equal(waitMs(EMAIL_THROTTLE, four, T0 + 4), 0);
  const five = afterFailure(EMAIL_THROTTLE, four, T0 + 4);
  assert.equal(five.failures, 5);
  assert.equal(waitMs(EMAIL_THROTTLE, five, T0 + 4), SECOND);
  assert.equal(waitMs(EMAIL_THROTTLE, five, T0 + 4 + SECOND), 0);
});

test('blocks an IP only after fifty failures', () => {
  const instants = Array.from({ length: 50 }, (_, index) => T0 + index * SECOND);
  assert.equal(waitMs(IP_THROTTLE, failuresAt(IP_THROTTLE, instants.slice(0, 49)), T0 + 49 * SECOND), 0);
  assert.equal(waitMs(IP_THROTTLE, failuresAt(IP_THROTTLE, instants), T0 + 49 * SECOND), SECOND);
});

test('doubles the delay with each further failure, from one second up to fifteen minutes', () => {
  const table: [number, number][] = [
    [4, 0],
    [5, 1 * SECOND],
    [6, 2 * SECOND],
    [7, 4 * SECOND],
    [8, 8 * SECOND],
    [13, 256 * SECOND],
    [14, 512 * SECOND],
    [15, 15 * MINUTE],
    [16, 15 * MINUTE],
    [10_000, 15 * MINUTE],
  ];
  for (const [failures, delay] of table) assert.equal(delayAfter(EMAIL_THROTTLE, failures), delay, `after ${failures}`);
});

test('a failure made as soon as a block ends doubles the next block', () => {
  let state = failuresAt(EMAIL_THROTTLE, [T0, T0, T0, T0, T0]);
  let now = T0;
  const waits: number[] = [];
  for (let step = 0; step < 6; step += 1) {
    const wait = waitMs(EMAIL_THROTTLE, state, now);
    waits.push(wait);
    now += wait;
    state = afterFailure(EMAIL_THROTTLE, state, now);
  }
  assert.deepEqual(waits, [1, 2, 4, 8, 16, 32].map((seconds) => seconds * SECOND));
});

test('forgets failures below the threshold once fifteen minutes have passed since the first', () => {
  const four = failuresAt(EMAIL_THROTTLE, [T0, T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE]);
  assert.notEqual(liveThrottle(EMAIL_THROTTLE, four, T0 + 15 * MINUTE - 1), null);
  assert.equal(liveThrottle(EMAIL_THROTTLE, four, T0 + 15 * MINUTE), null);
  assert.equal(afterFailure(EMAIL_THROTTLE, four, T0 + 15 * MINUTE).failures, 1);
  assert.equal(afterFailure(EMAIL_THROTTLE, four, T0 + 15 * MINUTE - 1).failures, 5);
});

test('keeps a blocked key counting until it has been quiet for fifteen minutes after its block', () => {
  const blocked = failuresAt(EMAIL_THROTTLE, [T0, T0, T0, T0, T0, T0 + SECOND])!;
  assert.equal(blocked.blockedUntil, T0 + 3 * SECOND);
  assert.equal(afterFailure(EMAIL_THROTTLE, blocked, T0 + 3 * SECOND + 15 * MINUTE - 1).failures, 7);
  assert.equal(liveThrottle(EMAIL_THROTTLE, blocked, T0 + 3 * SECOND + 15 * MINUTE), null);
  assert.equal(afterFailure(EMAIL_THROTTLE, blocked, T0 + 3 * SECOND + 15 * MINUTE).failures, 1);
});

test('rounds a wait up to whole seconds for Retry-After, never below one', () => {
  const table: [number, number][] = [
    [0, 1],
    [1, 1],
    [999, 1],
    [1_000, 1],
    [1_001, 2],
    [900_000, 900],
  ];
  for (const [ms, seconds] of table) assert.equal(retryAfterSeconds(ms), seconds, `${ms} ms`);
});

const gaps = fc.array(fc.integer({ min: 0, max: 20 * MINUTE }), { minLength: 1, maxLength: 80 });

test('never makes anyone wait more than fifteen minutes, whatever the failures', () => {
  fc.assert(
    fc.property(gaps, fc.integer({ min: 0, max: 20 * MINUTE }), (steps, later) => {
      let now = T0;
      let state: LoginThrottle | null = null;
      for (const gap of steps) {
        now += gap;
        state = afterFailure(EMAIL_THROTTLE, state, now);
      }
      assert.ok(waitMs(EMAIL_THROTTLE, state, now + later) <= 15 * MINUTE);
      assert.equal(waitMs(EMAIL_THROTTLE, state, now + 15 * MINUTE), 0, 'no permanent lockout');
    }),
    { numRuns: 500 },
  );
});

test('allows at most eighteen password checks of one email in any fifteen minutes', () => {
  // Five plus nine doublings (1 + 2 + … + 256 s < 15 min) in an escalation, plus four left over
  // from a window that lapsed below the threshold just before.
  fc.assert(
    fc.property(gaps, (steps) => {
      let now = T0;
      let state: LoginThrottle | null = null;
      const checked: number[] = [];
      for (const gap of steps) {
        now += gap;
        // The attacker tries at every step; only attempts that are not blocked reach the password.
        if (waitMs(EMAIL_THROTTLE, state, now) > 0) continue;
        checked.push(now);
        state = afterFailure(EMAIL_THROTTLE, state, now);
      }
      for (const start of checked) {
        const inWindow = checked.filter((at) => at >= start && at < start + 15 * MINUTE).length;
        assert.ok(inWindow <= 18, `${inWindow} checks within fifteen minutes`);
      }
    }),
    { numRuns: 500 },
  );
  // The bound is reached: someone who tries as soon as allowed gets fourteen checks at once.
  let now = T0;
  let state: LoginThrottle | null = null;
  let count = 0;
  while (now < T0 + 15 * MINUTE) {
    now += waitMs(EMAIL_THROTTLE, state, now);
    if (now >= T0 + 15 * MINUTE) break;
    state = afterFailure(EMAIL_THROTTLE, state, now);
    count += 1;
  }
  assert.equal(count, 14);
});

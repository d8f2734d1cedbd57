// Sign-in throttling, as arithmetic on a failure count (DESIGN §3): after `threshold` failures
// within the window, each further failure blocks the key for a delay that doubles from 1 s up to
// 15 minutes. Nothing locks for good: a key quiet for a window after its block ends starts over.
import type { LoginThrottle } from './platform-model.ts';

export interface ThrottlePolicy {
  /** Failures within the window before attempts are refused. */
  readonly threshold: number;
  readonly windowMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

const WINDOW_MS = 15 * 60_000;

/** Per (org, email), unknown emails included, so an answer never tells whether an account exists. */
export const EMAIL_THROTTLE: ThrottlePolicy = { threshold: 5, windowMs: WINDOW_MS, baseDelayMs: 1_000, maxDelayMs: WINDOW_MS };
/** Per (org, client IP): spraying many emails from one address. */
export const IP_THROTTLE: ThrottlePolicy = { ...EMAIL_THROTTLE, threshold: 50 };

export const emailThrottleKey = (email: string): string => `email:${email}`;
export const ipThrottleKey = (ip: string): string => `ip:${ip}`;
/** Installation-wide, per (slug, email) for a slug that names no org: throttled as a real org's email would be. */
export const unknownOrgThrottleKey = (slug: string, email: string): string => `unknown-org:${slug}:${emailThrottleKey(email)}`;

/**
 * The state still in force at `now`, or null once it has lapsed: below the threshold, when the
 * window since the first failure is over; at or above it, when a whole window has passed since
 * the block ended (so waiting out one block does not reset the doubling).
 */
export function liveThrottle(policy: ThrottlePolicy, state: LoginThrottle | null, now: number): LoginThrottle | null {
  if (state === null) return null;
  const lapsesAt =
    state.failures < policy.threshold
      ? state.firstFailureAt + policy.windowMs
      : Math.max(state.blockedUntil, state.lastFailureAt) + policy.windowMs;
  return now >= lapsesAt ? null : state;
}

/** The block that follows the given number of failures: none below the threshold, then 1 s, 2 s, 4 s … up to the cap. */
export function delayAfter(policy: ThrottlePolicy, failures: number): number {
  if (failures < policy.threshold) return 0;
  const doublings = failures - policy.threshold;
  // 2^doublings overflows to Infinity long after the cap is reached, which Math.min absorbs.
  return Math.min(policy.baseDelayMs * 2 ** doublings, policy.maxDelayMs);
}

/**
 * Counts whose last failure and block both ended before this instant have lapsed under every
 * policy (see liveThrottle), so the store may forget them.
 */
export function lapsedBefore(now: number): number {
  return now - Math.max(EMAIL_THROTTLE.windowMs, IP_THROTTLE.windowMs);
}

/** Milliseconds until an attempt may be checked; 0 when it may be checked now. */
export function waitMs(policy: ThrottlePolicy, state: LoginThrottle | null, now: number): number {
  const live = liveThrottle(policy, state, now);
  return live === null ? 0 : Math.max(0, live.blockedUntil - now);
}

/** The state after one more failure at `now`. */
export function afterFailure(policy: ThrottlePolicy, state: LoginThrottle | null, now: number): LoginThrottle {
  const live = liveThrottle(policy, state, now);
  const failures = (live?.failures ?? 0) + 1;
  const delay = delayAfter(policy, failures);
  return {
    failures,
    firstFailureAt: live?.firstFailureAt ?? now,
    lastFailureAt: now,
    blockedUntil: delay === 0 ? 0 : now + delay,
  };
}

/** A wait as Retry-After says it: whole seconds, rounded up, at least 1. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1_000));
}

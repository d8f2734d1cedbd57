// Sign-in sessions: how long one lives (2 hours idle, 12 hours at most), how often its activity is
// written down, and the cookie secret's format. Only the secret's SHA-256 is ever stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionRecord } from './platform-model.ts';

export const SESSION_IDLE_MS = 2 * 3_600_000;
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
/** Activity is written at most once a minute, so a busy session does not write on every request. */
export const SESSION_TOUCH_RESOLUTION_MS = 60_000;

const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** 256 random bits, base64url: the cookie's value. */
export function generateSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function isWellFormedSessionSecret(value: string): boolean {
  return SECRET_PATTERN.test(value);
}

export function hashSessionSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export type SessionStatus = 'active' | 'revoked' | 'idle' | 'expired';

export function sessionStatus(session: SessionRecord, now: number): SessionStatus {
  if (session.revokedAt !== null) return 'revoked';
  if (now >= session.expiresAt) return 'expired';
  if (now - session.lastSeenAt >= SESSION_IDLE_MS) return 'idle';
  return 'active';
}

/** Whether a use at `now` should move lastSeenAt forward. */
export function touchDue(session: SessionRecord, now: number): boolean {
  return now - session.lastSeenAt >= SESSION_TOUCH_RESOLUTION_MS;
}

const CSRF_CONTEXT = 'sectrail csrf token\0';

/**
 * The token a page of the console sends with every change it makes with the cookie (header
 * `X-CSRF-Token`), on top of the Origin check: derived from the session's secret, so it needs no
 * storage, dies with the session, and cannot be computed from what the database holds (the
 * secret's plain SHA-256) or by a page that cannot read the HttpOnly cookie.
 */
export function csrfTokenOf(secret: string): string {
  return createHash('sha256').update(CSRF_CONTEXT).update(secret).digest('base64url');
}

/** Whether a request's CSRF token is the session's, compared in constant time. */
export function csrfTokenMatches(secret: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const expected = Buffer.from(csrfTokenOf(secret));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

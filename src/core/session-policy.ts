// Sign-in sessions: how long one lives (2 hours idle, 12 hours at most), how often its activity is
// written down, and the cookie secret's format. Only the secret's SHA-256 is ever stored.
import { createHash, randomBytes } from 'node:crypto';
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

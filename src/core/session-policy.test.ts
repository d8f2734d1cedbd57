import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SessionRecord } from './platform-model.ts';
import {
  generateSessionSecret,
  hashSessionSecret,
  isWellFormedSessionSecret,
  sessionStatus,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  touchDue,
} from './session-policy.ts';

const T0 = Date.UTC(2025, 4, 17, 8, 0, 0);
const HOUR = 3_600_000;

function session(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    orgId: 'org',
    hash: 'h',
    id: 's',
    userId: 'u',
    method: 'password',
    createdAt: T0,
    lastSeenAt: T0,
    expiresAt: T0 + SESSION_ABSOLUTE_MS,
    revokedAt: null,
    ...overrides,
  };
}

test('lives two hours idle and twelve hours at most', () => {
  assert.equal(SESSION_IDLE_MS, 2 * HOUR);
  assert.equal(SESSION_ABSOLUTE_MS, 12 * HOUR);
  const table: [SessionRecord, number, string][] = [
    [session(), T0 + 2 * HOUR - 1, 'active'],
    [session(), T0 + 2 * HOUR, 'idle'],
    [session({ lastSeenAt: T0 + 11 * HOUR }), T0 + 12 * HOUR - 1, 'active'],
    [session({ lastSeenAt: T0 + 11 * HOUR }), T0 + 12 * HOUR, 'expired'],
    [session({ revokedAt: T0 + 1 }), T0 + 2, 'revoked'],
  ];
  for (const [record, now, status] of table) assert.equal(sessionStatus(record, now), status, `at +${now - T0} ms`);
});

test('writes activity down at most once a minute', () => {
  assert.equal(touchDue(session(), T0 + 59_999), false);
  assert.equal(touchDue(session(), T0 + 60_000), true);
});

test('makes 256-bit base64url secrets and keeps only their SHA-256', () => {
  const secret = generateSessionSecret();
  assert.ok(isWellFormedSessionSecret(secret));
  assert.notEqual(generateSessionSecret(), secret);
  assert.match(hashSessionSecret(secret), /^[0-9a-f]{64}$/);
  assert.ok(!isWellFormedSessionSecret(`${secret}A`));
  assert.ok(!isWellFormedSessionSecret(`${secret.slice(1)}.`));
  assert.ok(!isWellFormedSessionSecret(''));
});

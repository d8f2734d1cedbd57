import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { clientAddressKey } from './client-address.ts';
import { draftEvent } from './events/envelope.ts';
import {
  foldedEvent,
  foldKeys,
  placeFailure,
  SAMPLE_SIZE,
  withFolded,
  withWritten,
  WRITTEN_PER_CLIENT,
  WRITTEN_PER_ORG,
  type FailureDraft,
  type FailureFold,
} from './failure-folding.ts';

const T0 = Date.UTC(2025, 4, 17, 8);

function failure(email: string | null, ip: string | null = '203.0.113.7', userAgent = 'curl/8'): FailureDraft {
  return draftEvent(
    'login.failed',
    { actor: null, ipAddress: ip, userAgent, endpoint: 'POST /api/auth/login', requestId: `r-${String(email)}` },
    { method: 'password', reason: 'unknown_user', attemptedEmail: email },
    'failure',
  );
}

describe('failure folding', () => {
  test('writes the first failures of a client and of the org, then folds per client, then per kind', () => {
    let client: FailureFold | null = null;
    for (let i = 0; i < WRITTEN_PER_CLIENT; i += 1) {
      assert.equal(placeFailure(client, null), 'write');
      client = withWritten(client, 'o', 'k', T0);
    }
    assert.equal(placeFailure(client, null), 'client');
    const spent: FailureFold = { orgId: 'o', key: '*', windowStart: T0, written: WRITTEN_PER_ORG, folded: null };
    assert.equal(placeFailure(null, spent), 'anyClient');
    assert.equal(placeFailure(client, spent), 'client');
  });

  test('keys a failure by its method, reason and client, IPv6 clients by their /64', () => {
    const v6 = (ip: string) => foldKeys(failure('a@b.test', ip)).client;
    assert.equal(v6('2001:db8:1:2::7'), v6('2001:db8:1:2:ffff::1'));
    assert.notEqual(v6('2001:db8:1:2::7'), v6('2001:db8:1:3::7'));
    assert.equal(foldKeys(failure('a@b.test', '::ffff:198.51.100.4')).client, foldKeys(failure('a@b.test', '198.51.100.4')).client);
    assert.deepEqual(foldKeys(failure(null, null)), { client: 'password/unknown_user|-', anyClient: 'password/unknown_user|*', org: '*' });
    assert.equal(clientAddressKey('not an address'), 'not an address');
  });

  test('writes one folded failure as it was', () => {
    const fold = withFolded(null, 'o', 'k', failure('a@b.test'), T0);
    assert.ok(fold.folded !== null);
    assert.deepEqual(foldedEvent(fold.folded), failure('a@b.test'));
  });

  test('counts every folded attempt, names what they shared, and samples emails and addresses up to a bound', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ email: fc.constantFrom('a@x.test', 'b@x.test', ...Array.from({ length: 30 }, (_, i) => `u${String(i)}@x.test`)), ip: fc.constantFrom('203.0.113.7', '203.0.113.8') }), {
          minLength: 2,
          maxLength: 200,
        }),
        (attempts) => {
          let fold: FailureFold | null = null;
          attempts.forEach((attempt, i) => {
            fold = withFolded(fold, 'o', 'k', failure(attempt.email, attempt.ip), T0 + i);
          });
          const folded = (fold as FailureFold | null)?.folded;
          assert.ok(folded !== null && folded !== undefined);
          const event = foldedEvent(folded);
          const aggregated = event.details.aggregated;
          assert.ok(aggregated !== undefined);
          assert.equal(aggregated.count, attempts.length);
          assert.equal(aggregated.firstAt, new Date(T0).toISOString());
          assert.equal(aggregated.lastAt, new Date(T0 + attempts.length - 1).toISOString());
          const emails = [...new Set(attempts.map((attempt) => attempt.email))];
          assert.deepEqual(aggregated.attemptedEmails, emails.slice(0, SAMPLE_SIZE));
          const listed = new Set(emails.slice(0, SAMPLE_SIZE));
          assert.equal(aggregated.otherEmailAttempts, attempts.filter((attempt) => !listed.has(attempt.email)).length);
          const addresses = [...new Set(attempts.map((attempt) => attempt.ip))];
          assert.deepEqual(aggregated.ipAddresses, addresses);
          assert.equal(aggregated.otherAddressAttempts, 0);
          assert.equal(event.details.attemptedEmail, emails.length === 1 ? emails[0] : null);
          assert.equal(event.context.ipAddress, addresses.length === 1 ? addresses[0] : null);
          assert.equal(event.context.userAgent, 'curl/8');
          assert.equal(event.context.requestId, null, 'a folded event stands for many requests');
        },
      ),
    );
  });
});

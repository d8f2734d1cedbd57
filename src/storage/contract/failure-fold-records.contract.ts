// Failure-event flood protection's windows and the sign-in counts' sweep: stored and read back
// whole, listed oldest first, and read-modify-written by concurrent transactions without losing a
// count (the key is held until commit).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FailureDraft, FailureFold } from '../../core/failure-folding.ts';
import { INSTALLATION_WIDE } from '../../core/ports/store.ts';
import { createOrgIn, loginEvent, withStore } from './contract-fixtures.ts';
import { ManualClock } from './manual-clock.ts';
import type { StoreContractTarget } from './store.contract.ts';

const T0 = Date.UTC(2025, 4, 17, 8);

export function failureFoldRecordsContract(target: StoreContractTarget): void {
  describe('failure windows and sign-in count sweeps', () => {
    test('stores a window with what it folded, replaces it, lists it by age and deletes it', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const draft = loginEvent('ada@acme.test') as FailureDraft;
        const folded: FailureFold = {
          orgId: org.id,
          key: 'password/invalid_credentials|203.0.113.7',
          windowStart: T0,
          written: 10,
          folded: {
            count: 2,
            firstAt: T0 + 1,
            lastAt: T0 + 2,
            last: draft,
            same: { actor: true, ipAddress: true, userAgent: false, endpoint: true, attemptedEmail: false, tokenId: true, provider: true },
            emails: ['ada@acme.test', 'bo@acme.test'],
            otherEmailAttempts: 0,
            addresses: ['203.0.113.7'],
            otherAddressAttempts: 0,
          },
        };
        const counting: FailureFold = { orgId: org.id, key: '*', windowStart: T0 + 5, written: 3, folded: null };
        await store.transact(async (tx) => {
          await tx.saveFailureFold(folded);
          await tx.saveFailureFold(counting);
        });
        assert.deepEqual(await store.transact((tx) => tx.failureFold(org.id, folded.key)), folded);
        assert.deepEqual(await store.transact((tx) => tx.failureFold(org.id, '*')), counting);
        assert.equal(await store.transact((tx) => tx.failureFold(org.id, 'other')), null);
        const replaced = { ...folded, written: 11, folded: null };
        await store.transact((tx) => tx.saveFailureFold(replaced));
        assert.deepEqual(await store.transact((tx) => tx.failureFold(org.id, folded.key)), replaced);
        assert.deepEqual(await store.transact((tx) => tx.failureFoldsStartedBefore(T0 + 6, 10)), [
          { orgId: org.id, key: folded.key },
          { orgId: org.id, key: '*' },
        ]);
        assert.deepEqual(await store.transact((tx) => tx.failureFoldsStartedBefore(T0 + 5, 10)), [{ orgId: org.id, key: folded.key }]);
        assert.deepEqual(await store.transact((tx) => tx.failureFoldsStartedBefore(T0 + 6, 1)), [{ orgId: org.id, key: folded.key }]);
        await store.transact((tx) => tx.deleteFailureFold(org.id, folded.key));
        assert.equal(await store.transact((tx) => tx.failureFold(org.id, folded.key)), null);
      });
    });

    test('holds a window until commit, so concurrent transactions count every failure', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const increment = () =>
          store.transact(async (tx) => {
            const fold = await tx.failureFold(org.id, '*');
            // A pause between the read and the write, where another transaction would slip in.
            await new Promise((resolve) => setTimeout(resolve, 2));
            await tx.saveFailureFold({ orgId: org.id, key: '*', windowStart: T0, written: (fold?.written ?? 0) + 1, folded: null });
          });
        await Promise.all(Array.from({ length: 20 }, increment));
        assert.equal((await store.transact((tx) => tx.failureFold(org.id, '*')))?.written, 20);
      });
    });

    test('sweeps the sign-in counts whose last failure and block ended before the given instant', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const lapsed = { failures: 2, firstFailureAt: T0, lastFailureAt: T0 + 1_000, blockedUntil: 0 };
        const blocked = { failures: 9, firstFailureAt: T0, lastFailureAt: T0 + 1_000, blockedUntil: T0 + 60_000 };
        const recent = { failures: 1, firstFailureAt: T0 + 30_000, lastFailureAt: T0 + 30_000, blockedUntil: 0 };
        await store.transact(async (tx) => {
          await tx.setLoginThrottle(org.id, 'email:old@acme.test', lapsed);
          await tx.setLoginThrottle(org.id, 'email:blocked@acme.test', blocked);
          await tx.setLoginThrottle(INSTALLATION_WIDE, 'ip:203.0.113.7', recent);
        });
        assert.equal(await store.transact((tx) => tx.sweepLoginThrottle(T0 + 20_000)), 1);
        assert.equal(await store.platform.loginThrottle(org.id, 'email:old@acme.test'), null);
        assert.deepEqual(await store.platform.loginThrottle(org.id, 'email:blocked@acme.test'), blocked);
        assert.deepEqual(await store.platform.loginThrottle(INSTALLATION_WIDE, 'ip:203.0.113.7'), recent);
        assert.equal(await store.transact((tx) => tx.sweepLoginThrottle(T0 + 60_001)), 2);
      });
    });
  });
}

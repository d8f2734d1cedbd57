// Platform records: unique names, idempotent revocation, once-per-interval use logging, settings
// created once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UniqueViolationError } from '../../core/ports/store.ts';
import { createOrgIn, newOrg, withStore } from './contract-fixtures.ts';
import { ManualClock } from './manual-clock.ts';
import type { StoreContractTarget } from './store.contract.ts';

const T0 = Date.UTC(2025, 4, 17, 8);


export function platformRecordsContract(target: StoreContractTarget): void {
  describe('platform records', () => {
    test('refuses a taken org slug and a taken service-account name', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await assert.rejects(store.transact((tx) => tx.createOrg({ ...newOrg(), slug: org.slug })), UniqueViolationError);
        const account = { orgId: org.id, id: 'sa-1', name: 'siem', role: 'reader' as const, createdAt: T0 };
        await store.transact((tx) => tx.createServiceAccount(account));
        await assert.rejects(store.transact((tx) => tx.createServiceAccount({ ...account, id: 'sa-2' })), UniqueViolationError);
        assert.equal((await store.platform.serviceAccounts(org.id)).length, 1);
      });
    });

    test('revokes a token once and logs its use at most once per interval', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const token = {
          orgId: org.id,
          id: 't-1',
          name: 'siem',
          hash: 'a'.repeat(64),
          ownerKind: 'service_account' as const,
          ownerId: 'sa-1',
          scopes: ['security-log:read' as const],
          createdAt: T0,
          expiresAt: null,
        };
        await store.transact((tx) => tx.createToken(token));
        const hour = 3_600_000;
        assert.equal(await store.transact((tx) => tx.touchToken(org.id, 't-1', T0, T0 - hour)), true);
        assert.equal(await store.transact((tx) => tx.touchToken(org.id, 't-1', T0 + 1000, T0 + 1000 - hour)), false);
        assert.equal(await store.transact((tx) => tx.touchToken(org.id, 't-1', T0 + hour, T0)), true);
        const touched = await store.platform.tokenByHash('a'.repeat(64));
        assert.equal(touched?.lastUsedAt, T0 + hour);
        assert.equal(await store.transact((tx) => tx.revokeToken(org.id, 't-1', T0 + 5)), true);
        assert.equal(await store.transact((tx) => tx.revokeToken(org.id, 't-1', T0 + 6)), false);
        assert.equal((await store.platform.tokenById(null, 't-1'))?.revokedAt, T0 + 5);
        assert.equal(await store.platform.tokenById(newOrg().id, 't-1'), null);
      });
    });

    test('creates a setting once and returns the same value after', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const first = await store.transact((tx) => tx.setting('k', () => Buffer.from('one')));
        const second = await store.transact((tx) => tx.setting('k', () => Buffer.from('two')));
        assert.equal(first.toString(), 'one');
        assert.equal(second.toString(), 'one');
      });
    });
  });
}

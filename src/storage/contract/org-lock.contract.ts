// The org lock: transactions that take one org's lock run one at a time, so a check made under it
// still holds when the write commits; the lock ends with its transaction; it never deadlocks with
// the event heads locked at commit.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Member } from '../../core/platform-model.ts';
import type { Store } from '../../core/ports/store.ts';
import { createOrgIn, loginEvent, withStore } from './contract-fixtures.ts';
import { ManualClock } from './manual-clock.ts';
import type { StoreContractTarget } from './store.contract.ts';

const T0 = Date.UTC(2025, 4, 17, 8);
const WRITERS = 10;

/** Long enough for every other writer to read before this one writes, were they not taking turns. */
const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

async function orgWithMember(store: Store): Promise<Member> {
  return store.transact(async (tx) => {
    const org = await createOrgIn(tx);
    const member: Member = { orgId: org.id, id: 'u-1', email: 'bo@acme.test', name: 'Bo', role: 'reader', privileges: [], passwordHash: null, createdAt: T0 };
    await tx.createMember(member);
    return member;
  });
}

export function orgLockContract(target: StoreContractTarget): void {
  describe('org lock', () => {
    test('makes read-then-write transactions on one org take turns, so that none loses another’s write', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const member = await orgWithMember(store);
        await Promise.all(
          Array.from({ length: WRITERS }, (_, n) =>
            store.transact(async (tx) => {
              await tx.lockOrg(member.orgId);
              const current = await tx.memberById(member.orgId, member.id);
              await pause();
              await tx.setMemberPrivileges(member.orgId, member.id, [...(current?.privileges ?? []), `p${n}`]);
            }),
          ),
        );
        const privileges = (await store.platform.memberById(member.orgId, member.id))?.privileges ?? [];
        assert.equal(privileges.length, WRITERS, `every write kept: ${privileges.join(', ')}`);
      });
    });

    test('releases the lock when its transaction rolls back, as when it commits', { timeout: 20_000 }, async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const member = await orgWithMember(store);
        const failing = store.transact(async (tx) => {
          await tx.lockOrg(member.orgId);
          throw new Error('the change fails');
        });
        await assert.rejects(failing, /the change fails/);
        await store.transact((tx) => tx.lockOrg(member.orgId));
        await store.transact((tx) => tx.lockOrg(member.orgId));
      });
    });

    test('never deadlocks with the event heads, even when a transaction records events of other orgs', { timeout: 30_000 }, async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const orgs = await store.transact(async (tx) => [await createOrgIn(tx), await createOrgIn(tx)]);
        await Promise.all(
          Array.from({ length: 16 }, (_, n) =>
            store.transact(async (tx) => {
              await tx.lockOrg(orgs[n % 2]!.id);
              // Events of both orgs, recorded in either order: their heads are locked at commit.
              for (const org of n % 3 === 0 ? [...orgs].reverse() : orgs) tx.record(org.id, loginEvent());
              await pause();
            }),
          ),
        );
        for (const org of orgs) assert.equal((await store.trail.head(org.id)).lastSeq, 16);
      });
    });
  });
}

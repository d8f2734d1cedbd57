// Retention: whole days before the cutoff leave the trail, per org as reported, in the caller's
// transaction; everything else stays, and seq goes on from each org's head.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { epochDayOf } from '../../core/day-window.ts';
import type { Store } from '../../core/ports/store.ts';
import { createOrgIn, loginEvent, withStore } from './contract-fixtures.ts';
import { ManualClock } from './manual-clock.ts';
import type { StoreContractTarget } from './store.contract.ts';

const DAY = 86_400_000;
// Months apart, so that on PostgreSQL whole monthly partitions go as well as parts of one.
const JAN_10 = Date.UTC(2025, 0, 10, 12);
const MAR_30 = Date.UTC(2025, 2, 30, 23, 59, 59, 999);
const MAR_31 = Date.UTC(2025, 2, 31);
const APR_2 = Date.UTC(2025, 3, 2, 9);

async function seqsOf(store: Store, orgId: string): Promise<number[]> {
  return (await store.trail.after(orgId, 0, 1000)).map((row) => row.seq);
}

async function dayCount(store: Store, orgId: string, ms: number): Promise<number> {
  const query = { orgId, epochDay: epochDayOf(ms), afterSeq: 0, eventTypes: null };
  return (await store.trail.page(query, 1000)).length;
}

export function trailRetentionContract(target: StoreContractTarget): void {
  describe('retention', () => {
    test('deletes every org’s days before the cutoff, reports them per org, and keeps the rest', async () => {
      const clock = new ManualClock(JAN_10);
      await withStore(target, clock, async (store) => {
        const [acme, globex, quiet] = await store.transact(async (tx) => [await createOrgIn(tx), await createOrgIn(tx), await createOrgIn(tx)]);
        const writeAt = async (ms: number, orgIds: string[], count = 1) => {
          clock.set(ms);
          await store.transact(async (tx) => {
            for (const orgId of orgIds) for (let i = 0; i < count; i += 1) tx.record(orgId, loginEvent());
          });
        };
        await writeAt(JAN_10, [acme.id], 3);
        await writeAt(MAR_30, [acme.id, globex.id], 2);
        await writeAt(MAR_31, [acme.id, globex.id]);
        await writeAt(APR_2, [acme.id, globex.id, quiet.id]);

        const purged = await store.transact((tx) => tx.purgeEventsBefore(epochDayOf(MAR_31)));
        const byOrg = new Map(purged.map((entry) => [entry.orgId, entry]));
        assert.deepEqual([...byOrg.keys()].sort(), [acme.id, globex.id].sort(), 'an org that lost nothing is not listed');
        assert.deepEqual(byOrg.get(acme.id), {
          orgId: acme.id, count: 5, firstSeq: 1, lastSeq: 5, firstEpochDay: epochDayOf(JAN_10), lastEpochDay: epochDayOf(MAR_30),
        });
        assert.deepEqual(byOrg.get(globex.id), {
          orgId: globex.id, count: 2, firstSeq: 1, lastSeq: 2, firstEpochDay: epochDayOf(MAR_30), lastEpochDay: epochDayOf(MAR_30),
        });

        assert.deepEqual(await seqsOf(store, acme.id), [6, 7]);
        assert.deepEqual(await seqsOf(store, globex.id), [3, 4]);
        assert.deepEqual(await seqsOf(store, quiet.id), [1]);
        assert.equal(await dayCount(store, acme.id, JAN_10), 0);
        assert.equal(await dayCount(store, acme.id, MAR_30), 0, 'the last millisecond of the last purged day went too');
        assert.equal(await dayCount(store, acme.id, MAR_31), 1, 'the first kept day is whole');
        assert.equal(await store.trail.lastSeqBeforeDay(acme.id, epochDayOf(APR_2)), 6);

        await writeAt(APR_2 + 1000, [acme.id]);
        assert.deepEqual(await seqsOf(store, acme.id), [6, 7, 8], 'seq goes on from the head');
        assert.deepEqual(await store.transact((tx) => tx.purgeEventsBefore(epochDayOf(MAR_31))), [], 'a second purge finds nothing');
      });
    });

    test('a purge whose transaction fails deletes nothing', async () => {
      const clock = new ManualClock(JAN_10);
      await withStore(target, clock, async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact(async (tx) => { tx.record(org.id, loginEvent()); });
        const failing = store.transact(async (tx) => {
          assert.equal((await tx.purgeEventsBefore(epochDayOf(JAN_10 + 40 * DAY))).length, 1);
          throw new Error('the purge event could not be written');
        });
        await assert.rejects(failing, /could not be written/);
        assert.deepEqual(await seqsOf(store, org.id), [1]);
      });
    });
  });
}

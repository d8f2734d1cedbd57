// Sealing's records: a day closed for sealing takes no more events (the next one is stamped on the
// first open day), digests and their tree nodes are stored once and never changed, keys keep
// their validity windows, and work done alone runs once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { epochDayOf } from '../../core/day-window.ts';
import { createOrgIn, loginEvent, withStore } from './contract-fixtures.ts';
import { ManualClock } from './manual-clock.ts';
import type { StoreContractTarget } from './store.contract.ts';

const MAY_17 = Date.UTC(2025, 4, 17, 12);
const DAY = 86_400_000;

export function sealRecordsContract(target: StoreContractTarget): void {
  describe('seal records', () => {
    test('stamps no event on or before a closed day, whatever the clock says', async () => {
      const clock = new ManualClock(MAY_17);
      await withStore(target, clock, async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact((tx) => tx.closeDaysThrough(org.id, epochDayOf(MAY_17) + 1));
        await store.transact((tx) => tx.closeDaysThrough(org.id, epochDayOf(MAY_17)));
        await store.transact(async (tx) => { tx.record(org.id, loginEvent()); });
        const [row] = await store.trail.after(org.id, 0, 1);
        assert.equal((JSON.parse(row?.json ?? '{}') as { timestamp: string }).timestamp, new Date(MAY_17 - 12 * 3_600_000 + 2 * DAY).toISOString(), 'closing never moves back');
      });
    });

    test('stores a day’s digest once and never replaces it', async () => {
      const clock = new ManualClock(MAY_17);
      await withStore(target, clock, async (store) => {
        const [a, b] = await store.transact(async (tx) => [await createOrgIn(tx), await createOrgIn(tx)]);
        const day = epochDayOf(MAY_17);
        assert.equal(await store.transact((tx) => tx.saveDigest(a.id, day, '{"first":true}')), true);
        assert.equal(await store.transact((tx) => tx.saveDigest(a.id, day, '{"second":true}')), false);
        assert.equal(await store.platform.digestJson(a.id, day), '{"first":true}');
        assert.equal(await store.platform.digestJson(b.id, day), null, 'another org’s day is its own');
        const progress = await store.platform.sealProgress();
        assert.deepEqual(progress.find((entry) => entry.orgId === a.id)?.lastSealedDay, day);
        assert.deepEqual(progress.find((entry) => entry.orgId === b.id)?.lastSealedDay, null);
      });
    });

    test('stores a day’s tree nodes once, never replaces them, and reads them back by position', async () => {
      const clock = new ManualClock(MAY_17);
      await withStore(target, clock, async (store) => {
        const [a, b] = await store.transact(async (tx) => [await createOrgIn(tx), await createOrgIn(tx)]);
        const day = epochDayOf(MAY_17);
        const node = (fill: number) => Buffer.alloc(32, fill);
        const nodes = Buffer.concat([node(1), node(0), node(0xff), node(7)]);
        assert.equal(await store.platform.dayTreeNodes(a.id, day, [0]), null, 'none before they are stored');
        assert.equal(await store.transact((tx) => tx.saveDayTreeNodes(a.id, day, { chunkSize: 1024, nodes })), true);
        assert.equal(await store.transact((tx) => tx.saveDayTreeNodes(a.id, day, { chunkSize: 2, nodes: node(3) })), false);
        assert.deepEqual(await store.platform.dayTreeNodes(a.id, day, [3, 0, 2]), { chunkSize: 1024, nodeCount: 4, nodes: [node(7), node(1), node(0xff)] });
        assert.deepEqual(await store.platform.dayTreeNodes(a.id, day, []), { chunkSize: 1024, nodeCount: 4, nodes: [] });
        assert.equal((await store.platform.dayTreeNodes(a.id, day, [4]))?.nodes[0]?.length, 0, 'past the last node');
        assert.equal(await store.transact((tx) => tx.saveDayTreeNodes(a.id, day + 1, { chunkSize: 1024, nodes: Buffer.alloc(0) })), true, 'an empty day has none');
        assert.deepEqual(await store.platform.dayTreeNodes(a.id, day + 1, []), { chunkSize: 1024, nodeCount: 0, nodes: [] });
        assert.equal(await store.platform.dayTreeNodes(b.id, day, [0]), null, 'another org’s day is its own');
      });
    });

    test('keeps each signing key’s window: a new key ends the open one, and a known key changes nothing', async () => {
      const clock = new ManualClock(MAY_17);
      await withStore(target, clock, async (store) => {
        await store.transact((tx) => tx.useSigningKey({ keyId: 'k1', publicKey: 'p1', announcement: null }, 1000));
        await store.transact((tx) => tx.useSigningKey({ keyId: 'k1', publicKey: 'p1', announcement: null }, 2000));
        await store.transact((tx) => tx.useSigningKey({ keyId: 'k2', publicKey: 'p2', announcement: null }, 3000));
        await store.transact((tx) => tx.useSigningKey({ keyId: 'k2', publicKey: 'p2', announcement: '{"by":"k1"}' }, 4000));
        assert.deepEqual(await store.platform.signingKeys(), [
          { keyId: 'k1', publicKey: 'p1', validFrom: 1000, validUntil: 3000, announcement: null },
          { keyId: 'k2', publicKey: 'p2', validFrom: 3000, validUntil: null, announcement: '{"by":"k1"}' },
        ]);
      });
    });

    test('runs work alone and gives back its result', async () => {
      await withStore(target, new ManualClock(MAY_17), async (store) => {
        assert.equal(await store.alone('sealing', () => Promise.resolve(42)), 42);
        assert.equal(await store.alone('sealing', () => Promise.resolve(43)), 43, 'and again once the first is done');
      });
    });
  });
}

// Reads: UTC days split exactly at midnight, pages and streams in seq order, filters, snapshot
// bounds, and only committed events ever visible.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { epochDayOf } from '../../core/day-window.ts';
import type { DayQuery, StoredEventRow } from '../../core/ports/store.ts';
import { createOrgIn, loginEvent, logoutEvent, roleEvent, withStore } from './contract-fixtures.ts';
import { ManualClock } from './manual-clock.ts';
import type { StoreContractTarget } from './store.contract.ts';

const MIDNIGHT = Date.UTC(2025, 4, 18);
const DAY_BEFORE = epochDayOf(MIDNIGHT - 1);
const DAY_AFTER = epochDayOf(MIDNIGHT);

async function collect(stream: AsyncIterable<readonly StoredEventRow[]>): Promise<number[]> {
  const seqs: number[] = [];
  for await (const batch of stream) seqs.push(...batch.map((row) => row.seq));
  return seqs;
}


export function trailReadsContract(target: StoreContractTarget): void {
  describe('reads', () => {
    test('puts 23:59:59.999 in its day and 00:00:00.000 in the next', async () => {
      const clock = new ManualClock(MIDNIGHT - 1);
      await withStore(target, clock, async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact(async (tx) => { tx.record(org.id, loginEvent()); });
        clock.set(MIDNIGHT);
        await store.transact(async (tx) => { tx.record(org.id, loginEvent()); });
        const query = (epochDay: number): DayQuery => ({ orgId: org.id, epochDay, afterSeq: 0, eventTypes: null });
        assert.deepEqual((await store.trail.page(query(DAY_BEFORE), 10)).map((row) => row.seq), [1]);
        assert.deepEqual((await store.trail.page(query(DAY_AFTER), 10)).map((row) => row.seq), [2]);
        assert.equal(await store.trail.lastSeqBeforeDay(org.id, DAY_AFTER), 1);
        assert.equal(await store.trail.lastSeqBeforeDay(org.id, DAY_BEFORE), 0);
      });
    });

    test('pages after a position, filters by type, and stops at a snapshot bound', async () => {
      const clock = new ManualClock(MIDNIGHT + 1000);
      await withStore(target, clock, async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact(async (tx) => {
          for (let i = 0; i < 10; i += 1) tx.record(org.id, i % 2 === 0 ? loginEvent() : roleEvent());
        });
        const base = { orgId: org.id, epochDay: DAY_AFTER, eventTypes: null };
        assert.deepEqual((await store.trail.page({ ...base, afterSeq: 3 }, 4)).map((row) => row.seq), [4, 5, 6, 7]);
        const roles = await store.trail.page({ ...base, afterSeq: 0, eventTypes: ['user.role.updated'] }, 100);
        assert.deepEqual(roles.map((row) => row.seq), [2, 4, 6, 8, 10]);
        const bounded = await store.trail.page({ ...base, afterSeq: 0, throughSeq: 6 }, 100);
        assert.deepEqual(bounded.map((row) => row.seq), [1, 2, 3, 4, 5, 6]);
        assert.deepEqual(await collect(store.trail.streamDay({ ...base, afterSeq: 8 })), [9, 10]);
      });
    });

    test('reads one type or several exactly as the day filtered, paged and streamed, within the day and the org', async () => {
      const clock = new ManualClock(MIDNIGHT + 1000);
      await withStore(target, clock, async (store) => {
        const [org, other] = await store.transact(async (tx) => [await createOrgIn(tx), await createOrgIn(tx)]);
        const typeOf = (i: number) => (i % 97 === 0 ? 'logout' : i % 3 === 0 ? 'user.role.updated' : 'login.failed');
        const draftOf = (i: number) => (i % 97 === 0 ? logoutEvent() : i % 3 === 0 ? roleEvent() : loginEvent());
        await store.transact(async (tx) => {
          for (let i = 1; i <= 4600; i += 1) {
            tx.record(org.id, draftOf(i));
            tx.record(other.id, draftOf(i + 1));
          }
        });
        clock.set(MIDNIGHT + 86_400_000);
        await store.transact(async (tx) => { tx.record(org.id, logoutEvent()); });
        const day = { orgId: org.id, epochDay: DAY_AFTER };
        for (const types of [['logout'], ['logout', 'user.role.updated'], ['login.failed', 'logout', 'user.role.updated']]) {
          const expected = (from: number, through: number) =>
            Array.from({ length: through - from }, (_, i) => from + i + 1).filter((seq) => types.includes(typeOf(seq)));
          assert.deepEqual(await collect(store.trail.streamDay({ ...day, afterSeq: 0, eventTypes: types })), expected(0, 4600), `stream of ${types.join(', ')}`);
          const bounded = await collect(store.trail.streamDay({ ...day, afterSeq: 1000, throughSeq: 3500, eventTypes: types }));
          assert.deepEqual(bounded, expected(1000, 3500), 'a stream between a position and a snapshot bound');
          const pageSize = types.length === 1 ? 7 : 900;
          const walked: number[] = [];
          for (let afterSeq = 0; ; ) {
            const page = await store.trail.page({ ...day, afterSeq, eventTypes: types }, pageSize);
            walked.push(...page.map((row) => row.seq));
            if (page.length < pageSize) break;
            afterSeq = page[page.length - 1]?.seq ?? 0;
          }
          assert.deepEqual(walked, expected(0, 4600), `pages of ${types.join(', ')}`);
          const rows = await store.trail.page({ ...day, afterSeq: 0, eventTypes: types }, 3);
          assert.deepEqual(rows.map((row) => (JSON.parse(row.json) as { type: string }).type), expected(0, 4600).slice(0, 3).map(typeOf), 'each row is its own event');
        }
      });
    });

    test('streams a day larger than one batch, every event once and in order', async () => {
      const clock = new ManualClock(MIDNIGHT + 1000);
      await withStore(target, clock, async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const total = 4501;
        await store.transact(async (tx) => {
          for (let i = 0; i < total; i += 1) tx.record(org.id, loginEvent());
        });
        const seqs = await collect(store.trail.streamDay({ orgId: org.id, epochDay: DAY_AFTER, afterSeq: 0, eventTypes: null }));
        assert.deepEqual(seqs, Array.from({ length: total }, (_, i) => i + 1));
      });
    });

    test('frees what a stream held when its reader stops after the first batch', async () => {
      const clock = new ManualClock(MIDNIGHT + 1000);
      await withStore(target, clock, async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact(async (tx) => {
          for (let i = 0; i < 4501; i += 1) tx.record(org.id, loginEvent());
        });
        const query: DayQuery = { orgId: org.id, epochDay: DAY_AFTER, afterSeq: 0, eventTypes: null };
        // More abandoned streams than any pool has connections: a leak would hang the loop.
        for (let round = 0; round < 25; round += 1) {
          for await (const batch of store.trail.streamDay(query)) {
            assert.equal(batch[0]?.seq, 1);
            break;
          }
        }
        await store.transact(async (tx) => { tx.record(org.id, loginEvent()); });
        assert.equal((await store.trail.head(org.id)).lastSeq, 4502);
      });
    });

    test('shows no event of a transaction that has not committed', async () => {
      const clock = new ManualClock(MIDNIGHT + 1000);
      await withStore(target, clock, async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        let seenInside: number | null = null;
        await store.transact(async (tx) => {
          tx.record(org.id, loginEvent());
          seenInside = (await store.trail.after(org.id, 0, 10)).length;
        });
        assert.equal(seenInside, 0);
        assert.equal((await store.trail.after(org.id, 0, 10)).length, 1);
      });
    });

    test('reads the tail in seq order across days', async () => {
      const clock = new ManualClock(MIDNIGHT - 10);
      await withStore(target, clock, async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        for (let i = 0; i < 6; i += 1) {
          await store.transact(async (tx) => { tx.record(org.id, loginEvent()); });
          clock.advance(4);
        }
        assert.deepEqual((await store.trail.after(org.id, 2, 3)).map((row) => row.seq), [3, 4, 5]);
        assert.deepEqual((await store.trail.after(org.id, 6, 3)).map((row) => row.seq), []);
      });
    });

    test('walks a day page by page exactly once while writers append to it', async () => {
      const clock = new ManualClock(MIDNIGHT + 1000);
      await withStore(target, clock, async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact(async (tx) => {
          for (let i = 0; i < 30; i += 1) tx.record(org.id, loginEvent());
        });
        let writing = true;
        const writers = Array.from({ length: 4 }, async () => {
          for (let i = 0; i < 25; i += 1) {
            await store.transact(async (tx) => {
              tx.record(org.id, loginEvent());
              tx.record(org.id, roleEvent());
            });
          }
        });
        const settled = Promise.all(writers).then(() => {
          writing = false;
        });
        const walks: number[][] = [];
        // Walk again and again while the writers run, and once more after they stop.
        for (let more = true; more; more = writing) {
          const atStart = (await store.trail.head(org.id)).lastSeq;
          const seen: number[] = [];
          for (let page = await store.trail.page({ orgId: org.id, epochDay: DAY_AFTER, afterSeq: 0, eventTypes: null }, 7); ; ) {
            seen.push(...page.map((row) => row.seq));
            if (page.length < 7) break;
            page = await store.trail.page({ orgId: org.id, epochDay: DAY_AFTER, afterSeq: seen[seen.length - 1] ?? 0, eventTypes: null }, 7);
          }
          assert.deepEqual(seen, Array.from({ length: seen.length }, (_, i) => i + 1), 'no gap, no duplicate, in order');
          assert.ok(seen.length >= atStart, 'every event committed before the walk began');
          walks.push(seen);
          await Promise.resolve();
        }
        await settled;
        assert.equal(walks[walks.length - 1]?.length, 30 + 4 * 25 * 2);
      });
    });

    test('continues a tail position on a store opened again, as after a restart', async () => {
      const clock = new ManualClock(MIDNIGHT - 10);
      const opened = await target.open(clock);
      try {
        const org = await opened.store.transact((tx) => createOrgIn(tx));
        for (let i = 0; i < 3; i += 1) await opened.store.transact(async (tx) => { tx.record(org.id, loginEvent()); });
        const position = (await opened.store.trail.after(org.id, 0, 2)).at(-1)?.seq ?? 0;
        const store = await opened.reopen();
        clock.advance(20);
        await store.transact(async (tx) => { tx.record(org.id, loginEvent()); });
        assert.deepEqual((await store.trail.after(org.id, position, 10)).map((row) => row.seq), [3, 4]);
      } finally {
        await opened.dispose();
      }
    });
  });
}

// Appends: an event exists if and only if its transaction committed; seq is gap-free per org in
// commit order; timestamps are commit times that never go backwards within an org.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalJson } from '../../core/canonical-json.ts';
import { InvalidEventError, draftEvent } from '../../core/events/envelope.ts';
import type { Store } from '../../core/ports/store.ts';
import { CONTEXT, createOrgIn, loginEvent, newOrg, roleEvent, withStore } from './contract-fixtures.ts';
import { ManualClock } from './manual-clock.ts';
import type { StoreContractTarget } from './store.contract.ts';

const T0 = Date.UTC(2025, 4, 17, 8, 0, 0);

async function allEvents(store: Store, orgId: string): Promise<Record<string, unknown>[]> {
  const rows = await store.trail.after(orgId, 0, 1_000_000);
  return rows.map((row) => JSON.parse(row.json) as Record<string, unknown>);
}


export function trailAppendsContract(target: StoreContractTarget): void {
  describe('appends', () => {
    test('numbers events from 1 without gaps and stamps them with the commit time', async () => {
      const clock = new ManualClock(T0);
      await withStore(target, clock, async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact(async (tx) => {
          tx.record(org.id, loginEvent());
          tx.record(org.id, roleEvent());
        });
        clock.advance(1500);
        await store.transact(async (tx) => { tx.record(org.id, loginEvent()); });
        const events = await allEvents(store, org.id);
        assert.deepEqual(events.map((event) => event['seq']), [1, 2, 3]);
        assert.deepEqual(
          events.map((event) => event['timestamp']),
          [new Date(T0).toISOString(), new Date(T0).toISOString(), new Date(T0 + 1500).toISOString()],
        );
        assert.deepEqual(await store.trail.head(org.id), { lastSeq: 3, lastTimestampMs: T0 + 1500 });
      });
    });

    test('keeps neither the change nor its event when the transaction fails', async () => {
      const clock = new ManualClock(T0);
      await withStore(target, clock, async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const failing = store.transact(async (tx) => {
          await tx.createServiceAccount({ orgId: org.id, id: 'sa-1', name: 'siem', role: 'reader', createdAt: T0 });
          tx.record(org.id, loginEvent());
          throw new Error('the write after the change fails');
        });
        await assert.rejects(failing, /the write after the change fails/);
        assert.equal(await store.platform.serviceAccountById(org.id, 'sa-1'), null);
        assert.deepEqual(await allEvents(store, org.id), []);
        await store.transact(async (tx) => { tx.record(org.id, loginEvent()); });
        assert.deepEqual((await allEvents(store, org.id)).map((event) => event['seq']), [1]);
      });
    });

    test('refuses an event whose details do not match its type', async () => {
      const clock = new ManualClock(T0);
      await withStore(target, clock, async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const bad = draftEvent('user.role.updated', CONTEXT, { before: 'reader' } as never);
        await assert.rejects(store.transact(async (tx) => { tx.record(org.id, bad); }), InvalidEventError);
        assert.deepEqual(await allEvents(store, org.id), []);
      });
    });

    test('never stamps an event before the org\u2019s last one when the clock goes back', async () => {
      const clock = new ManualClock(T0);
      await withStore(target, clock, async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact(async (tx) => { tx.record(org.id, loginEvent()); });
        clock.set(T0 - 60_000);
        await store.transact(async (tx) => { tx.record(org.id, loginEvent()); });
        const stamps = (await allEvents(store, org.id)).map((event) => event['timestamp']);
        assert.deepEqual(stamps, [new Date(T0).toISOString(), new Date(T0).toISOString()]);
      });
    });

    test('gives concurrent writers one gap-free sequence with non-decreasing timestamps', async () => {
      const clock = new ManualClock(T0);
      await withStore(target, clock, async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const writers = Array.from({ length: 20 }, (_, writer) =>
          (async () => {
            for (let i = 0; i < 10; i += 1) {
              clock.advance(writer % 3 === 0 ? -5 : 7);
              await store.transact(async (tx) => {
                tx.record(org.id, loginEvent(`w${writer}-${i}@acme.test`));
                await Promise.resolve();
                tx.record(org.id, roleEvent());
              });
            }
          })(),
        );
        await Promise.all(writers);
        const events = await allEvents(store, org.id);
        assert.deepEqual(events.map((event) => event['seq']), Array.from({ length: 400 }, (_, i) => i + 1));
        const stamps = events.map((event) => Date.parse(event['timestamp'] as string));
        assert.ok(stamps.every((stamp, i) => i === 0 || stamp >= (stamps[i - 1] as number)));
      });
    });

    test('stores each envelope once as canonical JSON with the fields of the contract', async () => {
      const clock = new ManualClock(T0);
      await withStore(target, clock, async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact(async (tx) => { tx.record(org.id, roleEvent()); });
        const [row] = await store.trail.after(org.id, 0, 10);
        assert.ok(row !== undefined);
        const parsed = JSON.parse(row.json) as Record<string, unknown>;
        assert.equal(row.json, canonicalJson(parsed));
        assert.deepEqual(Object.keys(parsed).sort(), [
          'category', 'details', 'endpoint', 'id', 'ipAddress', 'outcome', 'requestId', 'seq', 'timestamp', 'type', 'user', 'userAgent',
        ]);
        assert.match(parsed['id'] as string, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.equal(parsed['category'], 'role_privilege');
      });
    });

    test('keeps each org\u2019s sequence apart', async () => {
      const clock = new ManualClock(T0);
      await withStore(target, clock, async (store) => {
        const [a, b] = await store.transact(async (tx) => [await createOrgIn(tx, newOrg()), await createOrgIn(tx, newOrg())]);
        assert.ok(a && b);
        await store.transact(async (tx) => {
          tx.record(a.id, loginEvent('a@acme.test'));
          tx.record(b.id, loginEvent('b@acme.test'));
          tx.record(a.id, loginEvent('a@acme.test'));
        });
        const emails = (events: Record<string, unknown>[]) =>
          events.map((event) => [(event['details'] as { attemptedEmail: string }).attemptedEmail, event['seq']]);
        assert.deepEqual(emails(await allEvents(store, a.id)), [['a@acme.test', 1], ['a@acme.test', 2]]);
        assert.deepEqual(emails(await allEvents(store, b.id)), [['b@acme.test', 1]]);
      });
    });

    test('keeps every committed event across a restart and continues the sequence', async () => {
      const clock = new ManualClock(T0);
      const opened = await target.open(clock);
      try {
        const org = await opened.store.transact((tx) => createOrgIn(tx));
        await opened.store.transact(async (tx) => { tx.record(org.id, loginEvent()); });
        const store = await opened.reopen();
        await store.transact(async (tx) => { tx.record(org.id, loginEvent()); });
        assert.deepEqual((await allEvents(store, org.id)).map((event) => event['seq']), [1, 2]);
      } finally {
        await opened.dispose();
      }
    });
  });
}

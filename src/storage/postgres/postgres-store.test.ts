// Runs the store contract on PostgreSQL when SECTRAIL_TEST_PG_URL names a server (CI sets it);
// each opened store gets a database of its own, dropped when the case ends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { epochDayOf } from '../../core/day-window.ts';
import { createTestDatabase, NO_PG_REASON, TEST_PG_URL } from '../../../test/support/postgres-databases.ts';
import { createOrgIn, loginEvent } from '../contract/contract-fixtures.ts';
import { ManualClock } from '../contract/manual-clock.ts';
import { runStoreContract } from '../contract/store.contract.ts';
import { PostgresStore } from './postgres-store.ts';

if (TEST_PG_URL === '') {
  test(`PostgreSQL store contract (${NO_PG_REASON})`, { skip: NO_PG_REASON }, () => undefined);
} else {
  runStoreContract({
    name: 'PostgreSQL',
    async open(clock) {
      const database = await createTestDatabase();
      let store = await PostgresStore.open({ connectionString: database.url, clock });
      return {
        store,
        reopen: async () => {
          await store.close();
          store = await PostgresStore.open({ connectionString: database.url, clock });
          return store;
        },
        dispose: async () => {
          await store.close();
          await database.drop();
        },
      };
    },
  });
}

test('stamps events with the database clock when asked, whatever the server clock says', { skip: TEST_PG_URL === '' ? NO_PG_REASON : false }, async () => {
  const database = await createTestDatabase();
  const longAgo = new ManualClock(Date.UTC(2001, 0, 1));
  const store = await PostgresStore.open({ connectionString: database.url, clock: longAgo, useDatabaseClock: true });
  try {
    const org = await store.transact((tx) => createOrgIn(tx));
    const before = Date.now();
    await store.transact(async (tx) => {
      tx.record(org.id, loginEvent());
    });
    const after = Date.now();
    const [row] = await store.trail.after(org.id, 0, 1);
    const stamped = Date.parse((JSON.parse(row?.json ?? '{}') as { timestamp: string }).timestamp);
    // The database runs on this machine: its clock is this one's, give or take a second.
    assert.ok(stamped >= before - 1000 && stamped <= after + 1000, new Date(stamped).toISOString());
  } finally {
    await store.close();
    await database.drop();
  }
});

test('counts every one of concurrent sign-in failures on one key (no lost update)', { skip: TEST_PG_URL === '' ? NO_PG_REASON : false }, async () => {
  const database = await createTestDatabase();
  const store = await PostgresStore.open({ connectionString: database.url, clock: new ManualClock(Date.UTC(2025, 4, 17)) });
  try {
    const org = await store.transact((tx) => createOrgIn(tx));
    await Promise.all(
      Array.from({ length: 20 }, () =>
        store.transact(async (tx) => {
          const state = await tx.loginThrottle(org.id, 'ip:203.0.113.7');
          const failures = (state?.failures ?? 0) + 1;
          await tx.setLoginThrottle(org.id, 'ip:203.0.113.7', { failures, firstFailureAt: 1, lastFailureAt: 1, blockedUntil: 0 });
        }),
      ),
    );
    assert.equal((await store.platform.loginThrottle(org.id, 'ip:203.0.113.7'))?.failures, 20);
  } finally {
    await store.close();
    await database.drop();
  }
});

test('retention drops the monthly partitions wholly before the cutoff and trims the one that straddles it', { skip: TEST_PG_URL === '' ? NO_PG_REASON : false }, async () => {
  const database = await createTestDatabase();
  const clock = new ManualClock(Date.UTC(2025, 0, 10));
  const store = await PostgresStore.open({ connectionString: database.url, clock });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const partitions = async () =>
    (await client.query<{ name: string }>("SELECT relname AS name FROM pg_class WHERE relname LIKE 'events_p%' AND relkind = 'r' ORDER BY 1")).rows.map((row) => row.name);
  try {
    const org = await store.transact((tx) => createOrgIn(tx));
    for (const ms of [Date.UTC(2025, 0, 10), Date.UTC(2025, 1, 20), Date.UTC(2025, 2, 5), Date.UTC(2025, 2, 20)]) {
      clock.set(ms);
      await store.transact(async (tx) => {
        tx.record(org.id, loginEvent());
      });
    }
    assert.deepEqual(await partitions(), ['events_p202501', 'events_p202502', 'events_p202503', 'events_p202504', 'events_p202505']);
    const purged = await store.transact((tx) => tx.purgeEventsBefore(epochDayOf(Date.UTC(2025, 2, 10))));
    assert.equal(purged[0]?.count, 3);
    assert.deepEqual(await partitions(), ['events_p202503', 'events_p202504', 'events_p202505']);
    assert.deepEqual((await store.trail.after(org.id, 0, 10)).map((row) => row.seq), [4]);
  } finally {
    await client.end();
    await store.close();
    await database.drop();
  }
});

test('row-level security walls each org off for its tables’ owner, whatever a query forgets to say', { skip: TEST_PG_URL === '' ? NO_PG_REASON : false }, async () => {
  const database = await createTestDatabase();
  const store = await PostgresStore.open({ connectionString: database.url, clock: new ManualClock(Date.UTC(2025, 4, 17)) });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const count = async (table: string) => Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
  try {
    assert.deepEqual(store.warnings, [], 'an ordinary owner role gets no warning');
    const [acme, globex] = await store.transact(async (tx) => [await createOrgIn(tx), await createOrgIn(tx)]);
    await store.transact(async (tx) => {
      tx.record(acme.id, loginEvent());
      tx.record(globex.id, loginEvent());
      tx.record(globex.id, loginEvent());
    });

    for (const table of ['orgs', 'org_heads', 'events', 'events_p202505']) assert.equal(await count(table), 0, `${table} without an org`);
    await client.query("SELECT set_config('sectrail.org_id', $1, false)", [acme.id]);
    assert.equal(await count('orgs'), 1);
    assert.equal(await count('events'), 1, 'no WHERE, yet only acme’s event');
    assert.equal(await count('events_p202505'), 1, 'a partition named directly is walled too');
    await assert.rejects(
      client.query("INSERT INTO events (org_id, seq, day, ts, id, type, envelope) VALUES ($1, 99, 20225, 0, 'forged', 'logout', '{}')", [globex.id]),
      /row-level security/,
      'nor can a row be written into another org',
    );
    await client.query("SELECT set_config('sectrail.org_id', '*', false)");
    assert.equal(await count('events'), 3, 'installation-wide sees every org');
    assert.deepEqual((await store.trail.after(acme.id, 0, 10)).map((row) => row.seq), [1]);
  } finally {
    await client.end();
    await store.close();
    await database.drop();
  }
});

test('warns when it runs as a role that passes through row-level security', { skip: TEST_PG_URL === '' ? NO_PG_REASON : false }, async () => {
  const database = await createTestDatabase();
  const superuserUrl = new URL(TEST_PG_URL);
  superuserUrl.pathname = `/${database.name}`;
  const store = await PostgresStore.open({ connectionString: superuserUrl.toString(), clock: new ManualClock(Date.UTC(2025, 4, 17)) });
  try {
    assert.equal(store.warnings.length, 1);
    assert.match(store.warnings[0] ?? '', /row-level security between orgs is not enforced/);
  } finally {
    await store.close();
    await database.drop();
  }
});

test('of two servers on one database, one does the work done alone; the other is told so and does nothing', { skip: TEST_PG_URL === '' ? NO_PG_REASON : false }, async () => {
  const database = await createTestDatabase();
  const clock = new ManualClock(Date.UTC(2025, 4, 17));
  const first = await PostgresStore.open({ connectionString: database.url, clock });
  const second = await PostgresStore.open({ connectionString: database.url, clock });
  try {
    let release: () => void = () => undefined;
    const holding = first.alone('sealing', () => new Promise<string>((resolve) => { release = () => { resolve('first'); }; }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await second.alone('sealing', () => Promise.resolve('second')), null);
    release();
    assert.equal(await holding, 'first');
    assert.equal(await second.alone('sealing', () => Promise.resolve('second')), 'second', 'free again once the first is done');
  } finally {
    await first.close();
    await second.close();
    await database.drop();
  }
});

test('holds an org’s lock against that org’s transactions only: another org’s go ahead', { skip: TEST_PG_URL === '' ? NO_PG_REASON : false }, async () => {
  const database = await createTestDatabase();
  const store = await PostgresStore.open({ connectionString: database.url, clock: new ManualClock(Date.UTC(2025, 4, 17)) });
  try {
    const [acme, globex] = await store.transact(async (tx) => [await createOrgIn(tx), await createOrgIn(tx)]);
    let release: () => void = () => undefined;
    const holding = store.transact(async (tx) => {
      await tx.lockOrg(acme.id);
      await new Promise<void>((resolve) => { release = resolve; });
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await store.transact((tx) => tx.lockOrg(globex.id));
    let waited = true;
    const sameOrg = store.transact((tx) => tx.lockOrg(acme.id)).then(() => { waited = false; });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(waited, true, 'a transaction on the locked org waits');
    release();
    await holding;
    await sameOrg;
    assert.equal(waited, false, 'and goes on once the holder has committed');
  } finally {
    await store.close();
    await database.drop();
  }
});

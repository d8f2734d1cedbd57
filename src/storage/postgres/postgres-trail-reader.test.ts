// The plans PostgreSQL makes of a day read, whole or filtered by type, and of the tail, on a connection walled to one
// org as the trail reader's are: an index in seq order (ranges of events_by_type for types), never a
// scan of the day or a type checked row by row; a page reads about what it returns, and nothing
// is sorted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg, { type QueryResult, type QueryResultRow } from 'pg';
import { createTestDatabase, NO_PG_REASON, TEST_PG_URL } from '../../../test/support/postgres-databases.ts';
import { epochDayOf } from '../../core/day-window.ts';
import { createOrgIn, loginEvent, logoutEvent, roleEvent } from '../contract/contract-fixtures.ts';
import { ManualClock } from '../contract/manual-clock.ts';
import { PostgresStore } from './postgres-store.ts';
import type { Queryable } from './postgres-queries.ts';
import { declareDayCursor, readAfter, readDayPage } from './postgres-trail-reader.ts';

const NOON = Date.UTC(2025, 4, 17, 12);
const TYPES = ['logout', 'user.role.updated', 'login.failed'];
const PAGE = 100;

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly 'Index Cond'?: string;
  readonly Filter?: string;
  readonly 'Actual Rows'?: number;
  readonly 'Actual Loops'?: number;
  readonly Plans?: readonly PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/**
 * The reader's own page and cursor code on a client that runs their settings and answers their
 * read with its plan instead: executed and measured for a page, planned only for a cursor.
 */
async function planOf(client: pg.Client, read: (explaining: Queryable) => Promise<unknown>): Promise<PlanNode[]> {
  let plan: PlanNode[] = [];
  const explaining: Queryable = {
    async query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>> {
      if (text.startsWith('SELECT set_config')) return client.query<R>(text, values);
      const explain = text.startsWith('DECLARE') ? 'EXPLAIN (FORMAT JSON)' : 'EXPLAIN (ANALYZE, FORMAT JSON)';
      const result = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`${explain} ${text}`, values);
      plan = nodesOf(result.rows[0]?.['QUERY PLAN'][0].Plan as PlanNode);
      return { ...result, rows: [] as R[] };
    },
  };
  await read(explaining);
  return plan;
}

/**
 * What no day read may do: scan a table, sort, or check the type of each row it reads; a filtered
 * one reads only ranges of one type each. Returns the nodes that read rows of events.
 */
function assertNoDayScan(nodes: readonly PlanNode[], label: string, typed: boolean): PlanNode[] {
  assert.deepEqual(nodes.filter((node) => node['Node Type'].includes('Seq Scan')).map((node) => node['Relation Name']), [], `${label}: no table scan`);
  assert.deepEqual(nodes.filter((node) => node['Node Type'] === 'Sort').map((node) => node['Node Type']), [], `${label}: nothing sorted`);
  assert.deepEqual(nodes.filter((node) => node.Filter?.includes('type') === true).map((node) => node.Filter), [], `${label}: no type checked row by row`);
  const ranges = nodes.filter((node) => node['Index Name'] !== undefined);
  assert.ok(ranges.length > 0, `${label}: reads an index`);
  if (typed) assert.deepEqual(ranges.filter((node) => !/\(type = /.test(node['Index Cond'] ?? '')).map((node) => node['Index Cond']), [], `${label}: type ranges only`);
  return nodes.filter((node) => node['Relation Name'] !== undefined);
}

test('reads a day, whole or of one type or several, along an index in seq order, never scanning or sorting the day', { skip: TEST_PG_URL === '' ? NO_PG_REASON : false }, async () => {
  const database = await createTestDatabase();
  const store = await PostgresStore.open({ connectionString: database.url, clock: new ManualClock(NOON) });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const org = await store.transact((tx) => createOrgIn(tx));
    await store.transact(async (tx) => {
      for (let i = 0; i < 3000; i += 1) tx.record(org.id, i % 500 === 0 ? logoutEvent() : i % 2 === 0 ? roleEvent() : loginEvent());
    });
    // The rest of the month's partition, as a busy installation has it: other orgs' events of the
    // day and this org's of other days (the plan of a near-empty table says nothing).
    const neighbour = await store.transact((tx) => createOrgIn(tx));
    await client.query("SELECT set_config('sectrail.org_id', '*', false)");
    await client.query(
      `INSERT INTO events (org_id, seq, day, ts, id, type, envelope)
       SELECT CASE WHEN i % 2 = 0 THEN $1 ELSE $2 END, 10000 + i, CASE WHEN i % 2 = 0 THEN $3::int ELSE $3::int - 1 - i % 15 END,
              0, 'filler-' || i, (ARRAY['login.failed', 'user.role.updated', 'logout'])[1 + i % 3], repeat('x', 200)
       FROM generate_series(1, 100000) AS i`,
      [neighbour.id, org.id, epochDayOf(NOON)],
    );
    await client.query("SELECT set_config('sectrail.org_id', '', false)");
    for (const when of ['without statistics', 'after ANALYZE']) {
      if (when === 'after ANALYZE') await client.query('ANALYZE events');
      await client.query('BEGIN READ ONLY');
      await client.query("SELECT set_config('sectrail.org_id', $1, true)", [org.id]);
      for (let typeCount = 0; typeCount <= TYPES.length; typeCount += 1) {
        const types = TYPES.slice(0, typeCount);
        const label = `${typeCount === 0 ? 'every type' : types.join(', ')} ${when}`;
        const query = { orgId: org.id, epochDay: epochDayOf(NOON), afterSeq: 0, eventTypes: typeCount === 0 ? null : types };
        const page = await planOf(client, (explaining) => readDayPage(explaining, query, PAGE + 1));
        const read = assertNoDayScan(page, `a page of ${label}`, typeCount > 0).reduce((sum, node) => sum + (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1), 0);
        assert.ok(read <= PAGE + 1 + typeCount, `a page of ${label} read ${String(read)} rows`);

        const stream = await planOf(client, (explaining) => declareDayCursor(explaining, query));
        assertNoDayScan(stream, `a stream of ${label}`, typeCount > 0);
      }
      await client.query('COMMIT');
    }
  } finally {
    await client.end();
    await store.close();
    await database.drop();
  }
});

test('reads the tail along the seq index, never scanning or sorting the org\u2019s log', { skip: TEST_PG_URL === '' ? NO_PG_REASON : false }, async () => {
  const database = await createTestDatabase();
  const store = await PostgresStore.open({ connectionString: database.url, clock: new ManualClock(NOON) });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const org = await store.transact((tx) => createOrgIn(tx));
    const neighbour = await store.transact((tx) => createOrgIn(tx));
    // A long log over many days of the month, beside another org's: what a tail from the start meets.
    await client.query("SELECT set_config('sectrail.org_id', '*', false)");
    await client.query(
      `INSERT INTO events (org_id, seq, day, ts, id, type, envelope)
       SELECT CASE WHEN i % 4 = 0 THEN $1 ELSE $2 END, i, $3::int - 20 + i / 10000, 0, 'tail-' || i, 'login.failed', repeat('x', 200)
       FROM generate_series(1, 200000) AS i`,
      [neighbour.id, org.id, epochDayOf(NOON)],
    );
    await client.query("SELECT set_config('sectrail.org_id', '', false)");
    for (const when of ['without statistics', 'after ANALYZE']) {
      if (when === 'after ANALYZE') await client.query('ANALYZE events');
      await client.query('BEGIN READ ONLY');
      await client.query("SELECT set_config('sectrail.org_id', $1, true)", [org.id]);
      for (const afterSeq of [0, 150_000]) {
        const plan = await planOf(client, (explaining) => readAfter(explaining, org.id, afterSeq, 1000));
        const label = `the tail after ${String(afterSeq)} ${when}`;
        const read = assertNoDayScan(plan, label, false).reduce((sum, node) => sum + (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1), 0);
        assert.ok(read <= 1000 + 60, `${label} read ${String(read)} rows`);
      }
      await client.query('COMMIT');
    }
  } finally {
    await client.end();
    await store.close();
    await database.drop();
  }
});

// The plans PostgreSQL makes of a day read filtered by type, on a connection walled to one org as
// the trail reader's are: ranges of events_by_type, never a scan of the day with the type checked
// row by row; a page reads about what it returns, and a stream's cursor sorts nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, NO_PG_REASON, TEST_PG_URL } from '../../../test/support/postgres-databases.ts';
import { epochDayOf } from '../../core/day-window.ts';
import { createOrgIn, loginEvent, logoutEvent, roleEvent } from '../contract/contract-fixtures.ts';
import { ManualClock } from '../contract/manual-clock.ts';
import { PostgresStore } from './postgres-store.ts';
import { TYPED_READ_SETTINGS, typedDaySql } from './postgres-trail-reader.ts';

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

async function planOf(client: pg.Client, sql: string, params: unknown[]): Promise<PlanNode[]> {
  const rows = (await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(sql, params)).rows;
  return nodesOf(rows[0]?.['QUERY PLAN'][0].Plan as PlanNode);
}

/**
 * What no filtered read may do: scan a table, or check the type of each row it reads. Every index
 * it reads is a range of one type. Returns the nodes that read rows of events.
 */
function assertNoDayScan(nodes: readonly PlanNode[], label: string): PlanNode[] {
  assert.deepEqual(nodes.filter((node) => node['Node Type'].includes('Seq Scan')).map((node) => node['Relation Name']), [], `${label}: no table scan`);
  assert.deepEqual(nodes.filter((node) => node.Filter?.includes('type') === true).map((node) => node.Filter), [], `${label}: no type checked row by row`);
  const ranges = nodes.filter((node) => node['Index Name'] !== undefined);
  assert.ok(ranges.length > 0, `${label}: reads an index`);
  assert.deepEqual(ranges.filter((node) => !/\(type = /.test(node['Index Cond'] ?? '')).map((node) => node['Index Cond']), [], `${label}: type ranges only`);
  return nodes.filter((node) => node['Relation Name'] !== undefined);
}

test('reads a day filtered by one type or several from the type index, never scanning the day', { skip: TEST_PG_URL === '' ? NO_PG_REASON : false }, async () => {
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
    const bounds = [org.id, epochDayOf(NOON), 0, Number.MAX_SAFE_INTEGER];
    for (const when of ['without statistics', 'after ANALYZE']) {
      if (when === 'after ANALYZE') await client.query('ANALYZE events');
      await client.query('BEGIN READ ONLY');
      await client.query("SELECT set_config('sectrail.org_id', $1, true)", [org.id]);
      await client.query(TYPED_READ_SETTINGS);
      for (let typeCount = 1; typeCount <= TYPES.length; typeCount += 1) {
        const types = TYPES.slice(0, typeCount);
        const label = `${types.join(', ')} ${when}`;
        const page = await planOf(client, `EXPLAIN (ANALYZE, FORMAT JSON) ${typedDaySql(typeCount)}`, [...bounds, PAGE + 1, ...types]);
        const read = assertNoDayScan(page, `a page of ${label}`).reduce((sum, node) => sum + (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1), 0);
        assert.ok(read <= PAGE + 1 + typeCount, `a page of ${label} read ${String(read)} rows`);

        const stream = await planOf(client, `EXPLAIN (FORMAT JSON) DECLARE day_events NO SCROLL CURSOR FOR ${typedDaySql(typeCount)}`, [...bounds, null, ...types]);
        assertNoDayScan(stream, `a stream of ${label}`);
        assert.deepEqual(stream.filter((node) => node['Node Type'] === 'Sort'), [], `a stream of ${label} sorts nothing`);
      }
      await client.query('COMMIT');
    }
  } finally {
    await client.end();
    await store.close();
    await database.drop();
  }
});

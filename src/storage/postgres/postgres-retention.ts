// Retention on PostgreSQL, inside the caller's transaction: every monthly partition wholly before
// the cutoff day is dropped, and the rows before it left in the month that straddles it (or in the
// default partition) are deleted. One server at a time (an advisory lock); the heads of the orgs
// that lose events are locked first, in org order like the appender's, so no writer deadlocks
// against the purge; a purge that cannot get its locks in time gives up and is tried again later.
import type { TrailRetention } from '../../core/ports/store.ts';
import type { PurgedEvents } from '../../core/retention.ts';
import type { Queryable } from './postgres-queries.ts';

const RETENTION_LOCK = 0x5ec7_a11_0003;
/** Dropping a partition waits for every reader of `events`; a long day stream makes it give up instead. */
const LOCK_TIMEOUT = '5s';

interface PurgedRow {
  readonly org_id: string;
  readonly count: number;
  readonly first_seq: number;
  readonly last_seq: number;
  readonly first_day: number;
  readonly last_day: number;
}

const SUMMARY_SQL = `SELECT org_id, count(*) AS count, min(seq) AS first_seq, max(seq) AS last_seq,
  min(day) AS first_day, max(day) AS last_day FROM events WHERE day < $1 GROUP BY org_id ORDER BY org_id`;

const PARTITIONS_SQL = `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass`;

/** The partitions whose whole range of days ends at or before `epochDay`. */
async function partitionsBefore(db: Queryable, epochDay: number): Promise<string[]> {
  const rows = (await db.query<{ name: string; bound: string }>(PARTITIONS_SQL)).rows;
  return rows
    .filter(({ bound }) => {
      const to = /TO \((\d+)\)/.exec(bound)?.[1];
      return to !== undefined && Number(to) <= epochDay;
    })
    .map(({ name }) => name)
    .sort();
}

export class PostgresRetention implements TrailRetention {
  constructor(private readonly db: Queryable) {}

  async purgeEventsBefore(epochDay: number): Promise<PurgedEvents[]> {
    await this.db.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
    await this.db.query('SELECT pg_advisory_xact_lock($1)', [RETENTION_LOCK]);
    const rows = (await this.db.query<PurgedRow>(SUMMARY_SQL, [epochDay])).rows;
    if (rows.length === 0) return [];
    const orgIds = rows.map((row) => row.org_id);
    await this.db.query('SELECT org_id FROM org_heads WHERE org_id = ANY($1) ORDER BY org_id FOR UPDATE', [orgIds]);
    for (const name of await partitionsBefore(this.db, epochDay)) await this.db.query(`DROP TABLE ${name}`);
    await this.db.query('DELETE FROM events WHERE day < $1', [epochDay]);
    return rows.map((row) => ({
      orgId: row.org_id,
      count: row.count,
      firstSeq: row.first_seq,
      lastSeq: row.last_seq,
      firstEpochDay: row.first_day,
      lastEpochDay: row.last_day,
    }));
  }
}

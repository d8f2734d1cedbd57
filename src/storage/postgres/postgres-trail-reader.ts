// Trail reads on PostgreSQL, each in a read-only transaction of its own that sees only the org it
// reads (row-level security, see withOrg), so they see committed rows only and never another
// org's. A whole day streams through a server-side cursor: batches are fetched as the consumer
// pulls, from one snapshot, so memory does not grow with the day.
import type pg from 'pg';
import type { DayQuery, OrgHead, StoredEventRow, TrailReader } from '../../core/ports/store.ts';
import { withOrg } from './postgres-pool.ts';
import type { Queryable } from './postgres-queries.ts';

const STREAM_BATCH = 2000;
const NO_BOUND = Number.MAX_SAFE_INTEGER;

// `day = $2` names one partition; parameters are bound before planning, so the others are pruned.
const DAY_SQL = `SELECT seq, envelope AS json FROM events
  WHERE org_id = $1 AND day = $2 AND seq > $3 AND seq <= $4`;
const AFTER_SQL = 'SELECT seq, envelope AS json FROM events WHERE org_id = $1 AND seq > $2 ORDER BY seq LIMIT $3';
const HEAD_SQL = 'SELECT last_seq, last_ts FROM org_heads WHERE org_id = $1';
const BEFORE_DAY_SQL = 'SELECT seq FROM events WHERE org_id = $1 AND day < $2 ORDER BY day DESC, seq DESC LIMIT 1';

interface DaySql {
  readonly sql: string;
  readonly params: unknown[];
}

/**
 * Run in a day read's (and a tail read's) transaction before its query. Row-level security's per-row check makes the
 * planner expect a small fraction of the rows it will meet, and then read the whole day (or a
 * type's whole range) and sort it rather than follow an index in seq order, which a day read
 * never needs to sort (nor does the tail, along events_by_seq): without sorts it keeps to the index, and a page reads about what it returns.
 */
const DAY_READ_SETTINGS = "SELECT set_config('enable_sort', 'off', true)";

/**
 * A day's events in seq order, all of them (`typeCount` 0: the primary key's range) or of some types
 * from events_by_type (org_id, day, type, seq), never from the rest of the day: one index range per
 * type, merged in seq order as the rows are taken (a Merge Append). A cursor sorts and reads ahead
 * nothing; a page (`LIMIT $5`) reads its own rows and one more per type. Types are $6, $7, …; $5 is
 * the limit, or null for none.
 */
function daySql(typeCount: number): string {
  if (typeCount === 0) return `${DAY_SQL} ORDER BY seq LIMIT $5`;
  const perType = Array.from({ length: typeCount }, (_, i) => `${DAY_SQL} AND type = $${String(6 + i)} ORDER BY seq`);
  // Each range ordered in its parentheses: the planner then merges them (a bare UNION ALL it may sort).
  const merged = typeCount === 1 ? perType.join('') : `${perType.map((sql) => `(${sql})`).join(' UNION ALL ')} ORDER BY seq`;
  return `${merged} LIMIT $5`;
}

function distinctTypes(query: DayQuery): string[] {
  return query.eventTypes === null ? [] : [...new Set(query.eventTypes)];
}

/** A page (`limit` rows) or, with a null limit, the whole day for a cursor. */
function dayQuery(query: DayQuery, limit: number | null): DaySql {
  const types = distinctTypes(query);
  return { sql: daySql(types.length), params: [query.orgId, query.epochDay, query.afterSeq, query.throughSeq ?? NO_BOUND, limit, ...types] };
}

/** Reads a page of a day on `client`, in a read-only transaction that names the org. */
export async function readDayPage(client: Queryable, query: DayQuery, limit: number): Promise<StoredEventRow[]> {
  await client.query(DAY_READ_SETTINGS);
  const { sql, params } = dayQuery(query, Math.trunc(limit));
  return (await client.query<StoredEventRow>(sql, params)).rows;
}

/** Opens the cursor `day_events` over a whole day on `client`, in a read-only transaction that names the org. */
export async function declareDayCursor(client: Queryable, query: DayQuery): Promise<void> {
  await client.query(DAY_READ_SETTINGS);
  const { sql, params } = dayQuery(query, null);
  await client.query(`DECLARE day_events NO SCROLL CURSOR FOR ${sql}`, params);
}

/** Reads the tail after a seq on `client`, in a read-only transaction that names the org. */
export async function readAfter(client: Queryable, orgId: string, afterSeq: number, limit: number): Promise<StoredEventRow[]> {
  await client.query(DAY_READ_SETTINGS);
  return (await client.query<StoredEventRow>(AFTER_SQL, [orgId, afterSeq, Math.trunc(limit)])).rows;
}

export class PostgresTrailReader implements TrailReader {
  /** `pool` must be a 'per-read' pool: its connections see no org until a read names one. */
  constructor(private readonly pool: pg.Pool) {}

  async page(query: DayQuery, limit: number): Promise<StoredEventRow[]> {
    if (query.eventTypes?.length === 0) return [];
    return withOrg(this.pool, query.orgId, (client) => readDayPage(client, query, limit));
  }

  async *streamDay(query: DayQuery): AsyncIterable<readonly StoredEventRow[]> {
    if (query.eventTypes?.length === 0) return;
    // Held across the yields, and given back however the consumer stops (read to the end,
    // returned early, or thrown into); a backend that died meanwhile is dropped, not reused.
    const client = await this.pool.connect();
    let broken = false;
    let open = false;
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN READ ONLY');
      open = true;
      await client.query("SELECT set_config('sectrail.org_id', $1, true)", [query.orgId]);
      await declareDayCursor(client, query);
      for (;;) {
        const batch = (await client.query<StoredEventRow>(`FETCH ${String(STREAM_BATCH)} FROM day_events`)).rows;
        if (batch.length > 0) yield batch;
        if (batch.length < STREAM_BATCH) break;
      }
      await client.query('COMMIT');
      open = false;
    } finally {
      if (open) await client.query('ROLLBACK').catch(onError);
      client.off('error', onError);
      client.release(broken);
    }
  }

  async after(orgId: string, afterSeq: number, limit: number): Promise<StoredEventRow[]> {
    return withOrg(this.pool, orgId, (client) => readAfter(client, orgId, afterSeq, limit));
  }

  async head(orgId: string): Promise<OrgHead> {
    const row = await withOrg(this.pool, orgId, async (client) => (await client.query<{ last_seq: number; last_ts: number }>(HEAD_SQL, [orgId])).rows[0]);
    return row === undefined ? { lastSeq: 0, lastTimestampMs: 0 } : { lastSeq: row.last_seq, lastTimestampMs: row.last_ts };
  }

  async eventById(orgId: string, eventId: string): Promise<{ seq: number; epochDay: number } | null> {
    const sql = 'SELECT seq, day FROM events WHERE org_id = $1 AND id = $2';
    const row = await withOrg(this.pool, orgId, async (client) => (await client.query<{ seq: number; day: number }>(sql, [orgId, eventId])).rows[0]);
    return row === undefined ? null : { seq: row.seq, epochDay: row.day };
  }

  async lastSeqBeforeDay(orgId: string, epochDay: number): Promise<number> {
    return withOrg(this.pool, orgId, async (client) => (await client.query<{ seq: number }>(BEFORE_DAY_SQL, [orgId, epochDay])).rows[0]?.seq ?? 0);
  }
}

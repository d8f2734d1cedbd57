// Trail reads on PostgreSQL, each in a read-only transaction of its own that sees only the org it
// reads (row-level security, see withOrg), so they see committed rows only and never another
// org's. A whole day streams through a server-side cursor: batches are fetched as the consumer
// pulls, from one snapshot, so memory does not grow with the day.
import type pg from 'pg';
import type { DayQuery, OrgHead, StoredEventRow, TrailReader } from '../../core/ports/store.ts';
import { withOrg } from './postgres-pool.ts';

const STREAM_BATCH = 2000;
const NO_BOUND = Number.MAX_SAFE_INTEGER;

// `day = $2` names one partition; parameters are bound before planning, so the others are pruned.
const DAY_SQL = `SELECT seq, envelope AS json FROM events
  WHERE org_id = $1 AND day = $2 AND seq > $3 AND seq <= $4`;
const DAY_ALL_TYPES = `${DAY_SQL} ORDER BY seq`;
const DAY_SOME_TYPES = `${DAY_SQL} AND type = ANY($5::text[]) ORDER BY seq`;
const AFTER_SQL = 'SELECT seq, envelope AS json FROM events WHERE org_id = $1 AND seq > $2 ORDER BY seq LIMIT $3';
const HEAD_SQL = 'SELECT last_seq, last_ts FROM org_heads WHERE org_id = $1';
const BEFORE_DAY_SQL = 'SELECT seq FROM events WHERE org_id = $1 AND day < $2 ORDER BY day DESC, seq DESC LIMIT 1';

function dayQuery(query: DayQuery, afterSeq: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [query.orgId, query.epochDay, afterSeq, query.throughSeq ?? NO_BOUND];
  if (query.eventTypes === null) return { sql: DAY_ALL_TYPES, params };
  return { sql: DAY_SOME_TYPES, params: [...params, query.eventTypes] };
}

export class PostgresTrailReader implements TrailReader {
  /** `pool` must be a 'per-read' pool: its connections see no org until a read names one. */
  constructor(private readonly pool: pg.Pool) {}

  async page(query: DayQuery, limit: number): Promise<StoredEventRow[]> {
    const { sql, params } = dayQuery(query, query.afterSeq);
    return withOrg(this.pool, query.orgId, async (client) => (await client.query<StoredEventRow>(`${sql} LIMIT ${String(Math.trunc(limit))}`, params)).rows);
  }

  async *streamDay(query: DayQuery): AsyncIterable<readonly StoredEventRow[]> {
    const { sql, params } = dayQuery(query, query.afterSeq);
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
      await client.query(`DECLARE day_events NO SCROLL CURSOR FOR ${sql}`, params);
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
    return withOrg(this.pool, orgId, async (client) => (await client.query<StoredEventRow>(AFTER_SQL, [orgId, afterSeq, limit])).rows);
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

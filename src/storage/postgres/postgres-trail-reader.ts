// Trail reads on PostgreSQL, each a short query on the pool outside any transaction, so they see
// committed rows only. Days stream in keyset batches: a slow client holds neither a connection nor
// a snapshot between batches, and memory does not grow with the day.
import type pg from 'pg';
import type { DayQuery, OrgHead, StoredEventRow, TrailReader } from '../../core/ports/store.ts';

const STREAM_BATCH = 2000;
const NO_BOUND = Number.MAX_SAFE_INTEGER;

// `day = $2` names one partition; parameters are bound before planning, so the others are pruned.
const DAY_SQL = `SELECT seq, envelope AS json FROM events
  WHERE org_id = $1 AND day = $2 AND seq > $3 AND seq <= $4`;
const DAY_ALL_TYPES = `${DAY_SQL} ORDER BY seq LIMIT $5`;
const DAY_SOME_TYPES = `${DAY_SQL} AND type = ANY($6::text[]) ORDER BY seq LIMIT $5`;
const AFTER_SQL = 'SELECT seq, envelope AS json FROM events WHERE org_id = $1 AND seq > $2 ORDER BY seq LIMIT $3';
const HEAD_SQL = 'SELECT last_seq, last_ts FROM org_heads WHERE org_id = $1';
const BEFORE_DAY_SQL = 'SELECT seq FROM events WHERE org_id = $1 AND day < $2 ORDER BY day DESC, seq DESC LIMIT 1';

export class PostgresTrailReader implements TrailReader {
  constructor(private readonly pool: pg.Pool) {}

  private async readDay(query: DayQuery, afterSeq: number, limit: number): Promise<StoredEventRow[]> {
    const params: unknown[] = [query.orgId, query.epochDay, afterSeq, query.throughSeq ?? NO_BOUND, limit];
    const sql = query.eventTypes === null ? DAY_ALL_TYPES : DAY_SOME_TYPES;
    if (query.eventTypes !== null) params.push(query.eventTypes);
    return (await this.pool.query<StoredEventRow>(sql, params)).rows;
  }

  async page(query: DayQuery, limit: number): Promise<StoredEventRow[]> {
    return this.readDay(query, query.afterSeq, limit);
  }

  async *streamDay(query: DayQuery): AsyncIterable<readonly StoredEventRow[]> {
    let afterSeq = query.afterSeq;
    for (;;) {
      const batch = await this.readDay(query, afterSeq, STREAM_BATCH);
      if (batch.length === 0) return;
      yield batch;
      if (batch.length < STREAM_BATCH) return;
      afterSeq = (batch[batch.length - 1] as StoredEventRow).seq;
    }
  }

  async after(orgId: string, afterSeq: number, limit: number): Promise<StoredEventRow[]> {
    return (await this.pool.query<StoredEventRow>(AFTER_SQL, [orgId, afterSeq, limit])).rows;
  }

  async head(orgId: string): Promise<OrgHead> {
    const row = (await this.pool.query<{ last_seq: number; last_ts: number }>(HEAD_SQL, [orgId])).rows[0];
    return row === undefined ? { lastSeq: 0, lastTimestampMs: 0 } : { lastSeq: row.last_seq, lastTimestampMs: row.last_ts };
  }

  async lastSeqBeforeDay(orgId: string, epochDay: number): Promise<number> {
    return (await this.pool.query<{ seq: number }>(BEFORE_DAY_SQL, [orgId, epochDay])).rows[0]?.seq ?? 0;
  }
}

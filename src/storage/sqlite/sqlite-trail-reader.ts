// Trail reads on SQLite, on a connection of their own so that they only ever see committed rows.
// Days stream in keyset batches: each batch is one short query, so a slow client never holds a
// read transaction open or the whole day in memory.
import type Database from 'better-sqlite3';
import type { DayQuery, OrgHead, StoredEventRow, TrailReader } from '../../core/ports/store.ts';

const STREAM_BATCH = 2000;
const NO_BOUND = Number.MAX_SAFE_INTEGER;

const ALL_TYPES_SQL = `SELECT seq, envelope AS json FROM events
  WHERE org_id = @org AND day = @day AND seq > @after AND seq <= @through
  ORDER BY seq LIMIT @limit`;

/**
 * A day's events of some types, read from events_by_type (org_id, day, type, seq) and never from the
 * rest of the day: one index range per type, merged in seq order as the rows are taken, so a page
 * reads its own rows and one more per type. One `@tN` parameter per type.
 */
export function typedDaySql(typeCount: number): string {
  const perType = Array.from(
    { length: typeCount },
    (_, i) => `SELECT seq, envelope AS json FROM events
      WHERE org_id = @org AND day = @day AND type = @t${String(i)} AND seq > @after AND seq <= @through`,
  );
  return `${perType.join(' UNION ALL ')} ORDER BY seq LIMIT @limit`;
}

/** The named parameters of a day read (typedDaySql's when the query names types). */
export function dayParams(query: DayQuery, afterSeq: number, limit: number): Record<string, string | number> {
  const params: Record<string, string | number> = {
    org: query.orgId,
    day: query.epochDay,
    after: afterSeq,
    through: query.throughSeq ?? NO_BOUND,
    limit,
  };
  distinctTypes(query).forEach((type, i) => {
    params[`t${String(i)}`] = type;
  });
  return params;
}

function distinctTypes(query: DayQuery): readonly string[] {
  return query.eventTypes === null ? [] : [...new Set(query.eventTypes)];
}

export class SqliteTrailReader implements TrailReader {
  private readonly dayStatements = new Map<number, Database.Statement>();
  private readonly afterStatement: Database.Statement;
  private readonly headStatement: Database.Statement;
  private readonly beforeDayStatement: Database.Statement;
  private readonly byIdStatement: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.afterStatement = db.prepare('SELECT seq, envelope AS json FROM events WHERE org_id = ? AND seq > ? ORDER BY seq LIMIT ?');
    this.headStatement = db.prepare('SELECT last_seq AS lastSeq, last_ts AS lastTimestampMs FROM org_heads WHERE org_id = ?');
    this.byIdStatement = db.prepare('SELECT seq, day FROM events WHERE id = ? AND org_id = ?');
    this.beforeDayStatement = db.prepare('SELECT seq FROM events WHERE org_id = ? AND day < ? ORDER BY day DESC, seq DESC LIMIT 1');
  }

  /** One prepared statement per number of filtered types (0 = no filter). */
  private dayStatement(typeCount: number): Database.Statement {
    let statement = this.dayStatements.get(typeCount);
    if (statement === undefined) {
      statement = this.db.prepare(typeCount === 0 ? ALL_TYPES_SQL : typedDaySql(typeCount));
      this.dayStatements.set(typeCount, statement);
    }
    return statement;
  }

  private readDay(query: DayQuery, afterSeq: number, limit: number): StoredEventRow[] {
    if (query.eventTypes?.length === 0) return [];
    return this.dayStatement(distinctTypes(query).length).all(dayParams(query, afterSeq, limit)) as StoredEventRow[];
  }

  async page(query: DayQuery, limit: number): Promise<StoredEventRow[]> {
    return this.readDay(query, query.afterSeq, limit);
  }

  async *streamDay(query: DayQuery): AsyncIterable<readonly StoredEventRow[]> {
    let afterSeq = query.afterSeq;
    for (;;) {
      const batch = this.readDay(query, afterSeq, STREAM_BATCH);
      if (batch.length === 0) return;
      yield batch;
      if (batch.length < STREAM_BATCH) return;
      afterSeq = (batch[batch.length - 1] as StoredEventRow).seq;
    }
  }

  async after(orgId: string, afterSeq: number, limit: number): Promise<StoredEventRow[]> {
    return this.afterStatement.all(orgId, afterSeq, limit) as StoredEventRow[];
  }

  async head(orgId: string): Promise<OrgHead> {
    return (this.headStatement.get(orgId) as OrgHead | undefined) ?? { lastSeq: 0, lastTimestampMs: 0 };
  }

  async eventById(orgId: string, eventId: string): Promise<{ seq: number; epochDay: number } | null> {
    const row = this.byIdStatement.get(eventId, orgId) as { seq: number; day: number } | undefined;
    return row === undefined ? null : { seq: row.seq, epochDay: row.day };
  }

  async lastSeqBeforeDay(orgId: string, epochDay: number): Promise<number> {
    return (this.beforeDayStatement.get(orgId, epochDay) as { seq: number } | undefined)?.seq ?? 0;
  }
}

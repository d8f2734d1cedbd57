// Retention on SQLite: each org's events before the cutoff day, counted then deleted, inside the
// caller's write transaction (events_by_day serves both per org).
import type Database from 'better-sqlite3';
import type { TrailRetention } from '../../core/ports/store.ts';
import type { PurgedEvents } from '../../core/retention.ts';

interface PurgedRow {
  readonly count: number;
  readonly first_seq: number;
  readonly last_seq: number;
  readonly first_day: number;
  readonly last_day: number;
}

export class SqliteRetention implements TrailRetention {
  private readonly orgIds: Database.Statement<[], { id: string }>;
  private readonly summary: Database.Statement<[string, number], PurgedRow>;
  private readonly remove: Database.Statement<[string, number]>;

  constructor(db: Database.Database) {
    this.orgIds = db.prepare('SELECT id FROM orgs ORDER BY id');
    this.summary = db.prepare(`SELECT count(*) AS count, min(seq) AS first_seq, max(seq) AS last_seq,
      min(day) AS first_day, max(day) AS last_day FROM events WHERE org_id = ? AND day < ?`);
    this.remove = db.prepare('DELETE FROM events WHERE org_id = ? AND day < ?');
  }

  /** Must run inside the open write transaction. */
  purgeEventsBefore(epochDay: number): Promise<PurgedEvents[]> {
    const purged: PurgedEvents[] = [];
    for (const { id: orgId } of this.orgIds.all()) {
      const row = this.summary.get(orgId, epochDay);
      if (row === undefined || row.count === 0) continue;
      this.remove.run(orgId, epochDay);
      purged.push({
        orgId,
        count: row.count,
        firstSeq: row.first_seq,
        lastSeq: row.last_seq,
        firstEpochDay: row.first_day,
        lastEpochDay: row.last_day,
      });
    }
    return Promise.resolve(purged);
  }
}

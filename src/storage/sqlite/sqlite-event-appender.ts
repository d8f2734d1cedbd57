// Writes a transaction's recorded events just before it commits: each org's head row gives the next
// seq and the timestamp floor, so seq is gap-free in commit order and time never runs backwards.
import type Database from 'better-sqlite3';
import { epochDayOf } from '../../core/day-window.ts';
import { firstOpenMs, groupByOrg, stampEvents, type PendingEvent } from '../pending-events.ts';

export class SqliteEventAppender {
  private readonly readHead: Database.Statement<[string], { last_seq: number; last_ts: number; sealed_through: number | null }>;
  private readonly writeHead: Database.Statement;
  private readonly insert: Database.Statement;

  constructor(db: Database.Database) {
    this.readHead = db.prepare('SELECT last_seq, last_ts, sealed_through FROM org_heads WHERE org_id = ?');
    this.writeHead = db.prepare('UPDATE org_heads SET last_seq = ?, last_ts = ? WHERE org_id = ?');
    this.insert = db.prepare(
      'INSERT INTO events (org_id, seq, day, ts, id, type, envelope) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Must run inside the open write transaction, after the caller's work and before COMMIT. */
  append(pending: readonly PendingEvent[], nowMs: number): void {
    for (const [orgId, drafts] of groupByOrg(pending)) {
      const head = this.readHead.get(orgId);
      if (head === undefined) throw new Error(`no event head for org ${orgId}`);
      const timestampMs = Math.max(nowMs, head.last_ts, firstOpenMs(head.sealed_through));
      const day = epochDayOf(timestampMs);
      const events = stampEvents(drafts, head.last_seq, timestampMs);
      for (const event of events) this.insert.run(orgId, event.seq, day, timestampMs, event.id, event.type, event.json);
      this.writeHead.run(head.last_seq + events.length, timestampMs, orgId);
    }
  }
}

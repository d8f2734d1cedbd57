// Writes a transaction's recorded events just before it commits: each org's head row gives the next
// seq and the timestamp floor, so seq is gap-free in commit order and time never runs backwards.
import type Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { epochDayOf } from '../../core/day-window.ts';
import { envelopeJson, toEnvelope, type EventDraft } from '../../core/events/envelope.ts';

export interface PendingEvent {
  readonly orgId: string;
  readonly draft: EventDraft;
}

export class SqliteEventAppender {
  private readonly readHead: Database.Statement<[string], { last_seq: number; last_ts: number }>;
  private readonly writeHead: Database.Statement;
  private readonly insert: Database.Statement;

  constructor(db: Database.Database) {
    this.readHead = db.prepare('SELECT last_seq, last_ts FROM org_heads WHERE org_id = ?');
    this.writeHead = db.prepare('UPDATE org_heads SET last_seq = ?, last_ts = ? WHERE org_id = ?');
    this.insert = db.prepare(
      'INSERT INTO events (org_id, seq, day, ts, id, type, envelope) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Must run inside the open write transaction, after the caller's work and before COMMIT. */
  append(pending: readonly PendingEvent[], nowMs: number): void {
    const byOrg = new Map<string, EventDraft[]>();
    for (const { orgId, draft } of pending) {
      const drafts = byOrg.get(orgId) ?? [];
      drafts.push(draft);
      byOrg.set(orgId, drafts);
    }
    for (const [orgId, drafts] of byOrg) {
      const head = this.readHead.get(orgId);
      if (head === undefined) throw new Error(`no event head for org ${orgId}`);
      const timestampMs = Math.max(nowMs, head.last_ts);
      const day = epochDayOf(timestampMs);
      let seq = head.last_seq;
      for (const draft of drafts) {
        seq += 1;
        const id = uuidv7({ msecs: timestampMs });
        const json = envelopeJson(toEnvelope(draft, { id, seq, timestampMs }));
        this.insert.run(orgId, seq, day, timestampMs, id, draft.type, json);
      }
      this.writeHead.run(seq, timestampMs, orgId);
    }
  }
}

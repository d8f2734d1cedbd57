// Writes a transaction's recorded events just before it commits. Each org's head row is locked
// (SELECT ... FOR UPDATE) until COMMIT: the next writer of that org, on this server or another,
// waits for it, so seq is gap-free in commit order and no reader sees event n+1 before event n.
import { epochDayOf } from '../../core/day-window.ts';
import type { EventDraft } from '../../core/events/envelope.ts';
import type { Clock } from '../../core/ports/clock.ts';
import { firstOpenMs, groupByOrg, stampEvents, type PendingEvent } from '../pending-events.ts';
import type { Queryable } from './postgres-queries.ts';


interface Head {
  readonly lastSeq: number;
  /** The earliest timestamp allowed: the last one, or the first instant after the sealed days. */
  readonly lastTs: number;
}

/** Rows per INSERT: large batches go in a few statements of bounded size. */
const INSERT_CHUNK = 1000;

const INSERT_EVENTS = `INSERT INTO events (org_id, seq, day, ts, id, type, envelope)
  SELECT $1, seq, $2, $3, id, type, envelope
  FROM unnest($4::bigint[], $5::text[], $6::text[], $7::text[]) AS e (seq, id, type, envelope)`;

async function lockHead(client: Queryable, orgId: string): Promise<Head> {
  const sql = 'SELECT last_seq, last_ts, sealed_through FROM org_heads WHERE org_id = $1 FOR UPDATE';
  const row = (await client.query<{ last_seq: number; last_ts: number; sealed_through: number | null }>(sql, [orgId])).rows[0];
  if (row === undefined) throw new Error(`no event head for org ${orgId}`);
  return { lastSeq: row.last_seq, lastTs: Math.max(row.last_ts, firstOpenMs(row.sealed_through)) };
}

async function insertEvents(client: Queryable, orgId: string, head: Head, drafts: readonly EventDraft[], timestampMs: number) {
  const day = epochDayOf(timestampMs);
  const events = stampEvents(drafts, head.lastSeq, timestampMs);
  for (let start = 0; start < events.length; start += INSERT_CHUNK) {
    const chunk = events.slice(start, start + INSERT_CHUNK);
    const columns = [chunk.map((e) => e.seq), chunk.map((e) => e.id), chunk.map((e) => e.type), chunk.map((e) => e.json)];
    await client.query(INSERT_EVENTS, [orgId, day, timestampMs, ...columns]);
  }
  const lastSeq = head.lastSeq + events.length;
  await client.query('UPDATE org_heads SET last_seq = $1, last_ts = $2 WHERE org_id = $3', [lastSeq, timestampMs, orgId]);
}

/** The time events are stamped with: the database's clock (DESIGN §2), or a given one (tests, demos). */
export type EventClock = Clock | 'database';

async function databaseNow(client: Queryable): Promise<number> {
  const sql = 'SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS now';
  return (await client.query<{ now: number }>(sql)).rows[0]?.now ?? Date.now();
}

/** Must run on the transaction's connection, after the caller's work and before COMMIT. */
export async function appendEvents(client: Queryable, pending: readonly PendingEvent[], clock: EventClock): Promise<void> {
  const byOrg = groupByOrg(pending);
  // One lock order for every transaction, so two that touch the same orgs cannot deadlock.
  const orgIds = [...byOrg.keys()].sort();
  const heads = new Map<string, Head>();
  for (const orgId of orgIds) heads.set(orgId, await lockHead(client, orgId));
  // Read only once every head is ours: the time is taken in lock order, so it never runs backwards.
  const nowMs = clock === 'database' ? await databaseNow(client) : clock.now();
  for (const orgId of orgIds) {
    const head = heads.get(orgId) as Head;
    await insertEvents(client, orgId, head, byOrg.get(orgId) ?? [], Math.max(nowMs, head.lastTs));
  }
}

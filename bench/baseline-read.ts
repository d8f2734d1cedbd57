// Measurement (a), the baseline: the day's stored envelopes read with one raw prepared statement
// and concatenated into one JSON buffer shaped like the endpoint's answer, in this process.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { median, perSecond, timed } from './stats.ts';

/** Rows per joined slice: one string of a whole 1M day would pass V8's ~512 MiB string limit. */
const SLICE = 4096;

export interface BaselineResult {
  readonly events: number;
  readonly bytes: number;
  /** SHA-256 of the buffer, to check the HTTP answer byte for byte. */
  readonly sha256: string;
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  readonly eventsPerSecond: number;
}

function readDay(statement: Database.Statement<[string, number], string>, orgId: string, epochDay: number) {
  const slices: Buffer[] = [Buffer.from('{"result":[')];
  let rows: string[] = [];
  let events = 0;
  let separator = '';
  for (const envelope of statement.iterate(orgId, epochDay)) {
    rows.push(envelope);
    if (rows.length === SLICE) {
      slices.push(Buffer.from(separator + rows.join(',')));
      events += rows.length;
      rows = [];
      separator = ',';
    }
  }
  if (rows.length > 0) slices.push(Buffer.from(separator + rows.join(',')));
  events += rows.length;
  // The day is closed, so the endpoint's answer ends the same way.
  slices.push(Buffer.from('],"nextPageToken":null,"complete":true}'));
  return { events, buffer: Buffer.concat(slices) };
}

export function summarise(read: { readonly events: number; readonly buffer: Buffer }): DayReference {
  return { events: read.events, bytes: read.buffer.length, sha256: createHash('sha256').update(read.buffer).digest('hex') };
}

export interface DayReference {
  readonly events: number;
  readonly bytes: number;
  readonly sha256: string;
}

function dayStatement(db: Database.Database): Database.Statement<[string, number], string> {
  return db.prepare<[string, number], string>('SELECT envelope FROM events WHERE org_id = ? AND day = ? ORDER BY seq').pluck();
}

/** The expected answer for a day (count, size, checksum), read once, untimed. */
export function dayReference(dbPath: string, orgId: string, epochDay: number): DayReference {
  const db = new Database(dbPath, { readonly: true });
  try {
    return summarise(readDay(dayStatement(db), orgId, epochDay));
  } finally {
    db.close();
  }
}

export async function measureBaseline(dbPath: string, orgId: string, epochDay: number, runs: number): Promise<BaselineResult> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const statement = dayStatement(db);
    // An untimed pass warms the page cache as the HTTP side's verifying pass does, and gives the checksum.
    const reference = summarise(readDay(statement, orgId, epochDay));
    const runsMs: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const { ms, value } = await timed(() => readDay(statement, orgId, epochDay));
      if (value.events !== reference.events) throw new Error('the baseline read a different number of events');
      runsMs.push(ms);
    }
    const medianMs = median(runsMs);
    return {
      events: reference.events,
      bytes: reference.bytes,
      sha256: reference.sha256,
      runsMs,
      medianMs,
      eventsPerSecond: perSecond(reference.events, medianMs),
    };
  } finally {
    db.close();
  }
}

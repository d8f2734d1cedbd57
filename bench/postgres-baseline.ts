// The PostgreSQL baseline: the day's stored envelopes read with raw `pg` (one connection, a named
// prepared statement, rows as arrays) in keyset batches, and concatenated into one JSON buffer
// shaped like the endpoint's answer, in this process. Batches keep memory bounded at any day size.
import pg from 'pg';
import { summarise, type BaselineResult } from './baseline-read.ts';
import { median, perSecond, timed } from './stats.ts';

/** Rows per query: a handful of round trips for a whole day, each answer a few MB. */
export const BASELINE_BATCH = 10_000;

const DAY_SQL = `SELECT seq, envelope FROM events
  WHERE org_id = $1 AND day = $2 AND seq > $3 ORDER BY seq LIMIT $4`;

async function readDay(client: pg.Client, orgId: string, epochDay: number) {
  const slices: Buffer[] = [Buffer.from('{"result":[')];
  let events = 0;
  let separator = '';
  // seq stays pg's text form (int8 is not parsed here): it only goes back as the next key.
  let afterSeq = '0';
  for (;;) {
    const { rows } = await client.query<[string, string]>({
      name: 'bench-day',
      text: DAY_SQL,
      values: [orgId, epochDay, afterSeq, BASELINE_BATCH],
      rowMode: 'array',
    });
    if (rows.length === 0) break;
    slices.push(Buffer.from(separator + rows.map((row) => row[1]).join(',')));
    separator = ',';
    events += rows.length;
    afterSeq = rows[rows.length - 1]![0];
    if (rows.length < BASELINE_BATCH) break;
  }
  // The day is closed, so the endpoint's answer ends the same way.
  slices.push(Buffer.from('],"nextPageToken":null,"complete":true}'));
  return { events, buffer: Buffer.concat(slices) };
}

export async function measurePostgresBaseline(url: string, orgId: string, epochDay: number, runs: number): Promise<BaselineResult> {
  // The database's owner under row-level security, like the server: the connection names the org.
  const client = new pg.Client({ connectionString: url, application_name: 'sectrail-bench', options: `-c sectrail.org_id=${orgId}` });
  await client.connect();
  try {
    // An untimed pass warms the buffer cache as the HTTP side's verifying pass does, and gives the checksum.
    const reference = summarise(await readDay(client, orgId, epochDay));
    const runsMs: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const { ms, value } = await timed(() => readDay(client, orgId, epochDay));
      if (value.events !== reference.events) throw new Error('the PostgreSQL baseline read a different number of events');
      runsMs.push(ms);
    }
    const medianMs = median(runsMs);
    return { ...reference, runsMs, medianMs, eventsPerSecond: perSecond(reference.events, medianMs) };
  } finally {
    await client.end();
  }
}

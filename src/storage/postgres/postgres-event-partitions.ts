// Keeps monthly partitions of `events` attached ahead of time: the current month and the next two,
// checked at open and again whenever the clock enters a new month. Days without a partition land
// in the default one, so an insert never fails for want of a partition.
import type pg from 'pg';
import { epochDayOf } from '../../core/day-window.ts';
import { withConnection } from './postgres-pool.ts';

/** Months after the current one that always have a partition. */
const MONTHS_AHEAD = 2;
const PARTITION_LOCK = 0x5ec7_a11_0002;
/** The default partition already holds rows of that month: it stays there (see ensureMonth). */
const CHECK_VIOLATION = '23514';

/** Months since January 1970 (0-based), the unit partitions are made of. */
function monthIndexOf(ms: number): number {
  const date = new Date(ms);
  return date.getUTCFullYear() * 12 + date.getUTCMonth() - 1970 * 12;
}

function monthStartDay(monthIndex: number): number {
  return epochDayOf(Date.UTC(1970, monthIndex, 1));
}

function partitionName(monthIndex: number): string {
  const start = new Date(Date.UTC(1970, monthIndex, 1));
  return `events_p${start.getUTCFullYear()}${String(start.getUTCMonth() + 1).padStart(2, '0')}`;
}

export class EventPartitions {
  /** The last month known to have a partition; -1 before the first check. */
  private readyThrough = -1;
  private running: Promise<void> | null = null;

  constructor(private readonly pool: pg.Pool) {}

  /** Makes sure the month of `nowMs` and the next ones have partitions; cheap when they do. */
  async ensure(nowMs: number): Promise<void> {
    const wanted = monthIndexOf(nowMs) + MONTHS_AHEAD;
    while (wanted > this.readyThrough) {
      this.running ??= this.attach(monthIndexOf(nowMs), wanted).finally(() => {
        this.running = null;
      });
      await this.running;
    }
  }

  private async attach(fromMonth: number, throughMonth: number): Promise<void> {
    await withConnection(this.pool, async (client) => {
      try {
        await client.query('BEGIN');
        // One server at a time: concurrent CREATE TABLE of one name would fail on the catalogue.
        await client.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
        for (let month = fromMonth; month <= throughMonth; month += 1) await this.ensureMonth(client, month);
        await client.query('COMMIT');
        this.readyThrough = Math.max(this.readyThrough, throughMonth);
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    });
  }

  private async ensureMonth(client: pg.PoolClient, month: number): Promise<void> {
    const name = partitionName(month);
    const exists = await client.query('SELECT 1 FROM pg_class WHERE oid = to_regclass($1)', [name]);
    if (exists.rowCount !== 0) return;
    await client.query('SAVEPOINT attach_month');
    try {
      // Created apart, then attached: ATTACH takes only SHARE UPDATE EXCLUSIVE on `events`, so
      // writers and readers go on (CREATE TABLE ... PARTITION OF would lock them all out).
      await client.query(`CREATE TABLE ${name} (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
      // The org wall of migration 005, on the partition itself too: a query naming it directly
      // does not go through the parent's policy.
      await client.query(`ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY`);
      await client.query(`ALTER TABLE ${name} FORCE ROW LEVEL SECURITY`);
      await client.query(`CREATE POLICY org_wall ON ${name} USING (sectrail_org_visible(org_id)) WITH CHECK (sectrail_org_visible(org_id))`);
      await client.query(
        `ALTER TABLE events ATTACH PARTITION ${name} FOR VALUES FROM (${monthStartDay(month)}) TO (${monthStartDay(month + 1)})`,
      );
      await client.query('RELEASE SAVEPOINT attach_month');
    } catch (error) {
      // The default partition already has rows of this month (a clock far ahead once): leave them
      // there, readable as ever, rather than fail; the month simply stays unpartitioned.
      if ((error as { code?: unknown }).code !== CHECK_VIOLATION) throw error;
      await client.query('ROLLBACK TO SAVEPOINT attach_month');
    }
  }
}

// The production store: PostgreSQL through a connection pool, shared by any number of servers.
// Each transaction runs on a connection of its own; the org head row lock taken by the appender
// orders the writers of an org, and trail and platform reads use the pool, so see committed data only.
import type pg from 'pg';
import type { Clock } from '../../core/ports/clock.ts';
import type { PlatformReads, Store, Transaction } from '../../core/ports/store.ts';
import { openTransaction, type PendingEvent } from '../pending-events.ts';
import { appendEvents, type EventClock } from './postgres-event-appender.ts';
import { EventPartitions } from './postgres-event-partitions.ts';
import { migratePostgres } from './postgres-migrations.ts';
import { lockOrg } from './postgres-org-lock.ts';
import { postgresPlatformRecords } from './postgres-platform-repository.ts';
import { openPostgresPool, withConnection, type PostgresPoolOptions } from './postgres-pool.ts';
import { PostgresRetention } from './postgres-retention.ts';
import { PostgresTrailReader } from './postgres-trail-reader.ts';

export interface PostgresStoreOptions extends PostgresPoolOptions {
  readonly clock: Clock;
  /**
   * Stamp events with the database's clock, so that every server agrees (DESIGN §2). Off when a
   * test or demo sets the time with the clock above.
   */
  readonly useDatabaseClock?: boolean;
}

/** Advisory lock keys of the work one server at a time does (others: migrations 1, partitions 2, retention 3). */
const ALONE_LOCKS = { sealing: 0x5ec7_a11_0004 } as const;

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly trail: PostgresTrailReader;
  readonly platform: PlatformReads;
  private readonly running = new Set<Promise<unknown>>();
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly readerPool: pg.Pool,
    readonly warnings: readonly string[],
    private readonly clock: Clock,
    private readonly partitions: EventPartitions,
    private readonly eventClock: EventClock,
  ) {
    this.trail = new PostgresTrailReader(readerPool);
    this.platform = postgresPlatformRecords(pool);
  }

  /** Connects, applies migrations (once across servers) and attaches the months ahead. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = openPostgresPool(options, 'installation');
    const readerPool = openPostgresPool(options, 'per-read');
    try {
      await migratePostgres(pool);
      const partitions = new EventPartitions(pool);
      await partitions.ensure(options.clock.now());
      const warnings = await rowLevelSecurityWarnings(pool);
      const eventClock = options.useDatabaseClock === true ? 'database' : options.clock;
      return new PostgresStore(pool, readerPool, warnings, options.clock, partitions, eventClock);
    } catch (error) {
      await Promise.all([pool.end(), readerPool.end()]);
      throw error;
    }
  }

  transact<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    const running = this.run(work);
    this.running.add(running);
    const settled = () => this.running.delete(running);
    running.then(settled, settled);
    return running;
  }

  private async run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    await this.partitions.ensure(this.clock.now());
    const client = await this.pool.connect();
    let discard = false;
    // A backend that dies mid-transaction (restart, failover) fails this call; without a listener
    // its 'error' event would end the whole process.
    const onError = (): void => {
      discard = true;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const pending: PendingEvent[] = [];
      const records = postgresPlatformRecords(client, true);
      const result = await work(openTransaction(records, new PostgresRetention(client), pending, (orgId) => lockOrg(client, orgId)));
      if (pending.length > 0) await appendEvents(client, pending, this.eventClock);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        // The connection itself failed: the server has ended the transaction; drop the connection.
        discard = true;
      }
      throw error;
    } finally {
      client.off('error', onError);
      client.release(discard);
    }
  }

  /** Under a session advisory lock, tried and not waited for: another server holding it means it is at it. */
  alone<T>(name: 'sealing', work: () => Promise<T>): Promise<T | null> {
    const key = ALONE_LOCKS[name];
    return withConnection(this.pool, async (client) => {
      const got = (await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [key])).rows[0]?.got === true;
      if (!got) return null;
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    });
  }

  /** Waits for the transactions under way, then closes every connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.running]);
    await Promise.all([this.pool.end(), this.readerPool.end()]);
  }
}

/** Superusers and BYPASSRLS roles pass through row-level security: say so, the wall is down. */
async function rowLevelSecurityWarnings(pool: pg.Pool): Promise<string[]> {
  const sql = 'SELECT current_user AS role, rolsuper OR rolbypassrls AS bypasses FROM pg_roles WHERE rolname = current_user';
  const row = (await pool.query<{ role: string; bypasses: boolean }>(sql)).rows[0];
  if (row?.bypasses !== true) return [];
  return [
    `PostgreSQL role ${row.role} is a superuser or has BYPASSRLS, so row-level security between orgs is not enforced; ` +
      'run sectrail as a role that owns its tables and is neither (docs/scaling.md).',
  ];
}

// Opens the adapter's connection pool. bigint columns (seq, millisecond times, count(*)) come back
// as numbers, for this pool only: pg's global type parsers stay as they are for anyone else.
import pg from 'pg';

const INT8_OID = 20;

function parseInt8(text: string): number {
  const value = Number(text);
  // seq and millisecond timestamps stay far below 2^53; anything larger is a corrupt row, not a number to round.
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} does not fit in a JavaScript number`);
  return value;
}

export interface PostgresPoolOptions {
  /** A `postgres://` or `postgresql://` URL, with pg's parameters such as `sslmode`. */
  readonly connectionString: string;
  /** Most connections open at once (pg's default is 10). */
  readonly maxConnections?: number;
}

/**
 * What the connections see through row-level security (migration 005): every org, for the
 * platform's transactions; or no org until a read names one (the trail reader, see withOrg).
 */
export type OrgScope = 'installation' | 'per-read';

export function openPostgresPool(options: PostgresPoolOptions, scope: OrgScope): pg.Pool {
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, parseInt8);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    types,
    application_name: 'sectrail',
    // A commit is acknowledged only once it is durable, whatever the server's default says.
    options: scope === 'installation' ? '-c synchronous_commit=on -c sectrail.org_id=*' : '-c synchronous_commit=on',
  });
  // An idle connection the server drops (restart, failover) is removed from the pool and the next
  // query opens a new one; without a listener the 'error' event would end the process.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Lends a connection for one use. A backend that dies meanwhile (restart, failover) fails that
 * use; without a listener its 'error' event would end the whole process. A broken connection is
 * dropped instead of going back to the pool.
 */
export async function withConnection<T>(
  pool: pg.Pool,
  use: (client: pg.PoolClient, discard: () => void) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  const onError = (): void => {
    broken = true;
  };
  client.on('error', onError);
  try {
    return await use(client, onError);
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/**
 * Runs `use` in a read-only transaction that sees only `orgId`'s rows (on a 'per-read' pool), so a
 * query that forgot its own `org_id` condition still cannot return another org's rows.
 */
export function withOrg<T>(pool: pg.Pool, orgId: string, use: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withConnection(pool, async (client, discard) => {
    await client.query('BEGIN READ ONLY');
    try {
      await client.query("SELECT set_config('sectrail.org_id', $1, true)", [orgId]);
      const result = await use(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is not given to the next reader.
      await client.query('ROLLBACK').catch(discard);
      throw error;
    }
  });
}

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

export function openPostgresPool(options: PostgresPoolOptions): pg.Pool {
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8_OID, parseInt8);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    types,
    application_name: 'sectrail',
  });
  // An idle connection the server drops (restart, failover) is removed from the pool and the next
  // query opens a new one; without a listener the 'error' event would end the process.
  pool.on('error', () => undefined);
  return pool;
}

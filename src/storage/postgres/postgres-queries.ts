// Parameterised queries on one connection or on the pool, typed by the row they return, with
// unique-constraint refusals (SQLSTATE 23505) turned into the port's UniqueViolationError.
import type { QueryResult, QueryResultRow } from 'pg';
import { UniqueViolationError } from '../../core/ports/store.ts';

/** A pool (each query on any free connection) or one checked-out client (a transaction). */
export interface Queryable {
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

const UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === UNIQUE_VIOLATION;
}

export class PgQueries {
  constructor(private readonly db: Queryable) {}

  private async query<R extends QueryResultRow>(sql: string, params: unknown[]): Promise<QueryResult<R>> {
    try {
      return await this.db.query<R>(sql, params);
    } catch (error) {
      if (isUniqueViolation(error)) throw new UniqueViolationError((error as Error).message, { cause: error });
      throw error;
    }
  }

  async one<T extends QueryResultRow>(sql: string, ...params: unknown[]): Promise<T | undefined> {
    return (await this.query<T>(sql, params)).rows[0];
  }

  async all<T extends QueryResultRow>(sql: string, ...params: unknown[]): Promise<T[]> {
    return (await this.query<T>(sql, params)).rows;
  }

  /** Runs a write and returns the number of rows it changed. */
  async run(sql: string, ...params: unknown[]): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }
}

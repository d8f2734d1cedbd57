// Prepared statements on one connection, cached by their SQL, with unique-constraint refusals
// turned into the port's UniqueViolationError.
import type Database from 'better-sqlite3';
import { UniqueViolationError } from '../../core/ports/store.ts';

export class SqliteStatements {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  private statement(sql: string): Database.Statement {
    let statement = this.cache.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- names the row type a query returns
  one<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: unknown[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  /** Runs a write and returns the number of rows it changed. */
  run(sql: string, ...params: unknown[]): number {
    try {
      return this.statement(sql).run(...params).changes;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new UniqueViolationError((error as Error).message, { cause: error });
      }
      throw error;
    }
  }
}

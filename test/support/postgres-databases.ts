// Throwaway PostgreSQL databases for tests, made from SECTRAIL_TEST_PG_URL (CI sets it) and dropped
// when the test ends. Empty when no server is configured: callers skip, saying why.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_PG_URL = process.env['SECTRAIL_TEST_PG_URL'] ?? '';
export const NO_PG_REASON = 'SECTRAIL_TEST_PG_URL is not set';

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  readonly name: string;
  /** The server URL with its parameters, pointing at the new database. */
  readonly url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `sectrail_test_${randomBytes(6).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

// Throwaway PostgreSQL databases for tests, made from SECTRAIL_TEST_PG_URL (CI sets it) and dropped
// when the test ends. Empty when no server is configured: callers skip, saying why. Each database
// belongs to an ordinary role, not a superuser, and the tests connect as it, as an operator's
// server should: row-level security between orgs binds it.
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

/** The role that owns the test databases: may log in, and is neither superuser nor BYPASSRLS. */
export const TEST_OWNER = 'sectrail_test_owner';

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `sectrail_test_${randomBytes(6).toString('hex')}`;
  // Made once per server; test processes running side by side may race to make it.
  await onServer(`DO $$ BEGIN
    CREATE ROLE ${TEST_OWNER} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${TEST_OWNER}';
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
  await onServer(`CREATE DATABASE ${name} OWNER ${TEST_OWNER}`);
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  url.username = TEST_OWNER;
  url.password = TEST_OWNER;
  return { name, url: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

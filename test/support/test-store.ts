// Which store the acceptance suites run on: SQLite by default, or PostgreSQL with
// SECTRAIL_TEST_STORE=postgres (npm run test:postgres), each test getting a fresh database.
import { createTestDatabase, NO_PG_REASON, TEST_PG_URL, type TestDatabase } from './postgres-databases.ts';

export const TEST_STORE: 'sqlite' | 'postgres' = process.env['SECTRAIL_TEST_STORE'] === 'postgres' ? 'postgres' : 'sqlite';

export interface StoreEnv {
  /** SECTRAIL_DATA_DIR, and DATABASE_URL on PostgreSQL: what a server or the CLI is started with. */
  readonly env: Record<string, string>;
  /** Drops the PostgreSQL database, if one was made. */
  dispose(): Promise<void>;
}

/** The environment for a server or CLI over a fresh store whose files live in `dataDir`. */
export async function storeEnv(dataDir: string): Promise<StoreEnv> {
  let database: TestDatabase | null = null;
  if (TEST_STORE === 'postgres') {
    if (TEST_PG_URL === '') throw new Error(`SECTRAIL_TEST_STORE=postgres needs a server: ${NO_PG_REASON}`);
    database = await createTestDatabase();
  }
  return {
    env: { SECTRAIL_DATA_DIR: dataDir, ...(database === null ? {} : { DATABASE_URL: database.url }) },
    dispose: async () => {
      await database?.drop();
    },
  };
}

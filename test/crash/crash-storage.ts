// The store a crash run writes to, fresh for the run: a SQLite file in a temp dir, or a new
// PostgreSQL database made from SECTRAIL_TEST_PG_URL (as the other suites make theirs), dropped
// at the end, with the probe that reads it directly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, NO_PG_REASON, TEST_PG_URL } from '../support/postgres-databases.ts';
import type { StoreKind } from './crash-config.ts';
import { postgresProbe, sqliteProbe, type StoreProbe } from './store-probe.ts';

export interface CrashStorage {
  readonly dataDir: string;
  /** SECTRAIL_DATA_DIR, and DATABASE_URL on PostgreSQL. */
  readonly env: Readonly<Record<string, string>>;
  readonly probe: StoreProbe;
  dispose(): Promise<void>;
}

export async function openCrashStorage(kind: StoreKind): Promise<CrashStorage> {
  const dataDir = mkdtempSync(join(tmpdir(), `sectrail-crash-${kind}-`));
  const removeDir = () => {
    rmSync(dataDir, { recursive: true, force: true });
  };
  if (kind === 'sqlite') {
    return { dataDir, env: { SECTRAIL_DATA_DIR: dataDir }, probe: sqliteProbe(join(dataDir, 'sectrail.db')), dispose: async () => { removeDir(); } };
  }
  if (TEST_PG_URL === '') {
    removeDir();
    throw new Error(`the PostgreSQL crash run needs a server: ${NO_PG_REASON} (such as postgres://postgres@127.0.0.1:5432/postgres)`);
  }
  const database = await createTestDatabase();
  return {
    dataDir,
    env: { SECTRAIL_DATA_DIR: dataDir, DATABASE_URL: database.url },
    probe: postgresProbe(database.url, TEST_PG_URL, database.name),
    dispose: async () => {
      await database.drop();
      removeDir();
    },
  };
}

// Applies the numbered .sql files beside this module once each, in order, each in its own
// transaction, under a database-wide advisory lock: any number of servers may start at once and
// exactly one applies each migration while the others wait, then find it recorded.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { withConnection } from './postgres-pool.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/** The advisory lock key of migrations (any fixed bigint; advisory locks are per database). */
const MIGRATION_LOCK = 0x5ec7_a11_0001;

export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  await withConnection(pool, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at bigint NOT NULL)');
      const applied = await client.query<{ version: string }>('SELECT version FROM schema_migrations');
      const done = new Set(applied.rows.map((row) => row.version));
      for (const file of files.filter((name) => !done.has(name))) {
        await client.query('BEGIN');
        try {
          // No parameters: pg sends the file as one simple query, so it may hold many statements.
          await client.query(readFileSync(MIGRATIONS_DIR + file, 'utf8'));
          await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [file, Date.now()]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  });
}

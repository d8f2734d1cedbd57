// Applies the numbered .sql files beside this module once each, in order, in one transaction each.
import type Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export function migrateSqlite(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  const isApplied = db.prepare<[string], { version: string }>('SELECT version FROM schema_migrations WHERE version = ?');
  const markApplied = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  for (const file of files) {
    // IMMEDIATE: two processes starting at once take turns instead of failing.
    db.transaction(() => {
      if (isApplied.get(file) !== undefined) return;
      db.exec(readFileSync(MIGRATIONS_DIR + file, 'utf8'));
      markApplied.run(file, Date.now());
    }).immediate();
  }
}

// The embedded store: one SQLite file in WAL mode with synchronous=FULL. Writes go through one
// connection, one transaction at a time (BEGIN IMMEDIATE also orders them against other processes
// such as the CLI); reads use a second connection and so see committed data only.
import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../../core/ports/clock.ts';
import type { PlatformReads, Store, Transaction } from '../../core/ports/store.ts';
import { SerialQueue } from '../serial-queue.ts';
import { openTransaction, type PendingEvent } from '../pending-events.ts';
import { SqliteRetention } from './sqlite-retention.ts';
import { SqliteEventAppender } from './sqlite-event-appender.ts';
import { migrateSqlite } from './sqlite-migrations.ts';
import { sqlitePlatformRecords, type PlatformRecords } from './sqlite-platform-repository.ts';
import { SqliteTrailReader } from './sqlite-trail-reader.ts';

export interface SqliteStoreOptions {
  readonly path: string;
  readonly clock: Clock;
}

function connect(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // The CLI writes to the same file while the server runs: wait for its lock instead of failing.
  db.pragma('busy_timeout = 10000');
  return db;
}

/**
 * The org lock on SQLite: nothing to take. Transactions run one at a time (the queue, and BEGIN
 * IMMEDIATE against other processes), so each already holds every org until it ends.
 */
const holdsEveryOrg = (): Promise<void> => Promise.resolve();

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly warnings: readonly string[] = [];
  readonly trail: SqliteTrailReader;
  readonly platform: PlatformReads;
  private readonly queue = new SerialQueue();
  private readonly appender: SqliteEventAppender;
  private readonly writerRecords: PlatformRecords;
  private readonly retention: SqliteRetention;
  private closed = false;

  private constructor(
    private readonly writer: Database.Database,
    private readonly reader: Database.Database,
    private readonly clock: Clock,
  ) {
    this.trail = new SqliteTrailReader(reader);
    this.platform = sqlitePlatformRecords(reader);
    this.writerRecords = sqlitePlatformRecords(writer);
    this.appender = new SqliteEventAppender(writer);
    this.retention = new SqliteRetention(writer);
  }

  static open(options: SqliteStoreOptions): SqliteStore {
    // Password and token hashes and the page-token key live here: owner-only from the start
    // (SQLite gives its -wal and -shm files the database file's mode).
    mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
    closeSync(openSync(options.path, 'a', 0o600));
    const writer = connect(options.path);
    migrateSqlite(writer);
    return new SqliteStore(writer, connect(options.path), options.clock);
  }

  transact<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      if (this.closed) throw new Error('the store is closed');
      const pending: PendingEvent[] = [];
      const tx = openTransaction(this.writerRecords, this.retention, pending, holdsEveryOrg);
      this.writer.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(tx);
        if (pending.length > 0) this.appender.append(pending, this.clock.now());
        this.writer.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /** One server per SQLite file: nothing to take turns with. */
  alone<T>(_name: 'sealing', work: () => Promise<T>): Promise<T | null> {
    return work();
  }

  /** The integrity check an operator runs after a crash; true when SQLite finds nothing wrong. */
  integrityCheck(): boolean {
    return this.reader.pragma('integrity_check', { simple: true }) === 'ok';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.idle();
    this.reader.close();
    this.writer.close();
  }
}

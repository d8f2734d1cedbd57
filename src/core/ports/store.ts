// The storage port. Every adapter (SQLite, PostgreSQL) implements it and passes the one contract
// suite in storage/contract. The rules that make the log trustworthy are stated here, per method.
import type { EventDraft } from '../events/envelope.ts';
import type { Role } from '../platform-model.ts';
import type { PurgedEvents } from '../retention.ts';
import type { PlatformReads, PlatformWrites } from './platform-records.ts';

export type { NewToken, PlatformReads, PlatformWrites } from './platform-records.ts';
export { INSTALLATION_WIDE } from './platform-records.ts';

/** One stored event: its seq and its envelope exactly as it was written (canonical JSON text). */
export interface StoredEventRow {
  readonly seq: number;
  readonly json: string;
}

export interface DayQuery {
  readonly orgId: string;
  readonly epochDay: number;
  /** Only events with a greater seq. */
  readonly afterSeq: number;
  /** Only events with a seq up to this one (a snapshot bound); no bound when absent. */
  readonly throughSeq?: number;
  /** Only these types; every type when null. */
  readonly eventTypes: readonly string[] | null;
}

export interface OrgHead {
  readonly lastSeq: number;
  readonly lastTimestampMs: number;
}

/** Reads of committed events only: nothing a reader sees can later be rolled back. */
export interface TrailReader {
  /** Up to `limit` events of the query, in seq order. */
  page(query: DayQuery, limit: number): Promise<StoredEventRow[]>;
  /**
   * Every event of the query in seq order, in batches, reading as the consumer pulls, so memory
   * does not grow with the day.
   */
  streamDay(query: DayQuery): AsyncIterable<readonly StoredEventRow[]>;
  /** Up to `limit` events of the org with a seq greater than `afterSeq`, any day, in seq order. */
  after(orgId: string, afterSeq: number, limit: number): Promise<StoredEventRow[]>;
  /** The org's last seq and timestamp; seq 0 before its first event. */
  head(orgId: string): Promise<OrgHead>;
  /** The seq of the org's last event before the given day began (0 when none). */
  lastSeqBeforeDay(orgId: string, epochDay: number): Promise<number>;
  /** Where the org's event with this id is: its seq and day; null when the org has no such event. */
  eventById(orgId: string, eventId: string): Promise<{ readonly seq: number; readonly epochDay: number } | null>;
}

/** The only way events ever leave the trail: whole days, by the retention policy. */
export interface TrailRetention {
  /**
   * Deletes every event of every org stamped on a day before `epochDay`, and says what went, per
   * org (orgs that lost nothing are not listed). Nothing else changes: seq goes on from each org's
   * head. Commits or rolls back with the transaction; one purge runs at a time across servers.
   */
  purgeEventsBefore(epochDay: number): Promise<PurgedEvents[]>;
}

export interface Transaction extends PlatformReads, PlatformWrites, TrailRetention {
  /**
   * Adds an event to this transaction. It gets its seq (gap-free per org, in commit order) and its
   * timestamp (commit time, never before the org's last) when the transaction commits, and exists
   * if and only if the transaction commits. Throws at once when the draft is invalid.
   */
  record(orgId: string, draft: EventDraft): void;
  /**
   * Holds the org's lock until this transaction commits or rolls back. Of the transactions that
   * ask for one org's lock, on any server, one holds it at a time; the next waits, and then reads
   * what the last one committed. A use case that checks something before it writes takes the lock
   * first, so that its check still holds when its write commits. Take it before the transaction
   * writes anything, and for one org only: a transaction waiting for it then holds no lock another
   * one needs (event heads are locked at commit, after it), so two transactions cannot deadlock.
   */
  lockOrg(orgId: string): Promise<void>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** What the operator should know about how the store runs (logged when the server starts). */
  readonly warnings: readonly string[];
  /**
   * Runs `work` in one database transaction. Changes and recorded events commit together or not
   * at all; when `work` throws, nothing of it remains and the error is rethrown.
   */
  transact<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  readonly trail: TrailReader;
  /** Committed platform state, read outside any transaction. */
  readonly platform: PlatformReads;
  /**
   * Runs `work` unless a server sharing the store is running work of the same name; null when one
   * was (so, of several servers, one seals the days). Not a transaction: `work` makes its own.
   */
  alone<T>(name: 'sealing', work: () => Promise<T>): Promise<T | null>;
  close(): Promise<void>;
}

/** Thrown by adapters when a unique constraint refuses a write (a taken slug, name or email). */
export class UniqueViolationError extends Error {
  override readonly name = 'UniqueViolationError';
}

export type { Role };

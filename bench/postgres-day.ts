// The PostgreSQL rows, when SECTRAIL_BENCH_PG_URL (else SECTRAIL_TEST_PG_URL) names a server: a
// fresh database (sectrail_bench_<random>, dropped at the end), one org-day appended through the
// store port, read by the raw `pg` baseline, then fetched whole over HTTP from a server process
// started with DATABASE_URL and checked byte for byte against it.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { BaselineResult } from './baseline-read.ts';
import { TrailClient, type DayBody } from './http-client.ts';
import { BASELINE_BATCH, measurePostgresBaseline } from './postgres-baseline.ts';
import { populate, type BenchDay } from './populate-day.ts';
import { startServerProcess } from './server-process.ts';
import { perSecond } from './stats.ts';
import { measureWholeDay, type WholeDayResult } from './whole-day-http.ts';

export interface PostgresServer {
  /** The server's URL as given; the benchmark's database replaces its path. */
  readonly url: string;
  /** The variable it came from. */
  readonly variable: string;
}

export type PostgresChoice = { readonly server: PostgresServer } | { readonly skipped: string };

/** The server to benchmark on, or why the PostgreSQL rows are skipped. */
export function choosePostgres(env: Readonly<Record<string, string | undefined>> = process.env): PostgresChoice {
  for (const variable of ['SECTRAIL_BENCH_PG_URL', 'SECTRAIL_TEST_PG_URL']) {
    const url = env[variable];
    if (url !== undefined && url !== '') return { server: { url, variable } };
  }
  return { skipped: 'neither SECTRAIL_BENCH_PG_URL nor SECTRAIL_TEST_PG_URL is set' };
}

export interface PostgresDayResult {
  readonly variable: string;
  readonly serverVersion: string;
  readonly events: number;
  readonly appendMs: number;
  readonly appendEventsPerSecond: number;
  readonly baselineBatch: number;
  readonly baseline: BaselineResult;
  readonly wholeDay: WholeDayResult;
}

export type PostgresOutcome = { readonly measured: PostgresDayResult } | { readonly skipped: string };

interface BenchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** Databases made and not yet dropped, so that an interrupted run drops them too. */
const undropped = new Set<BenchDatabase>();

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'sectrail-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The database's owner, as in production: an ordinary role, so row-level security is in force. */
const BENCH_OWNER = 'sectrail_bench_owner';

async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `sectrail_bench_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, async (client) => {
    await client.query(`DO $$ BEGIN
      CREATE ROLE ${BENCH_OWNER} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${BENCH_OWNER}';
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    await client.query(`CREATE DATABASE ${name} OWNER ${BENCH_OWNER}`);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  url.username = BENCH_OWNER;
  url.password = BENCH_OWNER;
  const database: BenchDatabase = {
    url: url.toString(),
    drop: async () => {
      undropped.delete(database);
      await onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
  undropped.add(database);
  return database;
}

/** Drops what an interrupted run left; errors are ignored (the process is on its way out). */
export async function dropBenchDatabases(): Promise<void> {
  await Promise.allSettled([...undropped].map((database) => database.drop()));
}

/** The server's version; also checks early that it can be reached, before the SQLite part's minutes. */
export async function postgresServerVersion(url: string): Promise<string> {
  return onServer(url, async (client) => {
    return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
  });
}

export async function measurePostgresDay(
  server: PostgresServer,
  dataDir: string,
  day: BenchDay,
  settings: { readonly events: number; readonly perTransaction: number; readonly wholeDayRuns: number },
  progress: (line: string) => void,
): Promise<PostgresDayResult> {
  const serverVersion = await postgresServerVersion(server.url);
  const database = await createBenchDatabase(server.url);
  // Beside the SQLite data, removed with it: the servers' secrets.key, no database file.
  const pgDataDir = join(dataDir, 'postgres');
  mkdirSync(pgDataDir, { recursive: true, mode: 0o700 });
  try {
    progress(`PostgreSQL ${serverVersion} (${server.variable}): appending ${settings.events} events to a fresh database`);
    const sizes = { big: settings.events, small: 0, perTransaction: settings.perTransaction };
    const data = await populate(pgDataDir, day, sizes, (line) => {
      progress(`(pg) ${line}`);
    }, database.url);

    progress(`(pg) baseline: raw pg, keyset batches of ${BASELINE_BATCH}, into one buffer`);
    const baseline = await measurePostgresBaseline(database.url, data.big.id, day.epochDay, settings.wholeDayRuns);
    if (baseline.events !== data.big.events) throw new Error(`the PostgreSQL day holds ${baseline.events} events, not ${data.big.events}`);

    progress('(pg) the whole day over HTTP from a server with DATABASE_URL');
    const httpServer = await startServerProcess(pgDataDir, { DATABASE_URL: database.url });
    const client = new TrailClient(httpServer.port, data.big.slug, data.big.token);
    let wholeDay: WholeDayResult;
    try {
      const body: DayBody = { year: day.year, month: day.month, day: day.day };
      await client.waitUntilSealed(body);
      wholeDay = await measureWholeDay(client, body, baseline, settings.wholeDayRuns);
    } finally {
      client.close();
      await httpServer.stop();
    }
    return {
      variable: server.variable,
      serverVersion,
      events: data.big.events,
      appendMs: data.bigAppendMs,
      appendEventsPerSecond: perSecond(data.big.events, data.bigAppendMs),
      baselineBatch: BASELINE_BATCH,
      baseline,
      wholeDay,
    };
  } finally {
    await database.drop();
  }
}

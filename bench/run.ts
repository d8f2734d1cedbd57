// `npm run bench`: one org-day (BENCH_EVENTS, default 1,000,000) appended through the store port and
// read back four ways, proofs of its events and a filtered first page (also alone:
// bench/run-bounded-reads.ts), then a load run over the small day (BENCH_LOAD_SECONDS); with
// SECTRAIL_BENCH_PG_URL (or SECTRAIL_TEST_PG_URL) also one PostgreSQL org-day (BENCH_PG_EVENTS,
// default 200,000) against a raw pg baseline; prints a table and one JSON line, and exits 1 when a
// target is missed.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dayReference, measureBaseline } from './baseline-read.ts';
import { readBenchSettings } from './bench-settings.ts';
import { TrailClient, type DayBody } from './http-client.ts';
import { measurePaging } from './paging.ts';
import { measurePeakRss } from './peak-rss.ts';
import { benchDay, populate } from './populate-day.ts';
import { choosePostgres, dropBenchDatabases, measurePostgresDay, postgresServerVersion, type PostgresOutcome } from './postgres-day.ts';
import { printReport } from './report.ts';
import { killAllServers, startServerProcess } from './server-process.ts';
import { measureWholeDay } from './whole-day-http.ts';
import { FORWARD_PAGE_SIZE, measureForwarding } from './forwarding.ts';
import { measureLoad } from './load.ts';
import { RARE_TYPE } from './event-mix.ts';
import { measureFilteredPage } from './filtered-page.ts';
import { measureProofs, randomEventIds } from './proofs.ts';

const started = performance.now();
const progress = (line: string) => {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)} s] ${line}\n`);
};

const settings = readBenchSettings();
const dataDir = mkdtempSync(join(tmpdir(), 'sectrail-bench-'));
const dbPath = join(dataDir, 'sectrail.db');

function cleanUp(): void {
  killAllServers();
  rmSync(dataDir, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping`);
    cleanUp();
    // Dropping a benchmark database ends this process's own connections to it mid-work; their
    // errors are expected now and must not stop the drop.
    process.on('uncaughtException', () => undefined);
    void dropBenchDatabases().finally(() => process.exit(130));
  });
}

async function main(): Promise<boolean> {
  const choice = choosePostgres();
  if ('server' in choice) {
    const version = await postgresServerVersion(choice.server.url);
    progress(`PostgreSQL ${version} from ${choice.server.variable}: its ${settings.pgDayEvents}-event day comes after the SQLite part`);
  }
  const day = benchDay();
  const body: DayBody = { year: day.year, month: day.month, day: day.day };
  progress(`data in ${dataDir}; appending ${settings.bigDayEvents} + ${settings.smallDayEvents} events`);
  const data = await populate(
    dataDir,
    day,
    { big: settings.bigDayEvents, small: settings.smallDayEvents, perTransaction: settings.eventsPerTransaction },
    progress,
  );

  progress('(a) baseline: raw prepared statement into one buffer');
  const baseline = await measureBaseline(dbPath, data.big.id, day.epochDay, settings.wholeDayRuns);
  if (baseline.events !== data.big.events) throw new Error(`the day holds ${baseline.events} events, not ${data.big.events}`);
  const bigReference = { events: baseline.events, bytes: baseline.bytes, sha256: baseline.sha256 };
  const smallReference = dayReference(dbPath, data.small.id, day.epochDay);
  if (smallReference.events !== data.small.events) throw new Error(`the small day holds ${smallReference.events} events`);

  const server = await startServerProcess(dataDir);
  const client = new TrailClient(server.port, data.big.slug, data.big.token);
  let wholeDay;
  let paging;
  let proofs;
  let filtered;
  let forwarding;
  let load;
  try {
    progress('(b) waiting for the server to seal the day (its first start seals the past days)');
    await client.waitUntilSealed(body);
    const smallClient = new TrailClient(server.port, data.small.slug, data.small.token);
    await smallClient.waitUntilSealed(body);
    smallClient.close();
    progress('(b) the whole day over HTTP');
    wholeDay = await measureWholeDay(client, body, bigReference, settings.wholeDayRuns);
    progress(`(c) pages of ${settings.pageSize}`);
    paging = await measurePaging(client, body, settings.pageSize, data.big.events, settings.pageRuns);
    progress(`(g) ${String(settings.proofs.proofs)} proofs of random events, then /healthz alone and under ${String(settings.proofs.callers)} proof callers`);
    const bigOrg = { slug: data.big.slug, readToken: data.big.token, adminToken: data.big.adminToken };
    const ids = randomEventIds(dbPath, data.big.id, day.epochDay, Math.max(settings.proofs.proofs, 1000));
    proofs = await measureProofs(server.port, bigOrg, body, ids, settings.proofs);
    progress(`(h) the first page filtered to ${RARE_TYPE} against the unfiltered first page`);
    filtered = await measureFilteredPage(client, body, settings.pageSize, RARE_TYPE, settings.filteredPageRuns);
    progress(`(e) the day forwarded to a file: sink (native, ocsf) against a plain fetch, pages of ${FORWARD_PAGE_SIZE}`);
    const date = `${String(day.year)}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`;
    forwarding = await measureForwarding(server.port, data.big.token, date, data.big.events, settings.wholeDayRuns, dataDir);
    const { seconds, connections, writesPerSecond } = settings.load;
    progress(`(f) load: ${connections} connections paging the small day for ${seconds} s while ${writesPerSecond} changes/s are written`);
    load = await measureLoad(
      server.port,
      { slug: data.small.slug, readToken: data.small.token, adminToken: data.small.adminToken },
      body,
      smallReference,
      { ...settings.load, pageSize: settings.pageSize },
    );
  } finally {
    client.close();
    await server.stop();
  }

  progress('(d) peak RSS of fresh servers streaming the small and the big day');
  const [small, big] = await measurePeakRss(
    dataDir,
    body,
    [
      { slug: data.small.slug, token: data.small.token, reference: smallReference },
      { slug: data.big.slug, token: data.big.token, reference: bigReference },
    ],
    settings.rssRuns,
    progress,
  );

  let postgres: PostgresOutcome;
  if ('skipped' in choice) {
    progress(`PostgreSQL rows skipped: ${choice.skipped}`);
    postgres = choice;
  } else {
    const pgSettings = { events: settings.pgDayEvents, perTransaction: settings.eventsPerTransaction, wholeDayRuns: settings.wholeDayRuns };
    postgres = { measured: await measurePostgresDay(choice.server, dataDir, day, pgSettings, progress) };
  }

  return printReport(
    {
      data,
      dbBytes: statSync(dbPath).size,
      baseline,
      wholeDay,
      paging,
      proofs,
      filtered,
      forwarding,
      load,
      rss: { small: small!, big: big! },
      postgres,
      totalSeconds: (performance.now() - started) / 1000,
    },
    (text) => process.stdout.write(`${text}\n`),
  );
}

try {
  process.exitCode = (await main()) ? 0 : 1;
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
} finally {
  cleanUp();
}

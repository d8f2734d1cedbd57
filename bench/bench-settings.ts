// What the benchmark measures and how often, from the environment (BENCH_EVENTS for a quick run,
// BENCH_PG_EVENTS for the PostgreSQL day, BENCH_PROOFS and BENCH_HEALTH_RUNS for the proofs row).
export interface BenchSettings {
  /** Events in the big org-day (the 1M day). */
  readonly bigDayEvents: number;
  /** Events in the small org-day (the 100k day): a tenth of the big one. */
  readonly smallDayEvents: number;
  /** Events per append transaction. */
  readonly eventsPerTransaction: number;
  readonly pageSize: number;
  /** Timed repetitions of (a) and (b), after one untimed verifying pass each. */
  readonly wholeDayRuns: number;
  /** Timed requests of the first page and of the last page each. */
  readonly pageRuns: number;
  /** Fresh server processes per day size for the RSS measurement. */
  readonly rssRuns: number;
  /** Events in the PostgreSQL org-day (BENCH_PG_EVENTS; by default 200,000, or BENCH_EVENTS when smaller). */
  readonly pgDayEvents: number;
  /** The load run (f) over the small day: BENCH_LOAD_SECONDS (60), 50 connections, 200 writes/s. */
  readonly load: { readonly seconds: number; readonly connections: number; readonly writesPerSecond: number };
  /** Proofs (g) of the big day: BENCH_PROOFS (1,000) timed, then BENCH_HEALTH_RUNS (200) /healthz alone and under 8 callers. */
  readonly proofs: { readonly proofs: number; readonly callers: number; readonly healthRuns: number };
  /** Timed requests of the filtered and of the unfiltered first page (h) each. */
  readonly filteredPageRuns: number;
}

function positiveInteger(raw: string | undefined, name: string, fallback: number, least = 10): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < least) throw new Error(`${name} must be an integer of at least ${String(least)}; got ${JSON.stringify(raw)}.`);
  return value;
}

export function readBenchSettings(env: Readonly<Record<string, string | undefined>> = process.env): BenchSettings {
  const bigDayEvents = positiveInteger(env['BENCH_EVENTS'], 'BENCH_EVENTS', 1_000_000);
  return {
    bigDayEvents,
    smallDayEvents: Math.max(1, Math.floor(bigDayEvents / 10)),
    eventsPerTransaction: 1000,
    pageSize: 1000,
    wholeDayRuns: 3,
    pageRuns: 15,
    rssRuns: 3,
    // A quick run (BENCH_EVENTS small) stays quick on PostgreSQL too.
    pgDayEvents: positiveInteger(env['BENCH_PG_EVENTS'], 'BENCH_PG_EVENTS', Math.min(200_000, bigDayEvents)),
    load: { seconds: positiveInteger(env['BENCH_LOAD_SECONDS'], 'BENCH_LOAD_SECONDS', 60, 1), connections: 50, writesPerSecond: 200 },
    proofs: {
      proofs: positiveInteger(env['BENCH_PROOFS'], 'BENCH_PROOFS', 1000, 1),
      callers: 8,
      healthRuns: positiveInteger(env['BENCH_HEALTH_RUNS'], 'BENCH_HEALTH_RUNS', 200, 1),
    },
    filteredPageRuns: 15,
  };
}

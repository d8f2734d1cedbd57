// The PostgreSQL part of the report: its rows, its target and its figures in the JSON line (or the
// one line saying why it was skipped).
import type { PostgresOutcome } from './postgres-day.ts';
import type { Target } from './report.ts';
import { round } from './stats.ts';

const MB = 1_000_000;
const ms = (value: number) => round(value, 1);
const rate = (value: number) => Math.round(value);
const list = (values: readonly number[]) => values.map((value) => round(value, 1)).join(', ');
const n = (value: number) => value.toLocaleString('en-US');

export function postgresTargetOf(outcome: PostgresOutcome): Target | null {
  if (!('measured' in outcome)) return null;
  const { wholeDay, baseline } = outcome.measured;
  const throughput = wholeDay.eventsPerSecond / baseline.eventsPerSecond;
  return { name: '(pg) whole-day events/s over HTTP vs raw pg baseline', measured: round(throughput, 3), rule: '>= 0.5', pass: throughput >= 0.5 };
}

export function postgresFiguresOf(outcome: PostgresOutcome, target: Target | null) {
  if (!('measured' in outcome)) return { skipped: outcome.skipped };
  const m = outcome.measured;
  return {
    from: m.variable,
    serverVersion: m.serverVersion,
    events: m.events,
    append: { ms: ms(m.appendMs), eventsPerSec: rate(m.appendEventsPerSecond) },
    baseline: {
      batch: m.baselineBatch,
      runsMs: m.baseline.runsMs.map(ms),
      medianMs: ms(m.baseline.medianMs),
      eventsPerSec: rate(m.baseline.eventsPerSecond),
      bytes: m.baseline.bytes,
    },
    wholeDayHttp: {
      verified: m.wholeDay.verified,
      runsMs: m.wholeDay.runsMs.map(ms),
      medianMs: ms(m.wholeDay.medianMs),
      eventsPerSec: rate(m.wholeDay.eventsPerSecond),
      bytes: m.wholeDay.bytes,
    },
    target,
  };
}

/** The rows for the measurement table, from the figures above; null when skipped. */
export function postgresRows(f: ReturnType<typeof postgresFiguresOf>): string[][] | null {
  if ('skipped' in f) return null;
  return [
    ['(pg) append through the store port', `${f.append.ms} ms`, n(f.append.eventsPerSec), '1000 events/transaction'],
    ['(pg) baseline: raw pg -> buffer', `${f.baseline.medianMs} ms`, n(f.baseline.eventsPerSec), `runs ${list(f.baseline.runsMs)} ms; keyset batches of ${n(f.baseline.batch)}; ${round(f.baseline.bytes / MB, 1)} MB`],
    ['(pg) whole day over HTTP', `${f.wholeDayHttp.medianMs} ms`, n(f.wholeDayHttp.eventsPerSec), `runs ${list(f.wholeDayHttp.runsMs)} ms; bytes identical to baseline: ${f.wholeDayHttp.verified ? 'yes' : 'NO'}`],
  ];
}

/** The line above the PostgreSQL rows: what was measured where, or why nothing was. */
export function postgresHeadline(outcome: PostgresOutcome): string {
  if (!('measured' in outcome)) return `PostgreSQL rows skipped: ${outcome.skipped} (set SECTRAIL_BENCH_PG_URL=postgres://… to add them).`;
  const m = outcome.measured;
  return `PostgreSQL ${m.serverVersion} (${m.variable}, fresh database, dropped after): one org-day of ${n(m.events)} events (BENCH_PG_EVENTS)`;
}

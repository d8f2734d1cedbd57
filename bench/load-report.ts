// The load run's (f) rows, targets and figures for the bench report.
import type { LoadResult } from './load.ts';
import { round } from './stats.ts';
import type { Target } from './report.ts';

export function loadTargetsOf(load: LoadResult): Target[] {
  const failures = load.errors + load.timeouts + load.non200 + load.mismatches + load.writes.failed;
  const missing = load.writes.acknowledged - load.writes.eventsFound;
  const pace = load.writes.perSecond / load.settings.writesPerSecond;
  return [
    { name: '(f) load: errors, timeouts, non-200 and wrong pages, reads and writes', measured: failures, rule: '= 0', pass: failures === 0 },
    { name: '(f) load: acknowledged writes without their event', measured: missing, rule: '= 0', pass: missing === 0 },
    { name: '(f) load: writes made vs the pace asked', measured: round(pace, 3), rule: '>= 0.95', pass: pace >= 0.95 },
  ];
}

export function loadFiguresOf(load: LoadResult) {
  return {
    seconds: load.settings.seconds,
    connections: load.settings.connections,
    pageSize: load.settings.pageSize,
    pages: load.pages,
    requests: load.requests,
    requestsPerSec: round(load.requestsPerSecond, 0),
    latencyMs: { p50: load.latencyP50Ms, p99: load.latencyP99Ms, max: load.latencyMaxMs },
    errors: load.errors,
    timeouts: load.timeouts,
    non200: load.non200,
    mismatches: load.mismatches,
    writes: {
      askedPerSec: load.settings.writesPerSecond,
      madePerSec: round(load.writes.perSecond, 1),
      acknowledged: load.writes.acknowledged,
      failed: load.writes.failed,
      eventsFound: load.writes.eventsFound,
      latencyMs: { p50: round(load.writes.p50Ms, 1), p99: round(load.writes.p99Ms, 1) },
    },
  };
}

export function loadRows(f: ReturnType<typeof loadFiguresOf>, dayEvents: number): string[][] {
  const n = (value: number) => value.toLocaleString('en-US');
  return [
    [
      `(f) load: ${String(f.connections)} connections paging the ${n(dayEvents)}-event day for ${String(f.seconds)} s`,
      `p50 ${String(f.latencyMs.p50)} ms`,
      `${n(f.requestsPerSec)} req/s`,
      `p99 ${String(f.latencyMs.p99)} ms, max ${String(f.latencyMs.max)} ms; ${n(f.requests)} pages of ${String(f.pageSize)}, each checked byte for byte; errors ${String(f.errors)}, timeouts ${String(f.timeouts)}, non-200 ${String(f.non200)}, wrong ${String(f.mismatches)}`,
    ],
    [
      `(f) load: writes meanwhile (groups created)`,
      `p50 ${String(f.writes.latencyMs.p50)} ms`,
      `${String(f.writes.madePerSec)}/s`,
      `p99 ${String(f.writes.latencyMs.p99)} ms; ${n(f.writes.acknowledged)} acknowledged, ${String(f.writes.failed)} failed, ${n(f.writes.eventsFound)} found among the day's events`,
    ],
  ];
}

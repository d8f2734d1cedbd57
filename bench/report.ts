// Turns the measurements into the printed table, the targets' verdicts and one JSON line.
import type { BaselineResult } from './baseline-read.ts';
import { boundedReadFiguresOf, boundedReadRows, boundedReadTargetsOf } from './bounded-reads-report.ts';
import type { FilteredPageResult } from './filtered-page.ts';
import type { ForwardingResult } from './forwarding.ts';
import type { LoadResult } from './load.ts';
import { loadFiguresOf, loadRows, loadTargetsOf } from './load-report.ts';
import type { PagingResult } from './paging.ts';
import type { PeakRssResult } from './peak-rss.ts';
import type { PopulatedData } from './populate-day.ts';
import type { PostgresOutcome } from './postgres-day.ts';
import type { ProofResult } from './proofs.ts';
import { postgresFiguresOf, postgresHeadline, postgresRows, postgresTargetOf } from './postgres-report.ts';
import { perSecond, round } from './stats.ts';
import type { WholeDayResult } from './whole-day-http.ts';

const MB = 1_000_000;

export interface Measurements {
  readonly data: PopulatedData;
  readonly dbBytes: number;
  readonly baseline: BaselineResult;
  readonly wholeDay: WholeDayResult;
  readonly paging: PagingResult;
  readonly proofs: ProofResult;
  readonly filtered: FilteredPageResult;
  readonly forwarding: ForwardingResult;
  readonly load: LoadResult;
  readonly rss: { readonly small: PeakRssResult; readonly big: PeakRssResult };
  /** The PostgreSQL rows, or why they were skipped. */
  readonly postgres: PostgresOutcome;
  readonly totalSeconds: number;
}

export interface Target {
  readonly name: string;
  readonly measured: number;
  readonly rule: string;
  readonly pass: boolean;
}

export function targetsOf(m: Measurements): Target[] {
  const throughput = m.wholeDay.eventsPerSecond / m.baseline.eventsPerSecond;
  const pages = m.paging.lastMedianMs / m.paging.firstMedianMs;
  const growthMb = ((m.rss.big.medianPeakKib - m.rss.small.medianPeakKib) * 1024) / MB;
  return [
    { name: '(b)/(a) whole-day events/s over HTTP vs baseline', measured: round(throughput, 3), rule: '>= 0.5', pass: throughput >= 0.5 },
    { name: '(c) last page / first page latency', measured: round(pages, 3), rule: '<= 2', pass: pages <= 2 },
    { name: '(d) peak RSS growth, small day -> big day (MB)', measured: round(growthMb, 1), rule: '< 50', pass: growthMb < 50 },
    ...(['native', 'ocsf'] as const).map((format) => {
      const ratio = m.forwarding[format].eventsPerSecond / m.forwarding.plain.eventsPerSecond;
      return { name: `(e) forwarded to file: (${format}) vs plain API fetch`, measured: round(ratio, 3), rule: '>= 0.7', pass: ratio >= 0.7 };
    }),
    ...loadTargetsOf(m.load),
    ...boundedReadTargetsOf(m),
  ];
}

const mb = (bytes: number) => round(bytes / MB, 1);
const kibToMb = (kib: number) => mb(kib * 1024);
const ms = (value: number) => round(value, 1);
const rate = (value: number) => Math.round(value);
const list = (values: readonly number[]) => values.map((value) => round(value, 1)).join(', ');

export function figuresOf(m: Measurements, targets: readonly Target[]) {
  const { data, baseline, wholeDay, paging, rss } = m;
  // Apart from `targets`, which lists the SQLite day's whatever the setup.
  const postgresTarget = postgresTargetOf(m.postgres);
  return {
    benchmark: 'sectrail security-trail org-day',
    node: process.version,
    day: `${data.day.year}-${String(data.day.month).padStart(2, '0')}-${String(data.day.day).padStart(2, '0')}`,
    events: data.big.events,
    smallDayEvents: data.small.events,
    // 50 bytes of answer around the events, and a comma between two.
    envelopeBytesAvg: round((baseline.bytes - 50 - (baseline.events - 1)) / baseline.events, 1),
    dbMb: mb(m.dbBytes),
    append: {
      bigDayMs: ms(data.bigAppendMs),
      bigDayEventsPerSec: rate(perSecond(data.big.events, data.bigAppendMs)),
      smallDayEventsPerSec: rate(perSecond(data.small.events, data.smallAppendMs)),
    },
    baseline: { runsMs: baseline.runsMs.map(ms), medianMs: ms(baseline.medianMs), eventsPerSec: rate(baseline.eventsPerSecond), bytes: baseline.bytes },
    wholeDayHttp: {
      verified: wholeDay.verified,
      runsMs: wholeDay.runsMs.map(ms),
      medianMs: ms(wholeDay.medianMs),
      eventsPerSec: rate(wholeDay.eventsPerSecond),
      bytes: wholeDay.bytes,
    },
    paging: {
      pageSize: paging.pageSize,
      pages: paging.pages,
      walkMs: ms(paging.walkMs),
      walkEventsPerSec: rate(perSecond(paging.walkEvents, paging.walkMs)),
      lastPageEvents: paging.lastPageEvents,
      firstMedianMs: ms(paging.firstMedianMs),
      lastMedianMs: ms(paging.lastMedianMs),
      secondMedianMs: paging.secondMedianMs === null ? null : ms(paging.secondMedianMs),
      firstRunsMs: paging.firstPageMs.map(ms),
      lastRunsMs: paging.lastPageMs.map(ms),
    },
    forwarding: {
      pageSize: m.forwarding.pageSize,
      plain: { runsMs: m.forwarding.plain.runsMs.map(ms), medianMs: ms(m.forwarding.plain.medianMs), eventsPerSec: rate(m.forwarding.plain.eventsPerSecond) },
      native: { runsMs: m.forwarding.native.runsMs.map(ms), medianMs: ms(m.forwarding.native.medianMs), eventsPerSec: rate(m.forwarding.native.eventsPerSecond), fileBytes: m.forwarding.native.fileBytes },
      ocsf: { runsMs: m.forwarding.ocsf.runsMs.map(ms), medianMs: ms(m.forwarding.ocsf.medianMs), eventsPerSec: rate(m.forwarding.ocsf.eventsPerSecond), fileBytes: m.forwarding.ocsf.fileBytes },
    },
    ...boundedReadFiguresOf(m),
    load: loadFiguresOf(m.load),
    peakRss: {
      smallDayPeakMb: rss.small.peakKib.map(kibToMb),
      bigDayPeakMb: rss.big.peakKib.map(kibToMb),
      smallDayMedianPeakMb: kibToMb(rss.small.medianPeakKib),
      bigDayMedianPeakMb: kibToMb(rss.big.medianPeakKib),
      afterStartMedianMb: kibToMb(rss.small.medianStartKib),
    },
    targets: targets.map(({ name, measured, rule, pass }) => ({ name, measured, rule, pass })),
    postgres: postgresFiguresOf(m.postgres, postgresTarget),
    pass: targets.every((target) => target.pass) && (postgresTarget?.pass ?? true),
    totalSeconds: round(m.totalSeconds, 1),
  };
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

export function printReport(m: Measurements, out: (text: string) => void): boolean {
  const targets = targetsOf(m);
  const f = figuresOf(m, targets);
  const n = (value: number) => value.toLocaleString('en-US');
  out(`\nsectrail bench: one org-day of ${n(f.events)} events (${f.envelopeBytesAvg} B/envelope, DB ${f.dbMb} MB), day ${f.day}, ${f.node}\n`);
  out(table([
    ['measurement', 'median', 'events/s', 'detail'],
    ['append through the store port', `${f.append.bigDayMs} ms`, n(f.append.bigDayEventsPerSec), `1000 events/transaction; small day ${n(f.append.smallDayEventsPerSec)}/s`],
    ['(a) baseline: raw statement -> buffer', `${f.baseline.medianMs} ms`, n(f.baseline.eventsPerSec), `runs ${list(f.baseline.runsMs)} ms; ${mb(f.baseline.bytes)} MB`],
    ['(b) whole day over HTTP', `${f.wholeDayHttp.medianMs} ms`, n(f.wholeDayHttp.eventsPerSec), `runs ${list(f.wholeDayHttp.runsMs)} ms; bytes identical to (a): ${f.wholeDayHttp.verified ? 'yes' : 'NO'}`],
    ['(c) walk of all pages', `${f.paging.walkMs} ms`, n(f.paging.walkEventsPerSec), `${n(f.paging.pages)} pages of ${f.paging.pageSize}, every event once in seq order`],
    ['(c) first page (no token)', `${f.paging.firstMedianMs} ms`, '', `${f.paging.firstRunsMs.length} runs; logs security_log.accessed`],
    ['(c) last page (token)', `${f.paging.lastMedianMs} ms`, '', `${f.paging.lastRunsMs.length} runs; ${f.paging.lastPageEvents} events`],
    ['(c) second page (token), for reference', f.paging.secondMedianMs === null ? '-' : `${f.paging.secondMedianMs} ms`, '', ''],
    [`(d) peak RSS, ${n(m.data.small.events)}-event day`, `${f.peakRss.smallDayMedianPeakMb} MB`, '', `runs ${list(f.peakRss.smallDayPeakMb)} MB; ${f.peakRss.afterStartMedianMb} MB after start`],
    [`(d) peak RSS, ${n(m.data.big.events)}-event day`, `${f.peakRss.bigDayMedianPeakMb} MB`, '', `runs ${list(f.peakRss.bigDayPeakMb)} MB`],
    [`(e) plain API fetch, pages of ${n(f.forwarding.pageSize)}`, `${f.forwarding.plain.medianMs} ms`, n(f.forwarding.plain.eventsPerSec), `runs ${list(f.forwarding.plain.runsMs)} ms; parsed, not kept`],
    ['(e) forwarded to file: (native)', `${f.forwarding.native.medianMs} ms`, n(f.forwarding.native.eventsPerSec), `runs ${list(f.forwarding.native.runsMs)} ms; ${mb(f.forwarding.native.fileBytes)} MB written and fsynced, checkpoints saved`],
    ['(e) forwarded to file: (ocsf)', `${f.forwarding.ocsf.medianMs} ms`, n(f.forwarding.ocsf.eventsPerSec), `runs ${list(f.forwarding.ocsf.runsMs)} ms; ${mb(f.forwarding.ocsf.fileBytes)} MB`],
    ...loadRows(f.load, m.data.small.events),
    ...boundedReadRows(f),
  ]));
  const pgRows = postgresRows(f.postgres);
  out(`\n${postgresHeadline(m.postgres)}${pgRows === null ? '' : '\n'}`);
  if (pgRows !== null) out(table([['measurement', 'median', 'events/s', 'detail'], ...pgRows]));
  out('\n');
  const postgresTarget = postgresTargetOf(m.postgres);
  const judged = postgresTarget === null ? targets : [...targets, postgresTarget];
  out(table([
    ['target', 'measured', 'rule', 'verdict'],
    ...judged.map((t) => [t.name, String(t.measured), t.rule, t.pass ? 'PASS' : 'FAIL']),
  ]));
  out(`\n${f.pass ? 'ALL TARGETS PASS' : 'SOME TARGET FAILS'} (${f.totalSeconds} s in all)\n`);
  out(JSON.stringify(f));
  return f.pass;
}

// The rows, targets and figures of (g) proofs and (h) the filtered first page, for the bench report.
import type { FilteredPageResult } from './filtered-page.ts';
import type { ProofResult } from './proofs.ts';
import type { Target } from './report.ts';
import { round } from './stats.ts';

export interface BoundedReads {
  readonly proofs: ProofResult;
  readonly filtered: FilteredPageResult;
}

/**
 * A saturated server shares its time between requests: a health check waits for the proofs in
 * flight, so it is judged in milliseconds (when a proof re-hashed its day, it waited seconds), and
 * its ratio to /healthz alone is printed beside. A filtered page returns fewer events than an
 * unfiltered one; both pay the same fixed costs (the access event's commit among them).
 */
export function boundedReadTargetsOf(m: BoundedReads): Target[] {
  const filtered = m.filtered.filteredMedianMs / m.filtered.unfilteredMedianMs;
  return [
    { name: '(g) proof latency p50 (ms)', measured: round(m.proofs.p50Ms, 2), rule: '< 5', pass: m.proofs.p50Ms < 5 },
    {
      name: `(g) /healthz under ${String(m.proofs.settings.callers)} proof callers, median (ms)`,
      measured: round(m.proofs.healthUnderProofsMs, 2),
      rule: '< 50',
      pass: m.proofs.healthUnderProofsMs < 50,
    },
    { name: '(h) first page filtered to a rare type / unfiltered', measured: round(filtered, 3), rule: '<= 1', pass: filtered <= 1 },
  ];
}

export function boundedReadFiguresOf(m: BoundedReads) {
  const { proofs, filtered } = m;
  return {
    proofs: {
      count: proofs.proofMs.length,
      latencyMs: { p50: round(proofs.p50Ms, 2), p99: round(proofs.p99Ms, 2), max: round(proofs.maxMs, 1) },
      callers: proofs.settings.callers,
      healthMs: { alone: round(proofs.healthAloneMs, 2), underProofs: round(proofs.healthUnderProofsMs, 2), runs: proofs.settings.healthRuns },
      proofsMeanwhile: proofs.proofsMeanwhile,
    },
    filteredPage: {
      pageSize: filtered.pageSize,
      eventType: filtered.eventType,
      events: filtered.filteredEvents,
      filteredMedianMs: round(filtered.filteredMedianMs, 2),
      unfilteredMedianMs: round(filtered.unfilteredMedianMs, 2),
      runs: filtered.filteredMs.length,
    },
  };
}

export function boundedReadRows(f: ReturnType<typeof boundedReadFiguresOf>): string[][] {
  const { proofs, filteredPage } = f;
  return [
    ['(g) proof of a random event', `p50 ${String(proofs.latencyMs.p50)} ms`, '', `p99 ${String(proofs.latencyMs.p99)} ms, max ${String(proofs.latencyMs.max)} ms; ${String(proofs.count)} proofs one after another, each checked against the digest`],
    ['(g) /healthz alone', `${String(proofs.healthMs.alone)} ms`, '', `${String(proofs.healthMs.runs)} requests`],
    [
      `(g) /healthz under ${String(proofs.callers)} proof callers`,
      `${String(proofs.healthMs.underProofs)} ms`,
      '',
      `${String(proofs.healthMs.runs)} requests, ${String(round(proofs.healthMs.underProofs / proofs.healthMs.alone, 1))} x alone; ${String(proofs.proofsMeanwhile)} proofs answered meanwhile`,
    ],
    [`(h) first page filtered to ${filteredPage.eventType}`, `${String(filteredPage.filteredMedianMs)} ms`, '', `${String(filteredPage.runs)} runs; ${String(filteredPage.events)} events`],
    ['(h) first page unfiltered', `${String(filteredPage.unfilteredMedianMs)} ms`, '', `${String(filteredPage.runs)} runs; ${String(filteredPage.pageSize)} events`],
  ];
}

// Comparing what a reader saw with what the log holds, naming the first place they part (a seq
// missed, repeated, out of order or unknown to the log) instead of printing two long arrays.
import assert from 'node:assert/strict';
import type { Envelope } from '../support/http-helpers.ts';

/** `seen` is exactly `stored`: each event once, in seq order, none missing, none extra. */
export function assertSameEvents(who: string, seen: readonly Envelope[], stored: readonly Envelope[]): void {
  const counts = new Map<number, number>();
  for (const event of seen) counts.set(event.seq, (counts.get(event.seq) ?? 0) + 1);
  const repeated = [...counts].find(([, count]) => count > 1);
  if (repeated !== undefined) assert.fail(`${who} saw seq ${String(repeated[0])} ${String(repeated[1])} times`);
  const missed = stored.find((event) => !counts.has(event.seq));
  if (missed !== undefined) assert.fail(`${who} missed seq ${String(missed.seq)} (${missed.type} at ${missed.timestamp})`);
  const storedSeqs = new Set(stored.map((event) => event.seq));
  const extra = seen.find((event) => !storedSeqs.has(event.seq));
  if (extra !== undefined) assert.fail(`${who} saw seq ${String(extra.seq)}, which the stored log does not hold there`);
  const disorder = seen.findIndex((event, index) => index > 0 && event.seq < (seen[index - 1] as Envelope).seq);
  if (disorder !== -1) assert.fail(`${who} saw seq ${String(seen[disorder]?.seq)} after seq ${String(seen[disorder - 1]?.seq)}`);
  const changed = seen.findIndex((event, index) => event.id !== stored[index]?.id);
  if (changed !== -1) assert.fail(`${who} saw another event than the stored one at seq ${String(seen[changed]?.seq)}`);
}

/** The seqs run 1, 2, 3, … with no gap and no repeat. */
export function assertGapFreeFromOne(who: string, events: readonly Envelope[]): void {
  const wrong = events.findIndex((event, index) => event.seq !== index + 1);
  if (wrong === -1) return;
  const previous = wrong === 0 ? 'the start' : `seq ${String(events[wrong - 1]?.seq)}`;
  assert.fail(`${who}: seq ${String(events[wrong]?.seq)} follows ${previous}, where seq ${String(wrong + 1)} was due`);
}

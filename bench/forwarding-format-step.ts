// What a formatting thread spends on one event in OCSF, step by step, without a server: the
// benchmark's event mix as served (canonical envelopes, pages of 10,000), cut from the page, then
// also parsed, then also its native text escaped as OCSF's raw_data (alone) and encoded as UTF-8,
// then instead written as a whole OCSF line and encoded as UTF-8. Steps run in turn within
// each round, so a busy machine slows them alike. Run: node --import tsx bench/forwarding-format-step.ts
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { envelopeJson, toEnvelope } from '../src/core/events/envelope.ts';
import { ocsfWriter } from '../src/forwarder/formats/ocsf.ts';
import { eventRanges, pageInfo } from '../src/forwarder/page-split.ts';
import { EventMix } from './event-mix.ts';
import { median } from './stats.ts';

const EVENTS = 200_000;
const PAGE_SIZE = 10_000;
const ROUNDS = 7;

function pages(): string[] {
  const mix = new EventMix();
  const start = Date.UTC(2024, 4, 1);
  const texts = Array.from({ length: EVENTS }, (_, n) => envelopeJson(toEnvelope(mix.draft(n), { id: randomUUID(), seq: n + 1, timestampMs: start + n * 50 })));
  const served: string[] = [];
  for (let at = 0; at < texts.length; at += PAGE_SIZE) served.push(`{"result":[${texts.slice(at, at + PAGE_SIZE).join(',')}],"nextPageToken":null,"complete":true}`);
  return served;
}

const writeOcsf = ocsfWriter('bench');
const out = Buffer.allocUnsafe(1024 * 1024);

/** Each step returns a number so that its work cannot be left out. */
const STEPS: Record<string, (native: string) => number> = {
  cut: (native) => native.length,
  'cut, parse': (native) => (JSON.parse(native) as { seq: number }).seq,
  'cut, parse, raw_data, UTF-8': (native) => {
    JSON.parse(native);
    return out.write(JSON.stringify(native), 0);
  },
  'cut, parse, OCSF line, UTF-8': (native) => out.write(writeOcsf(JSON.parse(native) as Record<string, unknown>, native), 0),
};

const served = pages();
const runs = new Map<string, number[]>();
let checksum = 0;
for (let round = 0; round < ROUNDS; round += 1) {
  for (const [name, step] of Object.entries(STEPS)) {
    const started = performance.now();
    for (const page of served) {
      const ranges = eventRanges(page, pageInfo(page));
      for (let at = 0; at < ranges.length; at += 2) checksum += step(page.slice(ranges[at], ranges[at + 1]));
    }
    runs.set(name, [...(runs.get(name) ?? []), performance.now() - started]);
  }
}
const perEvent = (ms: number): string => `${((ms * 1000) / EVENTS).toFixed(2)} µs`;
process.stdout.write(`${String(EVENTS)} events, ${String(ROUNDS)} rounds (checksum ${String(checksum)})\n`);
for (const [name, ms] of runs) process.stdout.write(`${name.padEnd(30)} median ${perEvent(median(ms))}, fastest ${perEvent(Math.min(...ms))} an event\n`);

// Measurement (b): the whole day in one streamed answer over HTTP, checked once byte for byte
// against the baseline, then timed with the client only counting bytes.
import type { DayReference } from './baseline-read.ts';
import type { DayBody, TrailClient } from './http-client.ts';
import { median, perSecond, timed } from './stats.ts';

export interface WholeDayResult {
  readonly verified: boolean;
  readonly bytes: number;
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  readonly eventsPerSecond: number;
}

export async function measureWholeDay(
  client: TrailClient,
  day: DayBody,
  reference: DayReference,
  runs: number,
): Promise<WholeDayResult> {
  const check = await client.ok(day, 'hash');
  const verified = check.sha256 === reference.sha256 && check.bytes === reference.bytes;
  const runsMs: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const { ms, value } = await timed(() => client.ok(day, 'count'));
    if (value.bytes !== check.bytes) throw new Error(`a whole-day answer had ${value.bytes} bytes, not ${check.bytes}`);
    runsMs.push(ms);
  }
  const medianMs = median(runsMs);
  return { verified, bytes: check.bytes, runsMs, medianMs, eventsPerSecond: perSecond(reference.events, medianMs) };
}

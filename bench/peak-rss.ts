// Measurement (d): the server's peak RSS (VmHWM) streaming a whole day, each time in a fresh
// server process, for the small and the big day alternately.
import type { DayReference } from './baseline-read.ts';
import { TrailClient, type DayBody } from './http-client.ts';
import { median } from './stats.ts';
import { startServerProcess } from './server-process.ts';

export interface DayToStream {
  readonly slug: string;
  readonly token: string;
  readonly reference: DayReference;
}

export interface PeakRssResult {
  /** VmHWM after start, before any request, in KiB, per run. */
  readonly startKib: readonly number[];
  /** VmHWM after the day was streamed, in KiB, per run. */
  readonly peakKib: readonly number[];
  readonly medianStartKib: number;
  readonly medianPeakKib: number;
}

async function peakOnce(dataDir: string, day: DayBody, target: DayToStream): Promise<{ start: number; peak: number }> {
  const server = await startServerProcess(dataDir);
  const client = new TrailClient(server.port, target.slug, target.token);
  try {
    const start = server.peakRssKib();
    const answer = await client.ok(day, 'hash');
    if (answer.sha256 !== target.reference.sha256) throw new Error(`the streamed day of ${target.slug} differs from the stored one`);
    return { start, peak: server.peakRssKib() };
  } finally {
    client.close();
    await server.stop();
  }
}

export async function measurePeakRss(
  dataDir: string,
  day: DayBody,
  days: readonly DayToStream[],
  runs: number,
  progress: (line: string) => void,
): Promise<PeakRssResult[]> {
  const samples = days.map(() => ({ start: [] as number[], peak: [] as number[] }));
  for (let run = 0; run < runs; run += 1) {
    for (const [index, target] of days.entries()) {
      const { start, peak } = await peakOnce(dataDir, day, target);
      samples[index]!.start.push(start);
      samples[index]!.peak.push(peak);
      progress(`RSS run ${run + 1}/${runs}, ${target.reference.events} events: peak ${(peak / 1024).toFixed(1)} MiB`);
    }
  }
  return samples.map(({ start, peak }) => ({
    startKib: start,
    peakKib: peak,
    medianStartKib: median(start),
    medianPeakKib: median(peak),
  }));
}

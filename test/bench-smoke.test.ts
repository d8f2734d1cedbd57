// The benchmark is code too: a tiny run checks that it still measures every figure and that the
// whole day it fetched over HTTP is byte-identical to the baseline. Targets are not judged at
// this size (fixed per-request costs dominate a day of a few thousand events).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';

test('a small benchmark run reports every figure and fetches the day intact', async () => {
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts'],
      { env: { ...process.env, BENCH_EVENTS: '2000' }, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // Exit code 1 only says a target was missed, which this size does not judge.
        if (error !== null && error.code !== 1) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
  const jsonLine = output.trimEnd().split('\n').pop() ?? '';
  const report = JSON.parse(jsonLine) as {
    events: number;
    wholeDayHttp: { verified: boolean; eventsPerSec: number };
    baseline: { eventsPerSec: number };
    paging: { pages: number; lastPageEvents: number };
    peakRss: { smallDayMedianPeakMb: number; bigDayMedianPeakMb: number };
    targets: { name: string; measured: number }[];
    forwarding: { plain: { eventsPerSec: number }; native: { eventsPerSec: number }; ocsf: { eventsPerSec: number } };
  };
  assert.equal(report.events, 2000);
  assert.equal(report.wholeDayHttp.verified, true);
  assert.ok(report.baseline.eventsPerSec > 0 && report.wholeDayHttp.eventsPerSec > 0);
  assert.equal(report.paging.pages, 2);
  assert.ok(report.peakRss.smallDayMedianPeakMb > 0 && report.peakRss.bigDayMedianPeakMb > 0);
  assert.equal(report.targets.length, 5);
  assert.ok(report.forwarding.native.eventsPerSec > 0 && report.forwarding.ocsf.eventsPerSec > 0 && report.forwarding.plain.eventsPerSec > 0);
});

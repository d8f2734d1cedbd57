// The benchmark is code too: a tiny run checks that it still measures every figure, that the
// whole day it fetched over HTTP is byte-identical to the baseline, that a short load run is clean,
// and that proofs and a filtered page are measured. Targets are not judged at this size (fixed
// per-request costs dominate a day of a few thousand events).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';

test('a small benchmark run reports every figure and fetches the day intact', async () => {
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts'],
      { env: { ...process.env, BENCH_EVENTS: '2000', BENCH_LOAD_SECONDS: '2', BENCH_PROOFS: '20' }, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
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
    load: { requests: number; errors: number; non200: number; mismatches: number; latencyMs: { p50: number; p99: number }; writes: { acknowledged: number; failed: number; eventsFound: number } };
    proofs: { count: number; latencyMs: { p50: number }; healthMs: { alone: number; underProofs: number }; proofsMeanwhile: number };
    filteredPage: { events: number; filteredMedianMs: number; unfilteredMedianMs: number };
  };
  assert.equal(report.events, 2000);
  assert.equal(report.wholeDayHttp.verified, true);
  assert.ok(report.baseline.eventsPerSec > 0 && report.wholeDayHttp.eventsPerSec > 0);
  assert.equal(report.paging.pages, 2);
  assert.ok(report.peakRss.smallDayMedianPeakMb > 0 && report.peakRss.bigDayMedianPeakMb > 0);
  assert.equal(report.targets.length, 11);
  assert.equal(report.proofs.count, 20, 'every proof checked against the digest');
  assert.ok(report.proofs.latencyMs.p50 > 0 && report.proofs.healthMs.alone > 0 && report.proofs.healthMs.underProofs > 0 && report.proofs.proofsMeanwhile > 0);
  assert.equal(report.filteredPage.events, 1, 'the rare type once in 2,000 events');
  assert.ok(report.filteredPage.filteredMedianMs > 0 && report.filteredPage.unfilteredMedianMs > 0);
  assert.ok(report.load.requests > 0 && report.load.latencyMs.p99 >= report.load.latencyMs.p50);
  assert.deepEqual([report.load.errors, report.load.non200, report.load.mismatches, report.load.writes.failed], [0, 0, 0, 0]);
  assert.ok(report.load.writes.acknowledged > 0);
  assert.equal(report.load.writes.eventsFound, report.load.writes.acknowledged);
  assert.ok(report.forwarding.native.eventsPerSec > 0 && report.forwarding.ocsf.eventsPerSec > 0 && report.forwarding.plain.eventsPerSec > 0);
});

// `node --import tsx bench/run-bounded-reads.ts`: only (g) proofs and (h) the filtered first page,
// over one sealed org-day of BENCH_EVENTS events (default 1,000,000), without the rest of the bench;
// prints the rows and targets and one JSON line, and exits 1 when a target is missed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readBenchSettings } from './bench-settings.ts';
import { boundedReadFiguresOf, boundedReadRows, boundedReadTargetsOf } from './bounded-reads-report.ts';
import { RARE_TYPE } from './event-mix.ts';
import { measureFilteredPage } from './filtered-page.ts';
import { TrailClient, type DayBody } from './http-client.ts';
import { measureProofs, randomEventIds } from './proofs.ts';
import { benchDay, populate } from './populate-day.ts';
import { table } from './report.ts';
import { killAllServers, startServerProcess } from './server-process.ts';
import { perSecond } from './stats.ts';

const started = performance.now();
const progress = (line: string) => {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)} s] ${line}\n`);
};
const settings = readBenchSettings();
const dataDir = mkdtempSync(join(tmpdir(), 'sectrail-bench-'));

async function main(): Promise<boolean> {
  const day = benchDay();
  const body: DayBody = { year: day.year, month: day.month, day: day.day };
  progress(`data in ${dataDir}; appending ${String(settings.bigDayEvents)} events`);
  const data = await populate(dataDir, day, { big: settings.bigDayEvents, small: 1, perTransaction: settings.eventsPerTransaction }, progress);
  const server = await startServerProcess(dataDir);
  const client = new TrailClient(server.port, data.big.slug, data.big.token);
  try {
    progress('waiting for the server to seal the day');
    const sealing = performance.now();
    await client.waitUntilSealed(body);
    const sealedSeconds = (performance.now() - sealing) / 1000;
    progress(`sealed in about ${sealedSeconds.toFixed(1)} s`);
    const org = { slug: data.big.slug, readToken: data.big.token, adminToken: data.big.adminToken };
    const ids = randomEventIds(join(dataDir, 'sectrail.db'), data.big.id, day.epochDay, Math.max(settings.proofs.proofs, 1000));
    progress(`(g) ${String(settings.proofs.proofs)} proofs, then /healthz alone and under ${String(settings.proofs.callers)} proof callers`);
    const proofs = await measureProofs(server.port, org, body, ids, settings.proofs);
    progress(`(h) the first page filtered to ${RARE_TYPE} against the unfiltered first page`);
    const filtered = await measureFilteredPage(client, body, settings.pageSize, RARE_TYPE, settings.filteredPageRuns);
    const m = { proofs, filtered };
    const targets = boundedReadTargetsOf(m);
    const figures = boundedReadFiguresOf(m);
    const pass = targets.every((target) => target.pass);
    const out = (text: string) => process.stdout.write(`${text}\n`);
    const appendRate = Math.round(perSecond(data.big.events, data.bigAppendMs)).toLocaleString('en-US');
    out(`\nsectrail bench, bounded reads: one sealed org-day of ${settings.bigDayEvents.toLocaleString('en-US')} events, ${process.version}`);
    out(`appended at ${appendRate} events/s; sealed by the server within ${sealedSeconds.toFixed(1)} s of its start\n`);
    out(table([['measurement', 'median', '', 'detail'], ...boundedReadRows(figures)]));
    out('');
    out(table([['target', 'measured', 'rule', 'verdict'], ...targets.map((t) => [t.name, String(t.measured), t.rule, t.pass ? 'PASS' : 'FAIL'])]));
    out(`\n${pass ? 'ALL TARGETS PASS' : 'SOME TARGET FAILS'} (${((performance.now() - started) / 1000).toFixed(1)} s in all)`);
    out(JSON.stringify({ benchmark: 'sectrail bounded reads', events: settings.bigDayEvents, appendEventsPerSec: perSecond(data.big.events, data.bigAppendMs), sealedWithinSeconds: sealedSeconds, ...figures, targets, pass }));
    return pass;
  } finally {
    client.close();
    await server.stop();
  }
}

try {
  process.exitCode = (await main()) ? 0 : 1;
} catch (error) {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
} finally {
  killAllServers();
  rmSync(dataDir, { recursive: true, force: true });
}

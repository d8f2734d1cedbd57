// (e) Forwarding: the day pulled through the API and written to a `file:` sink by the forwarder's
// own code (as `sectrail pull --page-size 10000` runs it), in native and in OCSF, against a plain
// fetch of the same pages (each requested, its JSON parsed, nothing kept), in the same run.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Checkpoints } from '../src/forwarder/checkpoints.ts';
import type { Format } from '../src/forwarder/formats/formatter.ts';
import { lineFormatterFor } from '../src/forwarder/line-formatter.ts';
import { pullDays } from '../src/forwarder/pull.ts';
import type { PullPlan } from '../src/forwarder/pull-plan.ts';
import { FileSink } from '../src/forwarder/sinks/file-sink.ts';
import { TrailApi } from '../src/forwarder/trail-api.ts';
import { median, perSecond, timed } from './stats.ts';

export const FORWARD_PAGE_SIZE = 10_000;

export interface RateResult {
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  readonly eventsPerSecond: number;
}

export interface ForwardingResult {
  readonly pageSize: number;
  readonly plain: RateResult;
  readonly native: RateResult & { readonly fileBytes: number };
  readonly ocsf: RateResult & { readonly fileBytes: number };
}

function rateOf(events: number, runsMs: readonly number[]): RateResult {
  const medianMs = median(runsMs);
  return { runsMs, medianMs, eventsPerSecond: perSecond(events, medianMs) };
}

/** The simplest client: each page requested and its JSON parsed, as any script walking the day does. */
async function plainFetch(port: number, token: string, date: string): Promise<number> {
  const [year, month, day] = date.split('-').map(Number);
  let events = 0;
  let pageToken: string | null = null;
  do {
    const body = pageToken === null ? { year, month, day, pageSize: FORWARD_PAGE_SIZE } : { year, month, day, pageToken };
    const response = await fetch(`http://127.0.0.1:${String(port)}/api/audit-log/security-trail/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const page = (await response.json()) as { result: unknown[]; nextPageToken: string | null };
    events += page.result.length;
    pageToken = page.nextPageToken;
  } while (pageToken !== null);
  return events;
}

/** Runs the forwarder into a file; returns the file's path. */
async function forward(api: TrailApi, date: string, format: Format, dir: string): Promise<string> {
  const template = join(dir, `{date}.${format}.ndjson`);
  const plan: PullPlan = {
    baseUrl: '',
    token: '',
    selection: { kind: 'dates', dates: [date] },
    sinks: [{ spec: `file:${template}`, sink: { kind: 'file', pathTemplate: template } }],
    format,
    statePath: join(dir, `${format}.state.json`),
    verify: false,
    pageSize: FORWARD_PAGE_SIZE,
    intervalMs: 5000,
  };
  const sink = new FileSink(template);
  const lines = lineFormatterFor(format, 'bench');
  try {
    await pullDays(plan, {
      api,
      format: lines,
      sinks: [{ key: 'bench', sink }],
      checkpoints: Checkpoints.load(plan.statePath, 'bench'),
      report: () => undefined,
      progress: () => undefined,
    });
  } finally {
    await lines.close();
    await sink.close();
  }
  return template.replace('{date}', date);
}

/** The file's size and number of lines, checked after the clock stopped. */
function fileFigures(file: string): { events: number; bytes: number } {
  // In chunks: a day in OCSF is larger than the longest string V8 makes.
  const fd = openSync(file, 'r');
  const chunk = Buffer.alloc(16 * 1024 * 1024);
  let events = 0;
  try {
    for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) {
      for (let at = chunk.indexOf(10); at >= 0 && at < read; at = chunk.indexOf(10, at + 1)) events += 1;
    }
  } finally {
    closeSync(fd);
  }
  return { events, bytes: statSync(file).size };
}

export async function measureForwarding(port: number, token: string, date: string, events: number, runs: number, workDir: string): Promise<ForwardingResult> {
  const api = new TrailApi(`http://127.0.0.1:${String(port)}`, token);
  const plainMs: number[] = [];
  const formatMs: Record<'native' | 'ocsf', number[]> = { native: [], ocsf: [] };
  const bytes: Record<'native' | 'ocsf', number> = { native: 0, ocsf: 0 };
  for (let run = 0; run < runs; run += 1) {
    const plain = await timed(() => plainFetch(port, token, date));
    if (plain.value !== events) throw new Error(`the plain fetch read ${String(plain.value)} events, not ${String(events)}`);
    plainMs.push(plain.ms);
    for (const format of ['native', 'ocsf'] as const) {
      const dir = mkdtempSync(join(workDir, `forward-${format}-`));
      try {
        const { ms, value: file } = await timed(() => forward(api, date, format, dir));
        const value = fileFigures(file);
        if (value.events !== events) throw new Error(`${format}: the file holds ${String(value.events)} events, not ${String(events)}`);
        formatMs[format].push(ms);
        bytes[format] = value.bytes;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  return {
    pageSize: FORWARD_PAGE_SIZE,
    plain: rateOf(events, plainMs),
    native: { ...rateOf(events, formatMs.native), fileBytes: bytes.native },
    ocsf: { ...rateOf(events, formatMs.ocsf), fileBytes: bytes.ocsf },
  };
}

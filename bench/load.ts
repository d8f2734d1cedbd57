// (f) Load: autocannon pages a closed day with many connections for a while, each answer checked
// byte for byte against the page as first walked (whose events together are the stored day), while
// a paced writer (a process of its own) makes platform changes at a steady rate on the same org;
// then every acknowledged change is looked for among the org's events of today.
import autocannon from 'autocannon';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { eventTexts, pageInfo } from '../src/forwarder/page-split.ts';
import type { DayReference } from './baseline-read.ts';
import { closeLoadHttp, loadHeaders, postJson, type LoadOrg } from './load-http.ts';
import type { WriterOrders, WriterReport } from './load-writer.ts';
import { median, perSecond } from './stats.ts';

export type { LoadOrg } from './load-http.ts';

const WRITER = fileURLToPath(new URL('./load-writer.ts', import.meta.url));

const TRAIL_PATH = '/api/audit-log/security-trail/';

export interface LoadSettings {
  readonly seconds: number;
  readonly connections: number;
  readonly writesPerSecond: number;
  readonly pageSize: number;
}

export interface LoadResult {
  readonly settings: LoadSettings;
  readonly pages: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMaxMs: number;
  /** Connection errors and timeouts, answers other than 200, and answers unlike the page they asked for. */
  readonly errors: number;
  readonly timeouts: number;
  readonly non200: number;
  readonly mismatches: number;
  readonly writes: { readonly acknowledged: number; readonly failed: number; readonly perSecond: number; readonly p50Ms: number; readonly p99Ms: number; readonly eventsFound: number };
}

interface ExpectedPage {
  readonly body: string;
  readonly sha256: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The day walked once, page by page: each page's request and answer, checked to add up to the stored day. */
async function walkPages(port: number, org: LoadOrg, day: { year: number; month: number; day: number }, pageSize: number, reference: DayReference): Promise<ExpectedPage[]> {
  const pages: ExpectedPage[] = [];
  const events: string[] = [];
  let pageToken: string | null = null;
  do {
    const request: string = JSON.stringify(pageToken === null ? { ...day, pageSize } : { ...day, pageToken });
    const answer = await postJson(port, org, org.readToken, TRAIL_PATH, JSON.parse(request));
    if (answer.status !== 200) throw new Error(`the walk's page ${String(pages.length + 1)} answered ${String(answer.status)}`);
    const info = pageInfo(answer.text);
    events.push(...eventTexts(answer.text, info));
    pages.push({ body: request, sha256: sha256(answer.text) });
    pageToken = info.nextPageToken;
  } while (pageToken !== null);
  const whole = `{"result":[${events.join(',')}],"nextPageToken":null,"complete":true}`;
  if (events.length !== reference.events || sha256(whole) !== reference.sha256) {
    throw new Error(`the pages hold ${String(events.length)} events that are not the stored day (${String(reference.events)} events)`);
  }
  return pages;
}

/** Runs the writer (load-writer.ts) in a process of its own and returns its report. */
function runWriter(orders: WriterOrders): Promise<WriterReport> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', WRITER, JSON.stringify(orders)], { maxBuffer: 64 * 1024 * 1024, timeout: (orders.seconds + 120) * 1000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`the load writer failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as WriterReport);
    });
  });
}

/** The names of the groups whose creation the org's events of these UTC days record. */
async function groupsCreatedOn(port: number, org: LoadOrg, days: readonly Date[]): Promise<Set<string>> {
  const names = new Set<string>();
  for (const date of days) {
    const today = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
    let pageToken: string | null = null;
    do {
      const answer = await postJson(port, org, org.readToken, TRAIL_PATH, pageToken === null ? { ...today, pageSize: 10_000, eventTypes: ['group.created'] } : { ...today, pageToken });
      if (answer.status !== 200) throw new Error(`the writes' day answered ${String(answer.status)}: ${answer.text.slice(0, 200)}`);
      const page = JSON.parse(answer.text) as { result: { details: { group: { name: string } } }[]; nextPageToken: string | null };
      for (const event of page.result) names.add(event.details.group.name);
      pageToken = page.nextPageToken;
    } while (pageToken !== null);
  }
  return names;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export async function measureLoad(
  port: number,
  org: LoadOrg,
  day: { year: number; month: number; day: number },
  reference: DayReference,
  settings: LoadSettings,
): Promise<LoadResult> {
  const pages = await walkPages(port, org, day, settings.pageSize, reference);
  let mismatches = 0;
  let non200 = 0;
  const requests = pages.map((page) => ({
    method: 'POST' as const,
    path: TRAIL_PATH,
    body: page.body,
    onResponse: (status: number, body: string) => {
      if (status !== 200) non200 += 1;
      else if (sha256(body) !== page.sha256) mismatches += 1;
    },
  }));
  const runId = Date.now().toString(36);
  const startedAt = new Date();
  const [result, writes] = await Promise.all([
    autocannon({
      url: `http://127.0.0.1:${String(port)}`,
      connections: settings.connections,
      duration: settings.seconds,
      headers: loadHeaders(org, org.readToken),
      requests,
    }),
    runWriter({ port, org, perSecond: settings.writesPerSecond, seconds: settings.seconds, runId }),
  ]);
  // The writes land on the server's today, or on two days when the run crosses midnight.
  const endedAt = new Date();
  const days = startedAt.toISOString().slice(0, 10) === endedAt.toISOString().slice(0, 10) ? [startedAt] : [startedAt, endedAt];
  const recorded = await groupsCreatedOn(port, org, days);
  closeLoadHttp();
  const eventsFound = writes.acknowledged.filter((name) => recorded.has(name)).length;
  return {
    settings,
    pages: pages.length,
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non200: Math.max(non200, result.non2xx),
    mismatches,
    writes: {
      acknowledged: writes.acknowledged.length,
      failed: writes.failed,
      perSecond: perSecond(writes.acknowledged.length + writes.failed, settings.seconds * 1000),
      p50Ms: median(writes.latenciesMs.length > 0 ? writes.latenciesMs : [0]),
      p99Ms: percentile(writes.latenciesMs, 99),
      eventsFound,
    },
  };
}

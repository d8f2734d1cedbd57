// (f) Load: autocannon pages a closed day with many connections for a while, each answer checked
// byte for byte against the page as first walked (whose events together are the stored day), while
// a paced writer makes platform changes at a steady rate on the same org; then every acknowledged
// change is looked for among the org's events of today.
import autocannon from 'autocannon';
import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import { eventTexts, pageInfo } from '../src/forwarder/page-split.ts';
import type { DayReference } from './baseline-read.ts';
import { median, perSecond, timed } from './stats.ts';

const TRAIL_PATH = '/api/audit-log/security-trail/';

export interface LoadSettings {
  readonly seconds: number;
  readonly connections: number;
  readonly writesPerSecond: number;
  readonly pageSize: number;
}

export interface LoadOrg {
  readonly slug: string;
  readonly readToken: string;
  readonly adminToken: string;
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

function headers(org: LoadOrg, token: string): Record<string, string> {
  return { host: `${org.slug}.localhost`, 'content-type': 'application/json', authorization: `Token token=${token}` };
}

/**
 * The writer's connections: kept alive and bounded, as a real client's pool is. (A connection per
 * write would open hundreds at once whenever the server is slow for a moment, overflow its listen
 * backlog, and measure the kernel's SYN retries instead of the server.)
 */
const writerAgent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(port: number, org: LoadOrg, token: string, path: string, body: unknown, agent: Agent = writerAgent): Promise<{ status: number; text: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...headers(org, token), 'content-length': Buffer.byteLength(payload) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

/** The day walked once, page by page: each page's request and answer, checked to add up to the stored day. */
async function walkPages(port: number, org: LoadOrg, day: { year: number; month: number; day: number }, pageSize: number, reference: DayReference): Promise<ExpectedPage[]> {
  const pages: ExpectedPage[] = [];
  const events: string[] = [];
  let pageToken: string | null = null;
  do {
    const request: string = JSON.stringify(pageToken === null ? { ...day, pageSize } : { ...day, pageToken });
    const answer = await post(port, org, org.readToken, TRAIL_PATH, JSON.parse(request));
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

interface WriterFigures {
  acknowledged: number;
  failed: number;
  readonly latenciesMs: number[];
  readonly groupNames: Set<string>;
}

/** Creates groups at a steady pace until `stopAt`; returns its figures. */
async function paceWrites(port: number, org: LoadOrg, perSecond: number, stopAt: number, runId: string): Promise<WriterFigures> {
  const figures: WriterFigures = { acknowledged: 0, failed: 0, latenciesMs: [], groupNames: new Set() };
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  for (let n = 0; performance.now() < stopAt; n += 1) {
    const due = start + (n * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const name = `load-${runId}-${String(n)}`;
    const write = timed(() => post(port, org, org.adminToken, '/api/groups', { name })).then(({ ms, value }) => {
      figures.latenciesMs.push(ms);
      if (value.status === 201) {
        figures.acknowledged += 1;
        figures.groupNames.add(name);
      } else figures.failed += 1;
    }, () => {
      figures.failed += 1;
    });
    const tracked = write.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
  writerAgent.destroy();
  return figures;
}

/** The names of the groups whose creation the org's events of these UTC days record. */
async function groupsCreatedOn(port: number, org: LoadOrg, days: readonly Date[]): Promise<Set<string>> {
  const names = new Set<string>();
  for (const date of days) {
    const today = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
    let pageToken: string | null = null;
    do {
      const answer = await post(port, org, org.readToken, TRAIL_PATH, pageToken === null ? { ...today, pageSize: 10_000, eventTypes: ['group.created'] } : { ...today, pageToken });
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
  const stopAt = performance.now() + settings.seconds * 1000;
  const [result, writes] = await Promise.all([
    autocannon({
      url: `http://127.0.0.1:${String(port)}`,
      connections: settings.connections,
      duration: settings.seconds,
      headers: headers(org, org.readToken),
      requests,
    }),
    paceWrites(port, org, settings.writesPerSecond, stopAt, runId),
  ]);
  // The writes land on the server's today, or on two days when the run crosses midnight.
  const endedAt = new Date();
  const days = startedAt.toISOString().slice(0, 10) === endedAt.toISOString().slice(0, 10) ? [startedAt] : [startedAt, endedAt];
  const recorded = await groupsCreatedOn(port, org, days);
  const eventsFound = [...writes.groupNames].filter((name) => recorded.has(name)).length;
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
      acknowledged: writes.acknowledged,
      failed: writes.failed,
      perSecond: perSecond(writes.acknowledged + writes.failed, settings.seconds * 1000),
      p50Ms: median(writes.latenciesMs.length > 0 ? writes.latenciesMs : [0]),
      p99Ms: percentile(writes.latenciesMs, 99),
      eventsFound,
    },
  };
}

// The server's trail over HTTP, as the forwarder reads it: the server's own date, a day page by
// page, digests, keys, and the tail. Network failures, 429 and 5xx are retried with exponential
// backoff and jitter (Retry-After honoured); any other refusal ends the pull with its message.
// Requests go through undici with our own name resolution, so `http://demo.localhost:8080` reaches
// this machine's loopback with its Host header intact, as curl does.
import { Agent, fetch, type Response } from 'undici';
import { localhostLookup } from './localhost-lookup.ts';
import { pageInfo, type PageInfo } from './page-split.ts';
import { backoffMs, sleep, type RetryPolicy } from './retry.ts';

export class TrailApiError extends Error {
  override readonly name = 'TrailApiError';
}

export interface DayPage {
  /** The answer exactly as served: its events, in seq order, are cut from it where they are formatted. */
  readonly text: string;
  readonly info: PageInfo;
}

function dayBody(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

export class TrailApi {
  private readonly dispatcher = new Agent({ connect: { lookup: localhostLookup } });

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly retry: RetryPolicy = { attempts: 6, baseDelayMs: 500 },
  ) {}

  /** Closes the connections kept open between requests. */
  close(): Promise<void> {
    return this.dispatcher.close();
  }

  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    let lastProblem = '';
    for (let attempt = 1; attempt <= this.retry.attempts; attempt += 1) {
      let response: Response;
      try {
        response = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(120_000),
          dispatcher: this.dispatcher,
        });
      } catch (error) {
        lastProblem = `${this.baseUrl} could not be reached (${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message})`;
        if (attempt < this.retry.attempts) await sleep(backoffMs(this.retry, attempt, null));
        continue;
      }
      if (response.status !== 429 && response.status < 500) return response;
      lastProblem = `${method} ${path} answered ${String(response.status)}`;
      await response.body?.cancel();
      if (attempt < this.retry.attempts) await sleep(backoffMs(this.retry, attempt, response.headers.get('retry-after')));
    }
    throw new TrailApiError(`${lastProblem}; gave up after ${String(this.retry.attempts)} attempts`);
  }

  private async json(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const response = await this.request(method, path, body);
    const text = await response.text();
    if (response.status !== 200) throw new TrailApiError(`${method} ${path} answered ${String(response.status)}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as unknown;
  }

  /** The id of the org the token belongs to: the forwarder keeps its checkpoints per org. */
  async orgId(): Promise<string> {
    const me = (await this.json('GET', '/api/me')) as { org?: { id?: unknown } };
    const id = me.org?.id;
    if (typeof id !== 'string') throw new TrailApiError('GET /api/me did not name the token\u2019s org');
    return id;
  }

  /** The server's UTC date (from its Date header): the forwarder does not trust its own clock for "yesterday". */
  async serverToday(): Promise<string> {
    const response = await this.request('GET', '/healthz');
    await response.body?.cancel();
    const date = response.headers.get('date');
    const ms = date === null ? Number.NaN : Date.parse(date);
    if (Number.isNaN(ms)) throw new TrailApiError('the server sent no Date header to tell today from');
    return new Date(ms).toISOString().slice(0, 10);
  }

  /** Every page of the day, in seq order, following nextPageToken to the end. */
  async *dayPages(date: string, pageSize: number): AsyncGenerator<DayPage> {
    let pageToken: string | null = null;
    do {
      const body: Record<string, unknown> = pageToken === null ? { ...dayBody(date), pageSize } : { ...dayBody(date), pageToken };
      const response = await this.request('POST', '/api/audit-log/security-trail/', body);
      const text = await response.text();
      if (response.status !== 200) throw new TrailApiError(`POST /api/audit-log/security-trail/ answered ${String(response.status)}: ${text.slice(0, 300)}`);
      const info = pageInfo(text);
      yield { text, info };
      pageToken = info.nextPageToken;
    } while (pageToken !== null);
  }

  /** The day's signed digest, or null while the day is not sealed. */
  async digest(date: string): Promise<unknown> {
    const response = await this.request('POST', '/api/audit-log/security-trail/digest', dayBody(date));
    const text = await response.text();
    if (response.status === 404) return null;
    if (response.status !== 200) throw new TrailApiError(`the digest of ${date} answered ${String(response.status)}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as unknown;
  }

  keys(): Promise<unknown> {
    return this.json('GET', '/api/audit-log/keys');
  }

  async tail(after: string | null, pageSize: number): Promise<{ events: Record<string, unknown>[]; cursor: string }> {
    const answer = (await this.json('POST', '/api/audit-log/security-trail/tail', after === null ? { pageSize } : { after, pageSize })) as {
      result: Record<string, unknown>[];
      cursor: string;
    };
    return { events: answer.result, cursor: answer.cursor };
  }
}

// Tail followers of a conformance run: each starts /tail without a cursor (the beginning of the
// current UTC day, which holds the whole log) and follows its cursor across midnight, idling when
// it has caught up, until a read begun after the writes stopped finds nothing more.
import assert from 'node:assert/strict';
import { DEFAULT_TAIL_PAGE_SIZE } from '../../src/platform/security-log.ts';
import { TAIL_URL, type Envelope, type TailPage } from '../support/http-helpers.ts';
import type { ConformanceClient, Credential } from './conformance-client.ts';
import type { ReaderStats } from './page-walker.ts';
import { pause, type RunPhase } from './run-phase.ts';

const IDLE_MS = 25;

export class TailFollower {
  readonly events: Envelope[] = [];
  readonly stats: ReaderStats = { requests: 0, whileWriting: 0 };
  private cursor: string | null = null;

  constructor(
    readonly who: string,
    private readonly client: ConformanceClient,
    private readonly credential: Credential,
    private readonly phase: RunPhase,
    /** Sent with each read; undefined leaves the server's default. */
    readonly pageSize: number | undefined,
  ) {}

  /** One read from the cursor (the first without one); returns whether it filled its page. */
  private async read(): Promise<boolean> {
    this.phase.checkTime(this.who);
    const body = { ...(this.cursor === null ? {} : { after: this.cursor }), ...(this.pageSize === undefined ? {} : { pageSize: this.pageSize }) };
    this.stats.requests += 1;
    if (!this.phase.writesStopped) this.stats.whileWriting += 1;
    const answer = await this.client.post(TAIL_URL, body, this.credential, this.cursor === null ? 'read-start' : 'read');
    assert.equal(answer.status, 200, `${this.who}: ${answer.text}`);
    const page = JSON.parse(answer.text) as TailPage;
    const size = this.pageSize ?? DEFAULT_TAIL_PAGE_SIZE;
    assert.ok(page.result.length <= size, `${this.who}: ${String(page.result.length)} events, over the page size ${String(size)}`);
    this.events.push(...page.result);
    this.cursor = page.cursor;
    return page.result.length === size;
  }

  /** Reads until a page comes back short: everything committed before that read began. */
  async readToEnd(): Promise<void> {
    while (await this.read());
  }

  async run(): Promise<void> {
    await this.read();
    for (;;) {
      const writesStopped = this.phase.writesStopped;
      if (await this.read()) continue;
      if (writesStopped) break;
      await pause(IDLE_MS);
    }
    await this.phase.arrive();
    await this.readToEnd();
  }
}

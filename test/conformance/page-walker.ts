// Page walkers of a conformance run: each walks the current UTC day page by page with a small page
// size while writes go on, as a SIEM polling a day does. At the last page (no nextPageToken) it
// reads that page's token again later, which must return the same events first and then the newer
// ones. It keeps at the first day, and a page of the next one between visits, until the first day
// is complete (sealed) or, unless told to wait for that, an event of the next day was seen before
// its last visit began (every event of the first day has a lower seq, so was committed by then);
// then it walks the next day until a walk begun after the writes stopped ends.
import assert from 'node:assert/strict';
import type { CalendarDay } from '../../src/core/day-window.ts';
import { TRAIL_URL, type DayPage, type Envelope } from '../support/http-helpers.ts';
import type { ConformanceClient, Credential } from './conformance-client.ts';
import { pause, type RunPhase } from './run-phase.ts';

const IDLE_MS = 25;

export interface ReaderStats {
  requests: number;
  /** Requests sent before the last writer's last answer. */
  whileWriting: number;
}

interface WalkContext {
  readonly who: string;
  readonly client: ConformanceClient;
  readonly credential: Credential;
  readonly phase: RunPhase;
  readonly stats: ReaderStats;
}

type Step = { readonly end: boolean; readonly complete: boolean } | 'not started';

/** One day's walk: the events seen so far and where to read on. */
class DayWalk {
  readonly events: Envelope[] = [];
  /** The page token to read on from; null: the day's first page (a new walk, logged). */
  private resume: string | null = null;
  /** What the last read of `resume` returned: reading it again returns these first. */
  private overlap: readonly Envelope[] = [];

  constructor(
    private readonly context: WalkContext,
    readonly date: CalendarDay,
    private readonly pageSize: number,
  ) {}

  async step(): Promise<Step> {
    const { who, client, credential, phase, stats } = this.context;
    phase.checkTime(who);
    const start = this.resume === null;
    const { year, month, day } = this.date;
    const body = start ? { year, month, day, pageSize: this.pageSize } : { year, month, day, pageToken: this.resume };
    stats.requests += 1;
    if (!phase.writesStopped) stats.whileWriting += 1;
    const answer = await client.post(TRAIL_URL, body, credential, start ? 'read-start' : 'read');
    if (start && this.events.length === 0 && answer.status === 400) {
      const { error } = JSON.parse(answer.text) as { error: { code: string } };
      if (error.code === 'DATE_IN_FUTURE') return 'not started';
    }
    assert.equal(answer.status, 200, `${who}: ${answer.text}`);
    const page = JSON.parse(answer.text) as DayPage;
    assert.ok(page.result.length <= this.pageSize, `${who}: a page of ${String(page.result.length)} events, over its size ${String(this.pageSize)}`);
    assert.deepEqual(
      page.result.slice(0, this.overlap.length).map((event) => event.id),
      this.overlap.map((event) => event.id),
      `${who}: a page read again returns the events it returned before, first`,
    );
    this.events.push(...page.result.slice(this.overlap.length));
    if (page.nextPageToken !== null) {
      this.resume = page.nextPageToken;
      this.overlap = [];
      return { end: false, complete: page.complete };
    }
    this.overlap = page.result;
    return { end: true, complete: page.complete };
  }

  /** Whether the walk has a page token to read on from, so that reading on logs nothing. */
  get hasPageToken(): boolean {
    return this.resume !== null;
  }

  /** Pages on until the walk reaches the end of what the day holds now. */
  async toEnd(): Promise<{ readonly complete: boolean }> {
    for (;;) {
      const step = await this.step();
      assert.notEqual(step, 'not started', `${this.context.who}: a day it walked before is in the future`);
      if (step !== 'not started' && step.end) return step;
    }
  }
}

export class PageWalker {
  readonly stats: ReaderStats = { requests: 0, whileWriting: 0 };
  /** How the walker knew it had the whole first day. */
  firstDayEnd: 'complete' | 'next day seen' | null = null;
  readonly first: DayWalk;
  readonly second: DayWalk;

  constructor(
    readonly who: string,
    client: ConformanceClient,
    credential: Credential,
    private readonly phase: RunPhase,
    days: readonly [CalendarDay, CalendarDay],
    readonly pageSize: number,
    /** Keeps at the first day until the server says it is complete, whatever the next day holds. */
    private readonly untilComplete: boolean,
  ) {
    const context = { who, client, credential, phase, stats: this.stats };
    this.first = new DayWalk(context, days[0], pageSize);
    this.second = new DayWalk(context, days[1], pageSize);
  }

  async run(): Promise<void> {
    // Both days, a page of the next one after each visit to the end of the first.
    for (;;) {
      const nextDaySeen = this.second.events.length > 0;
      const { complete } = await this.first.toEnd();
      if (complete || (nextDaySeen && !this.untilComplete)) {
        this.firstDayEnd = complete ? 'complete' : 'next day seen';
        break;
      }
      const step = await this.second.step();
      if (step === 'not started' || step.end) await pause(IDLE_MS);
    }
    for (;;) {
      const writesStopped = this.phase.writesStopped;
      await this.second.toEnd();
      if (writesStopped) break;
      await pause(IDLE_MS);
    }
    await this.phase.arrive();
    assert.ok(this.second.hasPageToken, `${this.who}: the second day fits one page, so reading it again would start a new, logged walk`);
    await this.second.toEnd();
  }
}

// Sealed days checked with the project's own verifier (src/core/integrity/verify-day.ts): each
// day's events as the server serves them must rebuild its signed digest, chained to the day
// before; a day once sealed must keep the same digest after every later crash.
import { verifyDay } from '../../src/core/integrity/verify-day.ts';
import { dayBody } from './crash-clock.ts';
import type { Answer, LifeConnection } from './crash-http.ts';
import { dateOf, type TrailEvent } from './trail-event.ts';

interface DigestJson {
  readonly date: string;
  readonly treeSize: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
}

interface DayAnswer {
  readonly result: TrailEvent[];
  readonly complete: boolean;
}

export class SealedDays {
  /** Date → the digest's JSON text as first seen. */
  private readonly digests = new Map<string, string>();

  constructor(
    readonly orgSlug: string,
    private readonly token: string,
  ) {}

  get count(): number {
    return this.digests.size;
  }

  private async digestOf(http: LifeConnection, date: string): Promise<string | null> {
    const answer: Answer = await http.call('POST', '/api/audit-log/security-trail/digest', { token: this.token, body: dayBody(date) });
    if (answer.kind === 'answered' && answer.status === 404) return null;
    if (answer.kind === 'dropped' || answer.status !== 200) throw new Error(`digest of ${date}: ${JSON.stringify(answer)}`);
    return JSON.stringify(answer.body);
  }

  /** Reads the day and verifies it against its digest and the one before; returns its event count. */
  private async verify(http: LifeConnection, date: string, digestText: string, previous: string | undefined, followed: readonly TrailEvent[]): Promise<number> {
    const day = await http.json<DayAnswer>('POST', '/api/audit-log/security-trail/', { token: this.token, body: dayBody(date) });
    if (!day.complete) throw new Error(`org ${this.orgSlug}, ${date}: a digest exists but the day is not complete`);
    const keys = await http.json<unknown>('GET', '/api/audit-log/keys', { token: this.token });
    const digest = JSON.parse(digestText) as DigestJson;
    try {
      verifyDay({ events: day.result, digest, keys, ...(previous === undefined ? {} : { previousDigest: JSON.parse(previous) as unknown }) });
    } catch (error) {
      throw new Error(`org ${this.orgSlug}, sealed day ${date} does not verify: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    // The served day is exactly the events followed through the tail for that date, byte for byte.
    const expected = followed.filter((event) => dateOf(event) === date);
    if (day.result.length !== expected.length) throw new Error(`org ${this.orgSlug}, ${date}: the sealed day serves ${day.result.length} events, the log followed had ${expected.length} on that date`);
    day.result.forEach((event, index) => {
      if (JSON.stringify(event) !== JSON.stringify(expected[index])) throw new Error(`org ${this.orgSlug}, ${date}: seq ${event.seq} is served otherwise than it was first read`);
    });
    return day.result.length;
  }

  /**
   * Checks every day of `dates`: days sealed before keep their digest, days
   * sealed since are verified (all of them again with `reverify`). Returns the events verified.
   */
  async check(http: LifeConnection, dates: readonly string[], catchUp: () => Promise<readonly TrailEvent[]>, reverify = false): Promise<number> {
    let verified = 0;
    let previous: string | undefined;
    let gapAt: string | null = null;
    for (const date of dates) {
      const known = this.digests.get(date);
      const now = await this.digestOf(http, date);
      if (known !== undefined && now !== known) throw new Error(`org ${this.orgSlug}, ${date}: the sealed day's digest changed after a restart`);
      if (now === null) {
        gapAt ??= date;
      } else {
        if (gapAt !== null) throw new Error(`org ${this.orgSlug}: ${date} is sealed but ${gapAt} before it is not`);
        // Caught up after the digest exists: every event of the day is committed by then.
        if (known === undefined || reverify) verified += await this.verify(http, date, now, previous, await catchUp());
        this.digests.set(date, now);
      }
      previous = now ?? undefined;
    }
    return verified;
  }

  /** The dates sealed so far. */
  sealedDates(): string[] {
    return [...this.digests.keys()];
  }
}

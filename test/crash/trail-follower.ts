// An org's log followed through the tail endpoint across restarts: each check reads only what is
// new since the last one, and every new event must carry the next seq (1, 2, 3, … over all days),
// so a lost, doubled or reordered event is a gap or a repeat here.
import type { LifeConnection } from './crash-http.ts';
import type { TrailEvent } from './trail-event.ts';

const TAIL_URL = '/api/audit-log/security-trail/tail';
const PAGE_SIZE = 10_000;

interface TailPage {
  readonly result: TrailEvent[];
  readonly cursor: string;
}

export class TrailFollower {
  readonly events: TrailEvent[] = [];
  private cursor: string | null = null;

  constructor(
    readonly orgSlug: string,
    private readonly token: string,
  ) {}

  get lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  /** Reads the events committed since the last call; returns them, or throws naming the first gap. */
  async readNew(http: LifeConnection): Promise<TrailEvent[]> {
    const fresh: TrailEvent[] = [];
    for (;;) {
      const body = this.cursor === null ? { pageSize: PAGE_SIZE } : { after: this.cursor, pageSize: PAGE_SIZE };
      const page = await http.json<TailPage>('POST', TAIL_URL, { token: this.token, body });
      for (const event of page.result) {
        const due = this.lastSeq + 1;
        if (event.seq !== due) throw new Error(`org ${this.orgSlug}: seq ${event.seq} (${event.type}) where seq ${due} was due`);
        this.events.push(event);
        fresh.push(event);
      }
      this.cursor = page.cursor;
      if (page.result.length < PAGE_SIZE) return fresh;
    }
  }
}

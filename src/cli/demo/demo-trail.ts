// The SIEM's side of the day: it opens the live log before anything happens, follows it, pulls the
// whole day as the vendor guide does, and the events this run caused are told apart by the
// request ids the demo's own requests were answered with.
import type { DemoAgent } from './demo-client.ts';
import type { DemoWorld } from './demo-world.ts';

export interface TrailEvent {
  readonly id: string;
  readonly seq: number;
  readonly timestamp: string;
  readonly type: string;
  readonly requestId: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface LiveLog {
  readonly cursor: string;
  /** What the log held when it was opened, the run's first requests included. */
  readonly events: readonly TrailEvent[];
}

const TAIL_PAGE_SIZE = 1000;
const TAIL = '/api/audit-log/security-trail/tail';

const newEvents = (count: number) => `${count} new event${count === 1 ? '' : 's'}`;

function eventsOf(body: unknown): TrailEvent[] {
  const result = typeof body === 'object' && body !== null ? (body as { result?: unknown }).result : undefined;
  if (!Array.isArray(result)) throw new Error(`the answer has no result array: ${JSON.stringify(body)?.slice(0, 300) ?? ''}`);
  return result as TrailEvent[];
}

/** Follows the tail from a cursor (or from the start of today) until it has caught up. */
async function follow(siem: DemoAgent, after: string | null): Promise<LiveLog> {
  const events: TrailEvent[] = [];
  let cursor = after;
  for (;;) {
    const body = cursor === null ? { pageSize: TAIL_PAGE_SIZE } : { after: cursor, pageSize: TAIL_PAGE_SIZE };
    const answer = await siem.call('POST', TAIL, body, 200);
    const page = eventsOf(answer.body);
    events.push(...page);
    cursor = (answer.body as { cursor: string }).cursor;
    if (page.length < TAIL_PAGE_SIZE) return { cursor, events };
  }
}

export async function openLiveLog(world: DemoWorld, siem: DemoAgent): Promise<LiveLog> {
  return world.run.step('the SIEM opens the live log', () => follow(siem, null), (live) => `${live.events.length} events so far today`);
}

function ofThisRun(world: DemoWorld, events: readonly TrailEvent[]): TrailEvent[] {
  const ours = new Set(world.client.requestIds);
  const byId = new Map(events.filter((event) => event.requestId !== null && ours.has(event.requestId)).map((event) => [event.id, event]));
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** The day (or days, across a midnight) the run's events fell on, pulled whole; answers the run's events. */
export async function pullTheDay(world: DemoWorld, siem: DemoAgent, live: LiveLog): Promise<TrailEvent[]> {
  const caughtUp = await world.run.step('the SIEM follows the live log', () => follow(siem, live.cursor), (log) => newEvents(log.events.length));
  const run = ofThisRun(world, [...live.events, ...caughtUp.events]);
  const dates = [...new Set(run.map((event) => event.timestamp.slice(0, 10)))];
  for (const date of dates) {
    await world.run.step(
      `the SIEM pulls the whole day ${date}, as the vendor guide does`,
      async () => {
        const [year, month, day] = date.split('-').map(Number);
        const events = eventsOf((await siem.call('POST', '/api/audit-log/security-trail/', { year, month, day }, 200)).body);
        const found = new Set(events.map((event) => event.id));
        const lacking = run.filter((event) => event.timestamp.startsWith(date) && !found.has(event.id));
        if (lacking.length > 0) throw new Error(`the day lacks ${lacking.length} events the live log showed, such as ${lacking[0]?.type ?? ''} ${lacking[0]?.id ?? ''}`);
        return events.length;
      },
      (count) => `${count} events`,
    );
  }
  // The pull itself is logged after its answer: the live log shows it.
  const rest = await world.run.step('the SIEM picks up the rest of the live log', () => follow(siem, caughtUp.cursor), (log) => newEvents(log.events.length));
  return ofThisRun(world, [...run, ...rest.events]);
}

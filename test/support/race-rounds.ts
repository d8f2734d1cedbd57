// Rounds of competing requests, on one server and then on two: each round prepares its state, fires
// its requests together and notes every invariant it finds broken, so that a run reports how often
// each one broke instead of stopping at the first.
import type { Cluster } from './concurrency-cluster.ts';
import { errorCode } from './concurrency-cluster.ts';
import type { RawAnswer } from './held-requests.ts';
import type { Envelope } from './http-helpers.ts';

export type Topology = 'one server' | 'two servers';
const TOPOLOGIES: readonly Topology[] = ['one server', 'two servers'];

export interface Round {
  readonly topology: Topology;
  readonly index: number;
  /** Where the i-th competing request goes: server A on one server; A and B in turn on two. */
  port(i: number): number;
  /** An X-Request-Id no other request of the run uses. */
  requestId(i: number | string): string;
  /** Notes a broken invariant. */
  broke(what: string): void;
}

export interface RoundsReport {
  /** Every broken invariant, prefixed with its topology and round. */
  readonly broken: readonly string[];
  readonly summary: string;
}

let runs = 0;

/** Runs `rounds` rounds on one server, then as many on two, and says how many broke something. */
export async function runRounds(
  cluster: Cluster,
  name: string,
  rounds: number,
  body: (round: Round) => Promise<void>,
): Promise<RoundsReport> {
  const run = (runs += 1);
  const broken: string[] = [];
  const counts: string[] = [];
  for (const topology of TOPOLOGIES) {
    let brokenRounds = 0;
    for (let index = 0; index < rounds; index += 1) {
      const found: string[] = [];
      const tag = `${topology === 'one server' ? '1' : '2'}s-r${index}`;
      await body({
        topology,
        index,
        port: (i) => (topology === 'one server' ? cluster.ports[0] : cluster.ports[i % 2]!),
        requestId: (i) => `race${run}-${tag}-${i}`,
        broke: (what) => found.push(what),
      });
      if (found.length > 0) brokenRounds += 1;
      broken.push(...found.map((what) => `${topology}, round ${index}: ${what}`));
    }
    counts.push(`${topology}: ${brokenRounds} of ${rounds}`);
  }
  return { broken, summary: `${name}: rounds that broke an invariant, ${counts.join('; ')}${kindsOf(broken)}` };
}

/** How often each kind of break was seen, request ids and numbers aside. */
function kindsOf(broken: readonly string[]): string {
  const kinds = new Map<string, number>();
  for (const line of broken) {
    const kind = line.replace(/^[^:]*: /, '').replace(/race\d+-[0-9a-z-]+/g, '<request>').replace(/\d+/g, 'n');
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [...kinds].map(([kind, count]) => `\n  ${count} × ${kind}`).join('');
}

/** Delays from 0 to `spanMs` across the rounds, so that requests whose slow parts differ overlap in some. */
export function sweep(round: Round, rounds: number, spanMs: number): number {
  return Math.round((spanMs * round.index) / Math.max(1, rounds - 1));
}

export type Outcome = 'done' | 'refused' | 'other';

/** `done` for the expected success status, `refused` for 409 CONFLICT; anything else breaks the round. */
export function outcomeOf(round: Round, label: string, answer: RawAnswer, success: number): Outcome {
  if (answer.status === success) return 'done';
  if (answer.status === 409 && errorCode(answer) === 'CONFLICT') return 'refused';
  round.broke(`${label} answered ${answer.status} ${errorCode(answer) ?? answer.body.slice(0, 120)}`);
  return 'other';
}

/** The events of one request and type. */
export function eventsOf(events: readonly Envelope[], requestId: string, type: string): Envelope[] {
  return events.filter((event) => event.requestId === requestId && event.type === type);
}

/** The request wrote exactly `expected` events of the type (one for a change, none for a refusal). */
export function expectEvents(round: Round, events: readonly Envelope[], requestId: string, type: string, expected: number): void {
  const found = eventsOf(events, requestId, type).length;
  if (found !== expected) round.broke(`${requestId} wrote ${found} ${type} events, not ${expected}`);
}

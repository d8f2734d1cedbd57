// Writers of a conformance run: each makes platform changes over HTTP one after another (a group,
// a resource, a service account, in turn) until the server's clock passes a given instant, and
// keeps each acknowledgement, whose event the log must then hold exactly once.
import type { Envelope } from '../support/http-helpers.ts';
import type { ConformanceClient, Credential } from './conformance-client.ts';
import { pause, type RunPhase } from './run-phase.ts';

export type WriteType = 'group.created' | 'resource.created' | 'service_account.created';

export interface Ack {
  readonly type: WriteType;
  /** The id of what the change made, as its answer gave it. */
  readonly objectId: string;
}

interface Change {
  readonly type: WriteType;
  readonly path: string;
  body(name: string): unknown;
}

const CHANGES: readonly Change[] = [
  { type: 'group.created', path: '/api/groups', body: (name) => ({ name }) },
  { type: 'resource.created', path: '/api/resources', body: (name) => ({ type: 'project', name }) },
  { type: 'service_account.created', path: '/api/service-accounts', body: (name) => ({ name }) },
];

/** The id of what a change event says was made. */
export function objectIdOf(event: Envelope): string | undefined {
  const key = { 'group.created': 'group', 'resource.created': 'resource', 'service_account.created': 'serviceAccount' }[event.type];
  const made = key === undefined ? undefined : event.details[key];
  return typeof made === 'object' && made !== null && 'id' in made && typeof made.id === 'string' ? made.id : undefined;
}

export interface WriterOptions {
  readonly client: ConformanceClient;
  readonly credential: Credential;
  readonly writer: number;
  /** The server instant (by its Date header) after which the writer stops. */
  readonly untilServerMs: number;
  /** The pause after each answer, which leaves readers the time to keep up. */
  readonly gapMs: number;
  readonly phase: RunPhase;
  /** Acknowledged writes by request id, shared by all writers. */
  readonly acks: Map<string, Ack>;
}

/** Writes until the server's clock passes `untilServerMs`; returns how many changes it made. */
export async function runWriter(options: WriterOptions): Promise<number> {
  const { client, credential, writer, phase, acks } = options;
  for (let made = 0; ; ) {
    phase.checkTime(`writer ${String(writer)}`);
    const change = CHANGES[(writer + made) % CHANGES.length] as Change;
    const name = `w${String(writer)}-${String(made)}`;
    const answer = await client.expect(201, change.path, change.body(name), credential, 'write');
    acks.set(answer.requestId, { type: change.type, objectId: (JSON.parse(answer.text) as { id: string }).id });
    made += 1;
    if (answer.serverMs >= options.untilServerMs) return made;
    await pause(options.gapMs);
  }
}

// What every act of the demo shares: the step printer, the HTTP client, the cast, the admin's
// browser, and the newcomers once they have joined (their user ids and their own browsers).
import type { Cast, Person } from './demo-cast.ts';
import type { DemoAgent, DemoClient } from './demo-client.ts';
import type { DemoRun } from './demo-run.ts';

export interface Joined {
  readonly id: string;
  readonly browser: DemoAgent;
}

export interface DemoWorld {
  readonly run: DemoRun;
  readonly client: DemoClient;
  readonly cast: Cast;
  readonly admin: DemoAgent;
  /** The org signed in to, as the admin's sign-in answered it. */
  org: string;
  readonly joined: Map<Person, Joined>;
}

export function joinedAs(world: DemoWorld, person: Person): Joined {
  const joined = world.joined.get(person);
  if (joined === undefined) throw new Error(`${person.name} has not joined the org yet`);
  return joined;
}

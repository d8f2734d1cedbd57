// People coming and going: the admin signs in and out, newcomers are invited and join, sign-ins
// go wrong (a typo, an unknown address, a guesser throttled), and a reader oversteps.
import { USER_AGENTS, type Person } from './demo-cast.ts';
import { stringField, UnexpectedAnswerError, type Answer, type DemoAgent } from './demo-client.ts';
import { joinedAs, type DemoWorld } from './demo-world.ts';

/** Enough guesses to pass the per-email threshold (5) even if each throttle delay lapses before the next try. */
const MAX_GUESSES = 9;
/** A typo, an unknown address and the guesser's five: what one run adds to this address's failure count. */
const FAILED_SIGN_INS_PER_RUN = 7;

const refused = (answer: Answer) => `refused (${answer.status})`;

function loginBody(email: string, password: string, org: string | null): Record<string, string> {
  return org === null ? { email, password } : { email, password, org };
}

/** A sign-in; an unexpected 429 says why it most likely came. */
async function login(agent: DemoAgent, body: Record<string, string>, expected: number | readonly number[]): Promise<Answer> {
  try {
    return await agent.call('POST', '/api/auth/login', body, expected);
  } catch (error) {
    if (!(error instanceof UnexpectedAnswerError) || error.status !== 429) throw error;
    throw new UnexpectedAnswerError(
      `${error.message}\n  Each run makes ${FAILED_SIGN_INS_PER_RUN} failed sign-ins from this address, and the server throttles an address ` +
        'after 50 within 15 minutes: run the demo again after 15 minutes without failed sign-ins from here.',
      429,
    );
  }
}

export async function adminSignsIn(world: DemoWorld, email: string, password: string, org: string | null): Promise<void> {
  await world.run.step(
    `${email} signs in with a password`,
    async () => {
      const answer = await login(world.admin, loginBody(email, password, org), 200);
      world.org = stringField(answer, 'org', 'slug');
      const role = stringField(answer, 'user', 'role');
      if (role !== 'admin') throw new Error(`${email} is a ${role} of ${world.org}, not an admin; name an admin with --email and --password.`);
    },
    () => `org ${world.org}`,
  );
}

export async function adminSignsOut(world: DemoWorld): Promise<void> {
  await world.run.step('the admin signs out at the end of the day', async () => {
    await world.admin.call('POST', '/api/auth/logout', undefined, 204);
  });
}

async function signIn(world: DemoWorld, browser: DemoAgent, person: Person): Promise<void> {
  await login(browser, loginBody(person.email, person.password, world.org), 200);
}

/** The admin invites each newcomer; each accepts with a name and a password from their own browser. */
export async function onboard(world: DemoWorld, people: readonly Person[]): Promise<void> {
  const secrets = new Map<Person, string>();
  for (const person of people) {
    await world.run.step(`the admin invites ${person.name} <${person.email}> as ${person.role}`, async () => {
      const answer = await world.admin.call('POST', '/api/invitations', { email: person.email, role: person.role }, 201);
      // The secret is the accept URL's segment after /invitations/; delivering it is the operator's mail hook.
      const segments = new URL(stringField(answer, 'acceptUrl')).pathname.split('/');
      // The secret is acceptUrl's last path segment (DESIGN §6).
      secrets.set(person, decodeURIComponent(segments[segments.length - 1] ?? ''));
    });
  }
  for (const person of people) {
    await world.run.step(`${person.name} accepts the invitation and chooses a password`, async () => {
      const browser = world.client.agent(person.userAgent, { kind: 'browser' });
      const answer = await browser.call('POST', `/api/invitations/${secrets.get(person) ?? ''}/accept`, { name: person.name, password: person.password }, 201);
      world.joined.set(person, { id: stringField(answer, 'userId'), browser });
    });
  }
}

/** A mistyped password, then the right one; and a colleague signing in with an address nobody has. */
export async function morningSignIns(world: DemoWorld): Promise<void> {
  const { maya, strayEmail, strayPassword } = world.cast;
  const { browser } = joinedAs(world, maya);
  await world.run.step(
    `${maya.name} mistypes her password`,
    () => login(browser, loginBody(maya.email, maya.password.slice(0, -1), world.org), 401),
    refused,
  );
  await world.run.step(`${maya.name} signs in`, () => signIn(world, browser, maya));
  const stranger = world.client.agent(maya.userAgent, { kind: 'browser' });
  await world.run.step(
    `someone signs in as ${strayEmail}, an address with no account`,
    () => login(stranger, loginBody(strayEmail, strayPassword, world.org), 401),
    refused,
  );
}

/** A reader signs in, tries to change a colleague's role, is refused, and signs out. */
export async function readerOversteps(world: DemoWorld): Promise<void> {
  const { liam, maya } = world.cast;
  const { browser } = joinedAs(world, liam);
  await world.run.step(`${liam.name} signs in`, () => signIn(world, browser, liam));
  await world.run.step(
    `${liam.name}, a reader, tries to make ${maya.name} a reader`,
    () => browser.call('PATCH', `/api/users/${joinedAs(world, maya).id}/role`, { role: 'reader' }, 403),
    refused,
  );
  await world.run.step(`${liam.name} signs out`, () => browser.call('POST', '/api/auth/logout', undefined, 204));
}

/** A script guesses the contractor's password until the server throttles the account (429). */
export async function guesserGetsThrottled(world: DemoWorld): Promise<void> {
  const { jordan, guesses } = world.cast;
  const guesser = world.client.agent(USER_AGENTS.guesser, { kind: 'script' });
  await world.run.step(
    `a script guesses ${jordan.name}'s password until it is throttled`,
    async () => {
      let wrong = 0;
      for (const guess of guesses.slice(0, MAX_GUESSES)) {
        const answer = await guesser.call('POST', '/api/auth/login', loginBody(jordan.email, guess, world.org), [401, 429]);
        if (answer.status === 429) return { wrong, retryAfter: String(answer.headers['retry-after']) };
        wrong += 1;
      }
      throw new Error(`${wrong} wrong passwords and still no 429`);
    },
    ({ wrong, retryAfter }) => `${wrong} refused (401), then throttled (429, Retry-After ${retryAfter} s)`,
  );
}

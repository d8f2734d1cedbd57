// The platform's 409 rules under concurrency on PostgreSQL: "never zero admins", "never zero
// sign-in methods" and "an invitation is accepted once" hold when the competing requests arrive at
// the same moment, on one server and on two sharing the database. Each round prepares the requests,
// releases them together, then checks the invariant, that every refusal is 409 CONFLICT, and that
// every success has exactly its event in the log and no refusal has one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { Member, Role } from '../src/core/platform-model.ts';
import { newId } from '../src/platform/new-id.ts';
import { call, demoHeaders, errorCode, PUBLIC_URL, startCluster, type Cluster } from './support/concurrency-cluster.ts';
import { releaseTogether, type HeldRequestSpec } from './support/held-requests.ts';
import { startOidcProvider, type OidcTestProvider } from './support/oidc-test-provider.ts';
import { NO_PG_REASON, TEST_PG_URL } from './support/postgres-databases.ts';
import { eventsOf, expectEvents, outcomeOf, runRounds, sweep, type Round, type RoundsReport } from './support/race-rounds.ts';

const ROUNDS = 20;
const PASSWORD = 'a long enough password';
const SSO_ACCOUNTS = 2 * ROUNDS;

interface MemberView {
  readonly id: string;
  readonly email: string;
  readonly role: Role;
}

interface Settings {
  readonly plainLogin: boolean;
  readonly googleOAuth: boolean;
  readonly sso: { readonly providers: readonly { readonly name: string }[] } | null;
}

/** Prints how often the invariants broke, and fails with the first few cases. */
function report(result: RoundsReport): void {
  console.log(result.summary);
  const shown = result.broken.slice(0, 6).join('\n  ');
  assert.equal(result.broken.length, 0, `${result.summary}\n  ${shown}`);
}

if (TEST_PG_URL === '') {
  test(`platform invariants under concurrency on PostgreSQL (${NO_PG_REASON})`, { skip: NO_PG_REASON }, () => undefined);
} else {
  describe('platform invariants under concurrent requests on PostgreSQL, on one server and on two', { timeout: 300_000 }, () => {
    let cluster: Cluster;
    let provider: OidcTestProvider;
    let baseline: Record<string, unknown>;

    const adminCall = (port: number, method: HeldRequestSpec['method'], path: string, body: unknown, requestId: string) =>
      call(port, cluster.adminToken, method, path, body, requestId);
    const asAdmin = (method: HeldRequestSpec['method'], path: string, body?: unknown) => cluster.asAdmin(method, path, body);
    const members = async () => ((await asAdmin('GET', '/api/users')) as { result: MemberView[] }).result;
    const settings = async () => (await asAdmin('GET', '/api/org/auth-settings')) as Settings;
    const invite = async (email: string): Promise<{ id: string; secret: string }> => {
      const created = (await asAdmin('POST', '/api/invitations', { email, role: 'reader' })) as { id: string; acceptUrl: string };
      return { id: created.id, secret: created.acceptUrl.split('/').pop() ?? '' };
    };
    const accept = (port: number, secret: string, name: string, requestId: string): HeldRequestSpec => ({
      port,
      method: 'POST',
      path: `/api/invitations/${secret}/accept`,
      headers: demoHeaders(port, null, requestId),
      body: { name, password: PASSWORD },
    });
    /** The settings as shown and logged: client secrets as "***". */
    const redacted = (value: Record<string, unknown>) => JSON.parse(JSON.stringify(value).replace(/"clientSecret":"[^"]*"/g, '"clientSecret":"***"')) as unknown;
    /** Back to the baseline (password sign-in and one SSO provider), unless the settings are there. */
    const restoreSettings = async () => {
      if (!isDeepStrictEqual(await settings(), redacted(baseline))) await asAdmin('PATCH', '/api/org/auth-settings', baseline);
    };
    const membersWith = async (email: string) => (await members()).filter((member) => member.email === email).length;

    before(async () => {
      cluster = await startCluster();
      provider = await startOidcProvider({
        redirectUri: `${PUBLIC_URL}/api/auth/sso/idp/callback`,
        accounts: Array.from({ length: SSO_ACCOUNTS }, (_, n) => ({ sub: `sso-${n}`, email: `sso-${n}@demo.test`, email_verified: true, name: `Sso ${n}` })),
      });
      baseline = {
        plainLogin: true,
        googleOAuth: false,
        sso: { providers: [{ name: 'idp', issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret }] },
      };
      await restoreSettings();
    });

    after(async () => {
      await provider.close();
      await cluster.close();
    });

    test('of two admins demoting each other at once, one is refused: the org always keeps an admin', async () => {
      const first = { member: cluster.firstAdmin, token: await cluster.tokenOf(cluster.firstAdmin) };
      const secondMember = await cluster.addMember('second-admin', 'admin');
      const second = { member: secondMember, token: await cluster.tokenOf(secondMember) };
      const demote = (round: Round, i: number, actorToken: string, target: Member) =>
        call(round.port(i), actorToken, 'PATCH', `/api/users/${target.id}/role`, { role: 'reader' }, round.requestId(i));
      report(
        await runRounds(cluster, 'never zero admins', ROUNDS, async (round) => {
          for (const member of await members()) {
            if ((member.id === first.member.id || member.id === second.member.id) && member.role !== 'admin') {
              await asAdmin('PATCH', `/api/users/${member.id}/role`, { role: 'admin' });
            }
          }
          await cluster.newEvents();
          const answers = await releaseTogether([demote(round, 0, first.token, second.member), demote(round, 1, second.token, first.member)]);
          const events = await cluster.newEvents();
          if ((await members()).every((member) => member.role !== 'admin')) round.broke('no admin is left');
          let done = 0;
          answers.forEach((answer, i) => {
            const outcome = outcomeOf(round, `demotion ${i}`, answer, 200);
            if (outcome === 'done') done += 1;
            expectEvents(round, events, round.requestId(i), 'user.role.updated', outcome === 'done' ? 1 : 0);
          });
          if (done !== 1) round.broke(`${done} of the two demotions succeeded, not one`);
        }),
      );
    });

    test('two login-settings changes at once never leave the org without a way to sign in, and neither is lost', async () => {
      report(
        await runRounds(cluster, 'never zero sign-in methods', ROUNDS, async (round) => {
          await restoreSettings();
          await cluster.newEvents();
          const answers = await releaseTogether([
            adminCall(round.port(0), 'PATCH', '/api/org/auth-settings', { plainLogin: false }, round.requestId(0)),
            adminCall(round.port(1), 'PATCH', '/api/org/auth-settings', { sso: null }, round.requestId(1)),
          ]);
          const events = await cluster.newEvents();
          const final = await settings();
          if (!final.plainLogin && (final.sso?.providers.length ?? 0) === 0) round.broke('no way to sign in is left');
          let done = 0;
          answers.forEach((answer, i) => {
            const outcome = outcomeOf(round, `change ${i}`, answer, 200);
            if (outcome === 'done') done += 1;
            expectEvents(round, events, round.requestId(i), 'org.auth_settings.updated', outcome === 'done' ? 1 : 0);
          });
          if (done === 2) round.broke('both changes succeeded, though together they leave no way to sign in');
          // Replayed in seq order, the log leads from the settings before to the settings stored.
          let state = redacted(baseline);
          for (const event of events.filter((each) => each.type === 'org.auth_settings.updated')) {
            if (!isDeepStrictEqual(event.details['before'], state)) round.broke(`${event.requestId ?? ''} logged a before that was not the stored settings`);
            state = event.details['after'];
          }
          if (!isDeepStrictEqual(state, final)) round.broke('the stored settings are not where the log leads (a change was lost)');
        }),
      );
    });

    test('an invitation accepted twice at once makes one member, and one acceptance is refused', async () => {
      report(
        await runRounds(cluster, 'one invitation accepted twice', ROUNDS, async (round) => {
          const email = `twice-${round.requestId('x')}@demo.test`;
          const { secret } = await invite(email);
          await cluster.newEvents();
          const answers = await releaseTogether([0, 1].map((i) => accept(round.port(i), secret, `Twice ${i}`, round.requestId(i))));
          const events = await cluster.newEvents();
          const outcomes = answers.map((answer, i) => outcomeOf(round, `acceptance ${i}`, answer, 201));
          outcomes.forEach((outcome, i) => {
            expectEvents(round, events, round.requestId(i), 'invitation.accepted', outcome === 'done' ? 1 : 0);
          });
          if (outcomes.filter((outcome) => outcome === 'done').length !== 1) round.broke(`outcomes ${outcomes.join(', ')}: not exactly one acceptance`);
          const count = await membersWith(email);
          if (count !== 1) round.broke(`${count} members for the invited email`);
        }),
      );
    });

    test('two invitations for one email accepted at once make one member', async () => {
      report(
        await runRounds(cluster, 'two invitations for one email', ROUNDS, async (round) => {
          const email = `pair-${round.requestId('x')}@demo.test`;
          const secrets = [(await invite(email)).secret, (await invite(email)).secret];
          await cluster.newEvents();
          const answers = await releaseTogether(secrets.map((secret, i) => accept(round.port(i), secret, `Pair ${i}`, round.requestId(i))));
          const events = await cluster.newEvents();
          const outcomes = answers.map((answer, i) => outcomeOf(round, `acceptance ${i}`, answer, 201));
          outcomes.forEach((outcome, i) => {
            expectEvents(round, events, round.requestId(i), 'invitation.accepted', outcome === 'done' ? 1 : 0);
          });
          if (outcomes.filter((outcome) => outcome === 'done').length !== 1) round.broke(`outcomes ${outcomes.join(', ')}: not exactly one acceptance`);
          const count = await membersWith(email);
          if (count !== 1) round.broke(`${count} members for the invited email`);
        }),
      );
    });

    test('an invitation accepted while its email signs in through SSO is accepted once, and the sign-in succeeds', async () => {
      await restoreSettings();
      let account = 0;
      report(
        await runRounds(cluster, 'acceptance racing an SSO sign-in', ROUNDS, async (round) => {
          const sub = `sso-${account}`;
          account += 1;
          const email = `${sub}@demo.test`;
          const invitation = await invite(email);
          const start = await cluster.send({ port: round.port(0), method: 'GET', path: '/api/auth/sso/idp/start', headers: demoHeaders(round.port(0), null, `start-${newId()}`) });
          assert.equal(start.status, 302, start.body);
          const handle = /sectrail_sso=([^;]+)/.exec(start.headers.get('set-cookie') ?? '')?.[1];
          assert.ok(handle !== undefined, 'the start sets the attempt cookie');
          const callback = new URL(await provider.followLogin(start.headers.get('location') ?? '', sub));
          await cluster.newEvents();
          // The acceptance hashes a password and the callback redeems a code before their
          // transactions: releasing one a little later in each round makes the transactions meet.
          const offset = sweep(round, ROUNDS, 60) - 30;
          const answers = await releaseTogether(
            [
              { port: round.port(0), method: 'GET', path: callback.pathname + callback.search, headers: { ...demoHeaders(round.port(0), null, round.requestId('sso')), cookie: `sectrail_sso=${handle}` } },
              accept(round.port(1), invitation.secret, 'Accepted', round.requestId('accept')),
            ],
            [Math.max(0, -offset), Math.max(0, offset)],
          );
          const events = await cluster.newEvents();
          const [sso, acceptance] = answers as [(typeof answers)[0], (typeof answers)[0]];
          if (sso.status !== 302) round.broke(`the SSO sign-in answered ${sso.status} ${errorCode(sso) ?? ''}`);
          const accepted = outcomeOf(round, 'the acceptance', acceptance, 201);
          const acceptedEvents = events.filter((event) => event.type === 'invitation.accepted' && event.details['invitationId'] === invitation.id);
          if (acceptedEvents.length !== 1) round.broke(`${acceptedEvents.length} invitation.accepted events`);
          expectEvents(round, events, round.requestId('accept'), 'invitation.accepted', accepted === 'done' ? 1 : 0);
          if (sso.status === 302) {
            expectEvents(round, events, round.requestId('sso'), 'invitation.accepted', accepted === 'done' ? 0 : 1);
            expectEvents(round, events, round.requestId('sso'), 'login.succeeded', 1);
          }
          const count = await membersWith(email);
          if (count !== 1) round.broke(`${count} members for the invited email`);
        }),
      );
    });

    test('no invitation is made for an email once it has become a member', async () => {
      const INVITES = 7;
      report(
        await runRounds(cluster, 'inviting an email while it is accepted', ROUNDS, async (round) => {
          const email = `joining-${round.requestId('x')}@demo.test`;
          const { secret } = await invite(email);
          await cluster.newEvents();
          // The acceptance hashes a password before its transaction: new invitations for the email
          // are sent over the time it takes, so that some meet its transaction.
          const invites = Array.from({ length: INVITES }, (_, i) =>
            adminCall(round.port(i + 1), 'POST', '/api/invitations', { email, role: 'reader' }, round.requestId(`invite${i}`)),
          );
          const answers = await releaseTogether(
            [accept(round.port(0), secret, 'Joining', round.requestId('accept')), ...invites],
            [0, ...invites.map((_, i) => 5 * i)],
          );
          const events = await cluster.newEvents();
          if (outcomeOf(round, 'the acceptance', answers[0]!, 201) !== 'done') round.broke('the acceptance did not succeed');
          const acceptedSeq = eventsOf(events, round.requestId('accept'), 'invitation.accepted')[0]?.seq ?? Infinity;
          answers.slice(1).forEach((answer, i) => {
            const requestId = round.requestId(`invite${i}`);
            const invited = outcomeOf(round, `invitation ${i}`, answer, 201);
            expectEvents(round, events, requestId, 'invitation.created', invited === 'done' ? 1 : 0);
            const createdSeq = eventsOf(events, requestId, 'invitation.created')[0]?.seq ?? -Infinity;
            if (createdSeq > acceptedSeq) round.broke(`invitation ${i} was made for an email that was already a member`);
          });
        }),
      );
    });
  });
}

// The platform's other check-then-writes under concurrency on PostgreSQL, on one server and on two
// sharing the database (and two CLI commands): a request that changes nothing writes nothing even
// when an identical one races it, permission events chain before to after, a taken name is 409,
// and a token or a session is revoked once. Each success has exactly its event; no refusal has one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { csrfTokenOf } from '../src/core/session-policy.ts';
import type { Member, Role } from '../src/core/platform-model.ts';
import { setSecurityLogEnabled } from '../src/platform/orgs.ts';
import { startSession } from '../src/platform/sessions.ts';
import { call, demoHeaders, OPERATOR, PUBLIC_URL, startCluster, type Cluster } from './support/concurrency-cluster.ts';
import { releaseTogether, type HeldRequestSpec } from './support/held-requests.ts';
import { NO_PG_REASON, TEST_PG_URL } from './support/postgres-databases.ts';
import { eventsOf, expectEvents, outcomeOf, runRounds, type Round, type RoundsReport } from './support/race-rounds.ts';

const ROUNDS = 20;
const PRIVILEGE = 'groups:manage';
type Access = 'none' | 'read' | 'write' | 'admin';
/** The two values each round of the permission race sets at once. */
const ACCESS_PAIRS: readonly (readonly [Access, Access])[] = [
  ['read', 'write'],
  ['write', 'write'],
  ['none', 'admin'],
  ['read', 'none'],
  ['admin', 'admin'],
  ['none', 'none'],
  ['write', 'read'],
];

function report(result: RoundsReport): void {
  console.log(result.summary);
  const shown = result.broken.slice(0, 6).join('\n  ');
  assert.equal(result.broken.length, 0, `${result.summary}\n  ${shown}`);
}

if (TEST_PG_URL === '') {
  test(`platform records under concurrency on PostgreSQL (${NO_PG_REASON})`, { skip: NO_PG_REASON }, () => undefined);
} else {
  describe('platform records under concurrent requests on PostgreSQL, on one server and on two', { timeout: 300_000 }, () => {
    let cluster: Cluster;
    let member: Member;

    const adminCall = (round: Round, i: number, method: HeldRequestSpec['method'], path: string, body?: unknown) =>
      call(round.port(i), cluster.adminToken, method, path, body, round.requestId(i));
    /** Two identical requests at once: both answer `status`, and exactly one writes its event. */
    const twice = async (round: Round, method: HeldRequestSpec['method'], path: string, body: unknown, type: string, status = 200) => {
      await cluster.newEvents();
      const answers = await releaseTogether([0, 1].map((i) => adminCall(round, i, method, path, body)));
      const events = await cluster.newEvents();
      answers.forEach((answer, i) => {
        if (answer.status !== status) round.broke(`request ${i} answered ${answer.status}: ${answer.body.slice(0, 120)}`);
      });
      const written = events.filter((event) => event.type === type && (event.requestId === round.requestId(0) || event.requestId === round.requestId(1)));
      if (written.length !== 1) round.broke(`${written.length} ${type} events for one change`);
      return answers;
    };
    const memberNow = async (): Promise<{ role: Role; privileges: string[] }> => {
      const { result } = (await cluster.asAdmin('GET', '/api/users')) as { result: { id: string; role: Role; privileges: string[] }[] };
      const found = result.find((each) => each.id === member.id);
      assert.ok(found !== undefined);
      return found;
    };

    before(async () => {
      cluster = await startCluster();
      member = await cluster.addMember('racer', 'reader');
    });

    after(async () => {
      await cluster.close();
    });

    test('two identical role changes at once write one event', async () => {
      report(
        await runRounds(cluster, 'identical role changes', ROUNDS, async (round) => {
          const role: Role = (await memberNow()).role === 'reader' ? 'writer' : 'reader';
          await twice(round, 'PATCH', `/api/users/${member.id}/role`, { role }, 'user.role.updated');
          if ((await memberNow()).role !== role) round.broke('the role did not change');
        }),
      );
    });

    test('two identical privilege changes at once write one event', async () => {
      report(
        await runRounds(cluster, 'identical privilege changes', ROUNDS, async (round) => {
          const held = (await memberNow()).privileges.includes(PRIVILEGE);
          await twice(round, 'PATCH', `/api/users/${member.id}/privileges`, held ? { remove: [PRIVILEGE] } : { add: [PRIVILEGE] }, 'user.privileges.updated');
          if ((await memberNow()).privileges.includes(PRIVILEGE) === held) round.broke('the privileges did not change');
        }),
      );
    });

    test('two identical group membership changes at once write one event', async () => {
      const group = (await cluster.asAdmin('POST', '/api/groups', { name: 'racers' })) as { id: string };
      const inGroup = async () => {
        const { result } = (await cluster.asAdmin('GET', '/api/groups')) as { result: { id: string; members: { id: string }[] }[] };
        return result.find((each) => each.id === group.id)?.members.some((each) => each.id === member.id) === true;
      };
      report(
        await runRounds(cluster, 'identical membership changes', ROUNDS, async (round) => {
          const was = await inGroup();
          await twice(round, 'PATCH', `/api/groups/${group.id}/members`, was ? { remove: [member.id] } : { add: [member.id] }, 'group.membership.updated');
          if ((await inGroup()) === was) round.broke('the membership did not change');
        }),
      );
    });

    test('permission changes at once chain in the log: each before is the access the one before left', async () => {
      const resource = (await cluster.asAdmin('POST', '/api/resources', { type: 'project', name: 'racetrack' })) as { id: string };
      const path = `/api/resources/${resource.id}/permissions`;
      const access = async () => {
        const { result } = (await cluster.asAdmin('GET', path)) as { result: { subject: { id: string }; access: Access }[] };
        const value = result.find((grant) => grant.subject.id === member.id)?.access;
        return value === undefined ? null : { access: value };
      };
      report(
        await runRounds(cluster, 'permission changes', ROUNDS, async (round) => {
          let state: unknown = await access();
          await cluster.newEvents();
          const pair = ACCESS_PAIRS[round.index % ACCESS_PAIRS.length]!;
          const answers = await releaseTogether(pair.map((value, i) => adminCall(round, i, 'PUT', path, { subject: { kind: 'user', id: member.id }, access: value })));
          const events = await cluster.newEvents();
          answers.forEach((answer, i) => {
            if (outcomeOf(round, `request ${i}`, answer, 200) !== 'done') return;
            if (eventsOf(events, round.requestId(i), 'permission.updated').length > 1) round.broke(`request ${i} wrote more than one event`);
          });
          for (const event of events.filter((each) => each.type === 'permission.updated')) {
            const { before: was, after: now } = event.details;
            if (!isDeepStrictEqual(was, state)) round.broke(`${event.requestId ?? ''} logged before ${JSON.stringify(was)}, not ${JSON.stringify(state)}`);
            if (isDeepStrictEqual(was, now)) round.broke(`${event.requestId ?? ''} logged a change that changed nothing`);
            state = now;
          }
          if (!isDeepStrictEqual(await access(), state)) round.broke('the stored access is not where the log leads');
        }),
      );
    });

    test('two service accounts of one name at once: one is made, the other is 409', async () => {
      report(
        await runRounds(cluster, 'one name, two service accounts', ROUNDS, async (round) => {
          await cluster.newEvents();
          const name = `account-${round.requestId('x')}`;
          const answers = await releaseTogether([0, 1].map((i) => adminCall(round, i, 'POST', '/api/service-accounts', { name })));
          const events = await cluster.newEvents();
          const outcomes = answers.map((answer, i) => outcomeOf(round, `request ${i}`, answer, 201));
          outcomes.forEach((outcome, i) => {
            expectEvents(round, events, round.requestId(i), 'service_account.created', outcome === 'done' ? 1 : 0);
          });
          if (outcomes.filter((outcome) => outcome === 'done').length !== 1) round.broke(`outcomes ${outcomes.join(', ')}: not one account`);
        }),
      );
    });

    test('a token revoked twice at once is revoked once', async () => {
      report(
        await runRounds(cluster, 'token revoked twice', ROUNDS, async (round) => {
          const body = { name: `revoked-${round.requestId('x')}`, serviceAccountId: cluster.adminAccountId, scopes: ['security-log:read'] };
          const token = (await cluster.asAdmin('POST', '/api/tokens', body)) as { id: string };
          await twice(round, 'DELETE', `/api/tokens/${token.id}`, undefined, 'token.revoked');
        }),
      );
    });

    test('a session signed out twice at once is ended once', async () => {
      report(
        await runRounds(cluster, 'session ended twice', ROUNDS, async (round) => {
          const { secret } = await cluster.deps.store.transact((tx) => startSession(tx, member, 'password', Date.now()));
          await cluster.newEvents();
          const logout = (i: number): HeldRequestSpec => ({
            port: round.port(i),
            method: 'POST',
            path: '/api/auth/logout',
            headers: { ...demoHeaders(round.port(i), null, round.requestId(i)), cookie: `sectrail_session=${secret}`, origin: PUBLIC_URL, 'x-csrf-token': csrfTokenOf(secret) },
            body: {},
          });
          const answers = await releaseTogether([logout(0), logout(1)]);
          const events = await cluster.newEvents();
          answers.forEach((answer, i) => {
            if (answer.status !== 204) round.broke(`sign-out ${i} answered ${answer.status}: ${answer.body.slice(0, 120)}`);
          });
          const ended = events.filter((event) => event.type === 'logout' && event.requestId?.startsWith(round.requestId('')) === true);
          if (ended.length !== 1) round.broke(`${ended.length} logout events for one session`);
        }),
      );
    });

    test('the operator switching the security log from two CLI commands at once writes one event', async () => {
      const stores = [cluster.deps.store, await cluster.openStore()];
      report(
        await runRounds(cluster, 'the security-log switch from the CLI', ROUNDS, async (round) => {
          const org = await cluster.deps.store.platform.orgById(cluster.org.id);
          const enabled = org?.securityLogEnabled !== true;
          await cluster.newEvents();
          // One server: both commands on one connection pool; two: each with its own, as two processes.
          const results = await Promise.all(
            [0, 1].map((i) => {
              const store = round.topology === 'one server' ? stores[0]! : stores[i]!;
              return setSecurityLogEnabled({ store, clock: cluster.deps.clock }, { ...OPERATOR, requestId: round.requestId(i) }, 'demo', enabled);
            }),
          );
          const events = await cluster.newEvents();
          if (results.some((result) => result.securityLogEnabled !== enabled)) round.broke('a command did not answer the new state');
          const written = events.filter((event) => event.type === 'org.security_log.updated');
          if (written.length !== 1) round.broke(`${written.length} org.security_log.updated events for one switch`);
        }),
      );
    });
  });
}

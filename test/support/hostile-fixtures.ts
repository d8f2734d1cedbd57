// The real things hostile requests aim at: three orgs (one with its security log off), a member
// and an outsider, a group, a resource, service accounts and tokens of every kind (reader, admin,
// a member's, revoked, expired), invitations, page tokens and tail cursors, and sessions.
import assert from 'node:assert/strict';
import { csrfTokenOf } from '../../src/core/session-policy.ts';
import { startSession } from '../../src/platform/sessions.ts';
import { addMember, call, memberToken } from './admin-helpers.ts';
import { extraToken, storedEvents, TAIL_URL, TRAIL_URL, type DayPage, type TailPage } from './http-helpers.ts';
import { dayBody, type TestOrg, type TestServer } from './test-server.ts';

export interface HostileFixtures {
  readonly server: TestServer;
  readonly acme: TestOrg;
  readonly beta: TestOrg;
  readonly off: TestOrg;
  readonly today: { year: number; month: number; day: number };
  readonly accountId: string;
  readonly spareTokenId: string;
  /** Ids of things in the orgs, events included. */
  readonly ids: readonly string[];
  readonly emails: readonly string[];
  /** Access token secrets of every kind, valid or not. */
  readonly realTokens: readonly string[];
  readonly pageTokens: readonly string[];
  readonly cursors: readonly string[];
  readonly invitations: readonly string[];
  readonly eventIds: readonly string[];
  /** The secret of a session that was logged out. */
  readonly endedSession: string;
  /** A session started now for the org's admin: logout ends sessions, so each request gets its own. */
  readonly freshSession: (org: 'acme' | 'beta') => Promise<string>;
}

export async function plantFixtures(server: TestServer): Promise<HostileFixtures> {
  const acme = await server.createOrg('acme');
  const beta = await server.createOrg('beta');
  const off = await server.createOrg('off', { securityLog: false });
  const today = dayBody();

  async function created<T>(org: TestOrg, url: string, body: unknown): Promise<T> {
    const response = await call(server, org, 'POST', url, body);
    assert.equal(response.statusCode, 201, response.body);
    return response.json<T>();
  }

  const target = await addMember(server, acme, 'target');
  const outsider = await addMember(server, beta, 'outsider');
  const readerMemberToken = await memberToken(server, acme, target, ['security-log:read']);
  const group = await created<{ id: string }>(acme, '/api/groups', { name: 'ops' });
  const betaGroup = await created<{ id: string }>(beta, '/api/groups', { name: 'ops' });
  const resource = await created<{ id: string }>(acme, '/api/resources', { type: 'project', name: 'web' });
  const account = await created<{ id: string }>(acme, '/api/service-accounts', { name: 'spare' });
  const spareToken = await created<{ id: string; token: string }>(acme, '/api/tokens', { name: 'spare', scopes: ['security-log:read'] });
  const revoked = await extraToken(server, acme, { accountName: 'gone', role: 'admin', scopes: ['platform:admin'] });
  assert.equal((await call(server, acme, 'DELETE', `/api/tokens/${revoked.id}`)).statusCode, 200);
  const expired = await extraToken(server, acme, {
    accountName: 'old',
    role: 'admin',
    scopes: ['platform:admin', 'security-log:read'],
    expiresInDays: 1,
    issuedAtMs: Date.now() - 10 * 86_400_000,
  });
  const invitationSecret = async (org: TestOrg, email: string): Promise<string> =>
    (await created<{ acceptUrl: string }>(org, '/api/invitations', { email, role: 'reader' })).acceptUrl.split('/').at(-1) ?? '';
  const invitations = [await invitationSecret(acme, 'new@acme.test'), await invitationSecret(beta, 'new@beta.test')];

  async function pageToken(org: TestOrg, extra: Record<string, unknown> = {}): Promise<string> {
    const response = await call(server, org, 'POST', TRAIL_URL, { ...today, pageSize: 1, ...extra }, org.token);
    const token = response.json<DayPage>().nextPageToken;
    assert.ok(token !== null, response.body);
    return token;
  }
  async function tailCursor(org: TestOrg): Promise<string> {
    const response = await call(server, org, 'POST', TAIL_URL, { pageSize: 2 }, org.token);
    assert.equal(response.statusCode, 200, response.body);
    return response.json<TailPage>().cursor;
  }
  const pageTokens = [await pageToken(acme), await pageToken(acme, { eventTypes: ['token.created'] }), await pageToken(beta)];
  const cursors = [await tailCursor(acme), await tailCursor(beta)];
  const eventIds = (await storedEvents(server, acme.org.id)).slice(0, 2).map((event) => event.id);

  const members = {
    acme: await server.runtime.store.platform.memberByEmail(acme.org.id, 'admin@acme.test'),
    beta: await server.runtime.store.platform.memberByEmail(beta.org.id, 'admin@beta.test'),
  };

  /** A session started now for the org's admin: logout ends sessions, so each request gets its own. */
  async function freshSession(org: 'acme' | 'beta'): Promise<string> {
    const member = members[org];
    assert.ok(member !== null);
    const started = await server.runtime.store.transact((tx) => startSession(tx, member, 'password', server.runtime.deps.clock.now()));
    return started.secret;
  }
  const endedSession = await freshSession('acme');
  assert.equal((await server.inject({ method: 'POST', url: '/api/auth/logout', headers: { host: acme.host, cookie: `sectrail_session=${endedSession}`, 'x-csrf-token': csrfTokenOf(endedSession) } })).statusCode, 204);

  const realTokens = [
    acme.adminToken,
    acme.token,
    beta.adminToken,
    off.adminToken,
    readerMemberToken,
    spareToken.token,
    revoked.secret,
    expired.secret,
  ];
  const ids = [target.id, outsider.id, group.id, betaGroup.id, resource.id, account.id, spareToken.id, revoked.id, ...eventIds];
  const emails = ['admin@acme.test', target.email, outsider.email, 'new@acme.test', 'new@beta.test', 'nobody@acme.test'];

  return {
    server, acme, beta, off, today,
    accountId: account.id,
    spareTokenId: spareToken.id,
    ids, emails, realTokens, pageTokens, cursors, invitations, eventIds, endedSession, freshSession,
  };
}

// Members, roles and privileges over HTTP (DESIGN §5, §6): the member list and the privilege
// catalogue, role and privilege changes with their events (only real changes are logged), and
// who may change them: admins only, never their own.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PRIVILEGE_CATALOGUE } from '../src/core/privileges.ts';
import {
  addMember,
  assertAttribution,
  assertDenied,
  automationActor,
  call,
  countOf,
  eventsOfRequest,
  memberSession,
  memberToken,
  onlyEventOf,
  userActor,
} from './support/admin-helpers.ts';
import { assertError, authed, extraToken } from './support/http-helpers.ts';
import { startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

interface MemberView {
  id: string;
  email: string;
  name: string;
  role: string;
  privileges: string[];
}

let server: TestServer;
let acme: TestOrg;
let beta: TestOrg;

before(async () => {
  server = await startTestServer();
  acme = await server.createOrg('acme');
  beta = await server.createOrg('beta');
});

after(async () => {
  await server.close();
});

async function roleOf(org: TestOrg, userId: string): Promise<string | undefined> {
  return (await server.runtime.store.platform.memberById(org.org.id, userId))?.role;
}

async function privilegesOf(org: TestOrg, userId: string): Promise<readonly string[] | undefined> {
  return (await server.runtime.store.platform.memberById(org.org.id, userId))?.privileges;
}

describe('listing', () => {
  test('lists the org’s members with id, email, name, role and privileges, and no other org’s', async () => {
    const bo = await addMember(server, acme, 'bo', { role: 'writer', privileges: ['groups:manage'] });
    const theirs = await addMember(server, beta, 'theirs');
    const response = await call(server, acme, 'GET', '/api/users');
    assert.equal(response.statusCode, 200, response.body);
    const { result } = response.json<{ result: MemberView[] }>();
    assert.deepEqual(
      result.find((member) => member.id === bo.id),
      { id: bo.id, email: bo.email, name: 'bo', role: 'writer', privileges: ['groups:manage'] },
    );
    assert.ok(result.some((member) => member.email === 'admin@acme.test' && member.role === 'admin'));
    assert.ok(!result.some((member) => member.id === theirs.id));
    for (const member of result) assert.deepEqual(Object.keys(member).sort(), ['email', 'id', 'name', 'privileges', 'role']);
  });

  test('serves the privilege catalogue as {result: [{name, description}]}', async () => {
    const response = await call(server, acme, 'GET', '/api/privileges');
    assert.equal(response.statusCode, 200, response.body);
    const { result } = response.json<{ result: { name: string; description: string }[] }>();
    assert.deepEqual(result, PRIVILEGE_CATALOGUE.map(({ name, description }) => ({ name, description })));
    assert.ok(result.length >= 4);
    for (const entry of result) assert.ok(entry.description.length > 0);
  });

  test('lets a member who may invite list the members, but not a plain reader', async () => {
    const inviter = await addMember(server, acme, 'inviter', { privileges: ['members:invite'] });
    const plain = await addMember(server, acme, 'plain');
    assert.equal((await call(server, acme, 'GET', '/api/users', undefined, await memberSession(server, acme, inviter))).statusCode, 200);
    const refused = await call(server, acme, 'GET', '/api/users', undefined, await memberSession(server, acme, plain));
    await assertDenied(server, acme, refused, {
      endpoint: 'GET /api/users',
      reason: 'missing_privilege',
      required: 'privilege:members:invite|privilege:groups:manage|privilege:permissions:manage',
    });
  });
});

describe('roles', () => {
  test('changes a role with 200 and the member, and logs user.role.updated with target, before and after', async () => {
    const bo = await addMember(server, acme, 'bo-role');
    const response = await call(server, acme, 'PATCH', `/api/users/${bo.id}/role`, { role: 'writer' });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), { id: bo.id, email: bo.email, name: 'bo-role', role: 'writer', privileges: [] });
    assert.equal(await roleOf(acme, bo.id), 'writer');
    const event = await onlyEventOf(server, acme, 'user.role.updated', response);
    assert.equal(event.category, 'role_privilege');
    assert.deepEqual(event.details, { target: { id: bo.id, name: 'bo-role', email: bo.email }, before: 'reader', after: 'writer' });
    assertAttribution(event, response, 'PATCH /api/users/:id/role', await automationActor(server, acme));
  });

  test('answers 200 and logs nothing when the role is already the one asked for', async () => {
    const bo = await addMember(server, acme, 'bo-same', { role: 'writer' });
    const response = await call(server, acme, 'PATCH', `/api/users/${bo.id}/role`, { role: 'writer' });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json<MemberView>().role, 'writer');
    assert.deepEqual(await eventsOfRequest(server, acme, response), []);
  });

  test('answers 404 NOT_FOUND for an unknown user, a service account and another org’s member', async () => {
    const theirs = await addMember(server, beta, 'foreign');
    const account = await extraToken(server, acme, { accountName: 'not-a-user', role: 'reader', scopes: ['security-log:read'] });
    for (const id of ['no-such-user', account.accountId, theirs.id]) {
      assertError(await call(server, acme, 'PATCH', `/api/users/${id}/role`, { role: 'admin' }), 404, 'NOT_FOUND');
    }
    assert.equal(await roleOf(beta, theirs.id), 'reader');
  });

  test('refuses a reader service account holding platform:admin with 403, logs access.denied, and changes nothing', async () => {
    const bo = await addMember(server, acme, 'bo-target');
    const reader = await extraToken(server, acme, { accountName: 'reader-admin-scope', role: 'reader', scopes: ['platform:admin'] });
    const before = await countOf(server, acme, 'user.role.updated');
    const response = await call(server, acme, 'PATCH', `/api/users/${bo.id}/role`, { role: 'admin' }, reader.secret);
    await assertDenied(server, acme, response, { endpoint: 'PATCH /api/users/:id/role', reason: 'not_admin', required: 'role:admin' });
    assert.equal(await roleOf(acme, bo.id), 'reader');
    assert.equal(await countOf(server, acme, 'user.role.updated'), before);
  });

  test('refuses a member with every privilege but not the admin role', async () => {
    const bo = await addMember(server, acme, 'bo-target2');
    const writer = await addMember(server, acme, 'power-writer', { role: 'writer', privileges: PRIVILEGE_CATALOGUE.map((entry) => entry.name) });
    const token = await memberSession(server, acme, writer);
    const role = await call(server, acme, 'PATCH', `/api/users/${bo.id}/role`, { role: 'writer' }, token);
    await assertDenied(server, acme, role, { endpoint: 'PATCH /api/users/:id/role', reason: 'not_admin', required: 'role:admin' });
    const privileges = await call(server, acme, 'PATCH', `/api/users/${bo.id}/privileges`, { add: ['groups:manage'] }, token);
    await assertDenied(server, acme, privileges, { endpoint: 'PATCH /api/users/:id/privileges', reason: 'not_admin', required: 'role:admin' });
    assert.equal(await roleOf(acme, bo.id), 'reader');
    assert.deepEqual(await privilegesOf(acme, bo.id), []);
  });

  test('refuses anyone, admins included, who changes their own role or privileges', async () => {
    for (const role of ['reader', 'admin'] as const) {
      const me = await addMember(server, acme, `self-${role}`, { role });
      const token = await memberSession(server, acme, me);
      const raise = await call(server, acme, 'PATCH', `/api/users/${me.id}/role`, { role: role === 'admin' ? 'writer' : 'admin' }, token);
      await assertDenied(server, acme, raise, { endpoint: 'PATCH /api/users/:id/role', reason: 'own_rights', required: null });
      const grant = await call(server, acme, 'PATCH', `/api/users/${me.id}/privileges`, { add: ['members:invite'] }, token);
      await assertDenied(server, acme, grant, { endpoint: 'PATCH /api/users/:id/privileges', reason: 'own_rights', required: null });
      assert.equal(await roleOf(acme, me.id), role);
      assert.deepEqual(await privilegesOf(acme, me.id), []);
    }
  });

  test('lets an admin member change another member’s role, named as the actor', async () => {
    const admin = await addMember(server, acme, 'ada', { role: 'admin' });
    const bo = await addMember(server, acme, 'bo-by-ada');
    const response = await call(server, acme, 'PATCH', `/api/users/${bo.id}/role`, { role: 'admin' }, await memberToken(server, acme, admin));
    assert.equal(response.statusCode, 200, response.body);
    const event = await onlyEventOf(server, acme, 'user.role.updated', response);
    assertAttribution(event, response, 'PATCH /api/users/:id/role', userActor(admin));
    assert.deepEqual(event.details, { target: { id: bo.id, name: 'bo-by-ada', email: bo.email }, before: 'reader', after: 'admin' });
  });

  test('refuses a token without platform:admin, whoever owns it', async () => {
    const admin = await addMember(server, acme, 'ada-reader-token', { role: 'admin' });
    const bo = await addMember(server, acme, 'bo-scoped');
    const token = await memberToken(server, acme, admin, ['security-log:read']);
    const response = await call(server, acme, 'PATCH', `/api/users/${bo.id}/role`, { role: 'writer' }, token);
    await assertDenied(server, acme, response, { endpoint: 'PATCH /api/users/:id/role', reason: 'missing_scope', required: 'platform:admin' });
    await assertDenied(server, acme, await call(server, acme, 'GET', '/api/users', undefined, acme.token), {
      endpoint: 'GET /api/users',
      reason: 'missing_scope',
      required: 'platform:admin',
    });
  });

  test('answers 409 CONFLICT to demoting the org’s last admin member, and logs nothing', async () => {
    const solo = await server.createOrg('solo');
    const admin = (await server.runtime.store.platform.memberByEmail(solo.org.id, 'admin@solo.test'))!;
    const response = await call(server, solo, 'PATCH', `/api/users/${admin.id}/role`, { role: 'writer' });
    assertError(response, 409, 'CONFLICT');
    assert.deepEqual(await eventsOfRequest(server, solo, response), []);
    assert.equal(await roleOf(solo, admin.id), 'admin');
    // With a second admin, the first may be demoted.
    await addMember(server, solo, 'second', { role: 'admin' });
    assert.equal((await call(server, solo, 'PATCH', `/api/users/${admin.id}/role`, { role: 'writer' })).statusCode, 200);
  });

  const badRoles: [string, unknown][] = [
    ['an unknown role', { role: 'owner' }],
    ['no role', {}],
    ['a role that is not a string', { role: 2 }],
    ['an unknown field', { role: 'writer', reason: 'why not' }],
  ];
  for (const [what, body] of badRoles) {
    test(`answers 400 INVALID_REQUEST to a role change with ${what}`, async () => {
      const bo = await addMember(server, acme, 'bo-bad');
      assertError(await call(server, acme, 'PATCH', `/api/users/${bo.id}/role`, body), 400, 'INVALID_REQUEST');
      assert.equal(await roleOf(acme, bo.id), 'reader');
    });
  }

  test('answers 401 to member calls without a token', async () => {
    const bo = await addMember(server, acme, 'bo-anon');
    for (const [method, url, body] of [
      ['GET', '/api/users', undefined],
      ['GET', '/api/privileges', undefined],
      ['PATCH', `/api/users/${bo.id}/role`, { role: 'admin' }],
      ['PATCH', `/api/users/${bo.id}/privileges`, { add: ['groups:manage'] }],
    ] as const) {
      const request = authed(acme, method, url, body);
      const headers = { ...(request.headers as Record<string, string>) };
      delete headers['authorization'];
      assertError(await server.inject({ ...request, headers }), 401, 'UNAUTHENTICATED');
    }
    assert.equal(await roleOf(acme, bo.id), 'reader');
  });
});

describe('privileges', () => {
  test('adds privileges with 200 and logs user.privileges.updated with what was added', async () => {
    const bo = await addMember(server, acme, 'bo-priv');
    const response = await call(server, acme, 'PATCH', `/api/users/${bo.id}/privileges`, { add: ['groups:manage', 'members:invite'] });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json<MemberView>().privileges, ['members:invite', 'groups:manage']);
    assert.deepEqual(await privilegesOf(acme, bo.id), ['members:invite', 'groups:manage']);
    const event = await onlyEventOf(server, acme, 'user.privileges.updated', response);
    assert.equal(event.category, 'role_privilege');
    assert.deepEqual(event.details, {
      target: { id: bo.id, name: 'bo-priv', email: bo.email },
      added: ['members:invite', 'groups:manage'],
      removed: [],
    });
    assertAttribution(event, response, 'PATCH /api/users/:id/privileges', await automationActor(server, acme));
  });

  test('logs only the real changes: privileges already held or never held are left out', async () => {
    const bo = await addMember(server, acme, 'bo-diff', { privileges: ['members:invite', 'groups:manage'] });
    const response = await call(server, acme, 'PATCH', `/api/users/${bo.id}/privileges`, {
      add: ['groups:manage', 'resources:create'],
      remove: ['members:invite', 'permissions:manage'],
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json<MemberView>().privileges, ['groups:manage', 'resources:create']);
    const event = await onlyEventOf(server, acme, 'user.privileges.updated', response);
    assert.deepEqual(event.details['added'], ['resources:create']);
    assert.deepEqual(event.details['removed'], ['members:invite']);
  });

  test('answers 200 and logs nothing for a change that changes nothing', async () => {
    const bo = await addMember(server, acme, 'bo-noop', { privileges: ['groups:manage'] });
    for (const body of [{}, { add: [] }, { add: ['groups:manage'] }, { remove: ['members:invite'] }, { add: ['groups:manage'], remove: ['resources:create'] }]) {
      const response = await call(server, acme, 'PATCH', `/api/users/${bo.id}/privileges`, body);
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json<MemberView>().privileges, ['groups:manage']);
      assert.deepEqual(await eventsOfRequest(server, acme, response), [], JSON.stringify(body));
    }
  });

  const badChanges: [string, unknown][] = [
    ['an unknown privilege to add', { add: ['groups:manage', 'root'] }],
    ['an unknown privilege to remove', { remove: ['everything'] }],
    ['the same privilege added and removed', { add: ['groups:manage'], remove: ['groups:manage'] }],
    ['add as a string', { add: 'groups:manage' }],
    ['an unknown field', { grant: ['groups:manage'] }],
  ];
  for (const [what, body] of badChanges) {
    test(`answers 400 INVALID_REQUEST to ${what}, and changes nothing`, async () => {
      const bo = await addMember(server, acme, 'bo-bad-priv');
      const response = await call(server, acme, 'PATCH', `/api/users/${bo.id}/privileges`, body);
      assertError(response, 400, 'INVALID_REQUEST');
      assert.deepEqual(await privilegesOf(acme, bo.id), []);
      assert.deepEqual(await eventsOfRequest(server, acme, response), []);
    });
  }
});

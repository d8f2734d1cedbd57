// Groups, resources and permissions over HTTP (DESIGN §5, §6): what each endpoint answers, the
// events with only the real changes and before/after snapshots, nothing logged for no change, and
// who may call them: admins, members with the matching privilege, writers for resources, and
// never a member widening their own access.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  addMember,
  assertAttribution,
  assertDenied,
  automationActor,
  call,
  eventsOfRequest,
  memberSession,
  userActor,
  onlyEventOf,
} from './support/admin-helpers.ts';
import { assertError, extraToken } from './support/http-helpers.ts';
import { startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

interface UserRef {
  id: string;
  name: string;
  email: string | null;
}

interface GroupView {
  id: string;
  name: string;
  members: UserRef[];
  createdAt: string;
}

interface ResourceView {
  id: string;
  type: string;
  name: string;
  createdAt: string;
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

let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

async function newGroup(org: TestOrg = acme, token = org.adminToken): Promise<GroupView> {
  const response = await call(server, org, 'POST', '/api/groups', { name: unique('group') }, token);
  assert.equal(response.statusCode, 201, response.body);
  return response.json<GroupView>();
}

async function newResource(org: TestOrg = acme): Promise<ResourceView> {
  const response = await call(server, org, 'POST', '/api/resources', { type: 'project', name: unique('resource') });
  assert.equal(response.statusCode, 201, response.body);
  return response.json<ResourceView>();
}

async function memberIdsOf(groupId: string): Promise<string[]> {
  return (await server.runtime.store.platform.groupMemberIds(acme.org.id, groupId)).sort();
}

function ref(member: { id: string; name: string; email: string }): UserRef {
  return { id: member.id, name: member.name, email: member.email };
}

describe('groups', () => {
  test('creates a group with 201 and logs group.created', async () => {
    const name = unique('engineering');
    const response = await call(server, acme, 'POST', '/api/groups', { name });
    assert.equal(response.statusCode, 201, response.body);
    const group = response.json<GroupView>();
    assert.equal(group.name, name);
    assert.deepEqual(group.members, []);
    assert.ok(group.id.length > 0);
    const event = await onlyEventOf(server, acme, 'group.created', response);
    assert.equal(event.category, 'group');
    assert.deepEqual(event.details, { group: { id: group.id, name } });
    assertAttribution(event, response, 'POST /api/groups', await automationActor(server, acme));
  });

  test('answers 409 CONFLICT to a name the org already uses, and logs nothing', async () => {
    const group = await newGroup();
    const response = await call(server, acme, 'POST', '/api/groups', { name: group.name });
    assertError(response, 409, 'CONFLICT');
    assert.deepEqual(await eventsOfRequest(server, acme, response), []);
    assert.equal((await call(server, beta, 'POST', '/api/groups', { name: group.name })).statusCode, 201, 'another org may use it');
  });

  test('adds members with 200, answers {id, name, members}, and logs group.membership.updated with user refs', async () => {
    const group = await newGroup();
    const ann = await addMember(server, acme, 'ann');
    const ben = await addMember(server, acme, 'ben');
    const response = await call(server, acme, 'PATCH', `/api/groups/${group.id}/members`, { add: [ann.id, ben.id] });
    assert.equal(response.statusCode, 200, response.body);
    const view = response.json<GroupView>();
    assert.equal(view.id, group.id);
    assert.equal(view.name, group.name);
    assert.deepEqual(view.members, [ref(ann), ref(ben)]);
    assert.deepEqual(await memberIdsOf(group.id), [ann.id, ben.id].sort());
    const event = await onlyEventOf(server, acme, 'group.membership.updated', response);
    assert.deepEqual(event.details, { group: { id: group.id, name: group.name }, added: [ref(ann), ref(ben)], removed: [] });
    assertAttribution(event, response, 'PATCH /api/groups/:id/members', await automationActor(server, acme));
  });

  test('logs only real membership changes, and nothing when nothing changes', async () => {
    const group = await newGroup();
    const ann = await addMember(server, acme, 'ann2');
    const ben = await addMember(server, acme, 'ben2');
    const cid = await addMember(server, acme, 'cid2');
    assert.equal((await call(server, acme, 'PATCH', `/api/groups/${group.id}/members`, { add: [ann.id, ben.id] })).statusCode, 200);

    const response = await call(server, acme, 'PATCH', `/api/groups/${group.id}/members`, { add: [ann.id, cid.id], remove: [ben.id] });
    assert.equal(response.statusCode, 200, response.body);
    const event = await onlyEventOf(server, acme, 'group.membership.updated', response);
    assert.deepEqual(event.details['added'], [ref(cid)]);
    assert.deepEqual(event.details['removed'], [ref(ben)]);

    for (const body of [{}, { add: [ann.id] }, { remove: [ben.id] }, { add: [cid.id, cid.id], remove: [ben.id] }]) {
      const noop = await call(server, acme, 'PATCH', `/api/groups/${group.id}/members`, body);
      assert.equal(noop.statusCode, 200, noop.body);
      assert.deepEqual(noop.json<GroupView>().members.map((member) => member.id).sort(), [ann.id, cid.id].sort());
      assert.deepEqual(await eventsOfRequest(server, acme, noop), [], JSON.stringify(body));
    }
  });

  test('answers 404 NOT_FOUND for a user who is not a member of the org, and changes nothing', async () => {
    const group = await newGroup();
    const ann = await addMember(server, acme, 'ann3');
    const foreign = await addMember(server, beta, 'foreign');
    for (const body of [{ add: [ann.id, 'no-such-user'] }, { add: [ann.id, foreign.id] }, { remove: ['no-such-user'] }]) {
      const response = await call(server, acme, 'PATCH', `/api/groups/${group.id}/members`, body);
      assertError(response, 404, 'NOT_FOUND');
      assert.deepEqual(await eventsOfRequest(server, acme, response), []);
    }
    assert.deepEqual(await memberIdsOf(group.id), []);
  });

  test('answers 404 NOT_FOUND for an unknown group or another org’s', async () => {
    const theirs = await newGroup(beta);
    for (const id of ['no-such-group', theirs.id]) {
      assertError(await call(server, acme, 'PATCH', `/api/groups/${id}/members`, { add: [] }), 404, 'NOT_FOUND');
    }
  });

  const badBodies: [string, string, unknown][] = [
    ['a group with an empty name', 'POST', { name: '' }],
    ['a group with a blank name', 'POST', { name: '   ' }],
    ['a group with an unknown field', 'POST', { name: 'x', members: [] }],
    ['members with the same user added and removed', 'PATCH', { add: ['u1'], remove: ['u1'] }],
    ['members given as a string', 'PATCH', { add: 'u1' }],
  ];
  for (const [what, method, body] of badBodies) {
    test(`answers 400 INVALID_REQUEST to ${what}`, async () => {
      const group = await newGroup();
      const url = method === 'POST' ? '/api/groups' : `/api/groups/${group.id}/members`;
      const response = await call(server, acme, method as 'POST' | 'PATCH', url, body);
      assertError(response, 400, 'INVALID_REQUEST');
      assert.deepEqual(await eventsOfRequest(server, acme, response), []);
    });
  }

  test('lists the org’s groups with their members', async () => {
    const group = await newGroup();
    const ann = await addMember(server, acme, 'ann4');
    await call(server, acme, 'PATCH', `/api/groups/${group.id}/members`, { add: [ann.id] });
    const response = await call(server, acme, 'GET', '/api/groups');
    assert.equal(response.statusCode, 200, response.body);
    const listed = response.json<{ result: GroupView[] }>().result.find((each) => each.id === group.id);
    assert.deepEqual(listed?.members, [ref(ann)]);
  });
});

describe('resources and permissions', () => {
  test('creates a resource with 201 and logs resource.created', async () => {
    const response = await call(server, acme, 'POST', '/api/resources', { type: 'dashboard', name: 'Revenue' });
    assert.equal(response.statusCode, 201, response.body);
    const resource = response.json<ResourceView>();
    assert.deepEqual([resource.type, resource.name], ['dashboard', 'Revenue']);
    const event = await onlyEventOf(server, acme, 'resource.created', response);
    assert.equal(event.category, 'permission');
    assert.deepEqual(event.details, { resource: { type: 'dashboard', id: resource.id, name: 'Revenue' } });
    assertAttribution(event, response, 'POST /api/resources', await automationActor(server, acme));
    const listed = await call(server, acme, 'GET', '/api/resources');
    assert.ok(listed.json<{ result: ResourceView[] }>().result.some((each) => each.id === resource.id));
  });

  for (const [what, body] of [
    ['an uppercase type', { type: 'Project', name: 'x' }],
    ['a type with a space', { type: 'my project', name: 'x' }],
    ['no name', { type: 'project' }],
    ['an unknown field', { type: 'project', name: 'x', owner: 'me' }],
  ] as const) {
    test(`answers 400 INVALID_REQUEST to a resource with ${what}`, async () => {
      const response = await call(server, acme, 'POST', '/api/resources', body);
      assertError(response, 400, 'INVALID_REQUEST');
      assert.deepEqual(await eventsOfRequest(server, acme, response), []);
    });
  }

  test('sets a user’s access step by step, each change logged with before and after, none for no change', async () => {
    const resource = await newResource();
    const ann = await addMember(server, acme, 'ann-perm');
    const subject = { kind: 'user', id: ann.id };
    const url = `/api/resources/${resource.id}/permissions`;
    const steps: [string, unknown, unknown][] = [
      ['read', null, { access: 'read' }],
      ['admin', { access: 'read' }, { access: 'admin' }],
      ['none', { access: 'admin' }, null],
    ];
    for (const [access, before, after] of steps) {
      const response = await call(server, acme, 'PUT', url, { subject, access });
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), {
        resource: { type: 'project', id: resource.id, name: resource.name },
        subject: { kind: 'user', id: ann.id, name: ann.name },
        access,
      });
      const event = await onlyEventOf(server, acme, 'permission.updated', response);
      assert.deepEqual(event.details, {
        resource: { type: 'project', id: resource.id, name: resource.name },
        subject: { kind: 'user', id: ann.id, name: ann.name },
        before,
        after,
      });
      assertAttribution(event, response, 'PUT /api/resources/:id/permissions', await automationActor(server, acme));
    }
    assert.equal(await server.runtime.store.platform.permission(acme.org.id, resource.id, { kind: 'user', id: ann.id }), null);
    const expected: [string, number][] = [['none', 0], ['write', 1], ['write', 0]];
    for (const [access, events] of expected) {
      const response = await call(server, acme, 'PUT', url, { subject, access });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal((await eventsOfRequest(server, acme, response)).length, events, `to ${access}`);
    }
    assert.equal(await server.runtime.store.platform.permission(acme.org.id, resource.id, { kind: 'user', id: ann.id }), 'write');
  });

  test('logs nothing when the access asked for is the access held', async () => {
    const resource = await newResource();
    const ann = await addMember(server, acme, 'ann-same');
    const url = `/api/resources/${resource.id}/permissions`;
    const none = await call(server, acme, 'PUT', url, { subject: { kind: 'user', id: ann.id }, access: 'none' });
    assert.equal(none.statusCode, 200, none.body);
    assert.deepEqual(await eventsOfRequest(server, acme, none), []);
    assert.equal((await call(server, acme, 'PUT', url, { subject: { kind: 'user', id: ann.id }, access: 'write' })).statusCode, 200);
    const again = await call(server, acme, 'PUT', url, { subject: { kind: 'user', id: ann.id }, access: 'write' });
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(await eventsOfRequest(server, acme, again), []);
  });

  test('sets a group’s access, naming the group as the subject', async () => {
    const resource = await newResource();
    const group = await newGroup();
    const response = await call(server, acme, 'PUT', `/api/resources/${resource.id}/permissions`, {
      subject: { kind: 'group', id: group.id },
      access: 'write',
    });
    assert.equal(response.statusCode, 200, response.body);
    const event = await onlyEventOf(server, acme, 'permission.updated', response);
    assert.deepEqual(event.details['subject'], { kind: 'group', id: group.id, name: group.name });
    assert.deepEqual([event.details['before'], event.details['after']], [null, { access: 'write' }]);
    // A user and a group with the same id would be different subjects: the group's grant is not the user's.
    assert.equal(await server.runtime.store.platform.permission(acme.org.id, resource.id, { kind: 'user', id: group.id }), null);
  });

  test('answers 404 NOT_FOUND for an unknown resource or subject, and another org’s', async () => {
    const resource = await newResource();
    const theirs = await newResource(beta);
    const ann = await addMember(server, acme, 'ann-404');
    const foreign = await addMember(server, beta, 'foreign-404');
    const cases: [string, unknown][] = [
      ['/api/resources/no-such-resource/permissions', { subject: { kind: 'user', id: ann.id }, access: 'read' }],
      [`/api/resources/${theirs.id}/permissions`, { subject: { kind: 'user', id: ann.id }, access: 'read' }],
      [`/api/resources/${resource.id}/permissions`, { subject: { kind: 'user', id: 'no-such-user' }, access: 'read' }],
      [`/api/resources/${resource.id}/permissions`, { subject: { kind: 'user', id: foreign.id }, access: 'read' }],
      [`/api/resources/${resource.id}/permissions`, { subject: { kind: 'group', id: ann.id }, access: 'read' }],
    ];
    for (const [url, body] of cases) {
      const response = await call(server, acme, 'PUT', url, body);
      assertError(response, 404, 'NOT_FOUND');
      assert.deepEqual(await eventsOfRequest(server, acme, response), []);
    }
  });

  test('lists who has access to a resource by name, users before groups, and logs nothing', async () => {
    const resource = await newResource();
    const untouched = await newResource();
    const ann = await addMember(server, acme, 'ann-listed', { name: 'Ann Listed' });
    const bob = await addMember(server, acme, 'bob-listed', { name: 'Bob Listed' });
    const group = await newGroup();
    const url = `/api/resources/${resource.id}/permissions`;
    for (const [subject, access] of [
      [{ kind: 'group', id: group.id }, 'write'],
      [{ kind: 'user', id: ann.id }, 'read'],
      [{ kind: 'user', id: bob.id }, 'admin'],
      [{ kind: 'user', id: bob.id }, 'none'],
    ] as const) {
      assert.equal((await call(server, acme, 'PUT', url, { subject, access })).statusCode, 200);
    }
    const response = await call(server, acme, 'GET', url);
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), {
      result: [
        { subject: { kind: 'user', id: ann.id, name: 'Ann Listed' }, access: 'read' },
        { subject: { kind: 'group', id: group.id, name: group.name }, access: 'write' },
      ],
    });
    assert.deepEqual(await eventsOfRequest(server, acme, response), []);
    assert.deepEqual((await call(server, acme, 'GET', `/api/resources/${untouched.id}/permissions`)).json(), { result: [] });
  });

  test('answers 404 NOT_FOUND to listing the access of an unknown resource or another org’s', async () => {
    const theirs = await newResource(beta);
    for (const id of ['no-such-resource', theirs.id]) {
      assertError(await call(server, acme, 'GET', `/api/resources/${id}/permissions`), 404, 'NOT_FOUND');
    }
  });

  for (const [what, body] of [
    ['an unknown access level', { subject: { kind: 'user', id: 'x' }, access: 'owner' }],
    ['an unknown subject kind', { subject: { kind: 'service_account', id: 'x' }, access: 'read' }],
    ['no subject', { access: 'read' }],
    ['access null', { subject: { kind: 'user', id: 'x' }, access: null }],
  ] as const) {
    test(`answers 400 INVALID_REQUEST to a permission with ${what}`, async () => {
      const resource = await newResource();
      assertError(await call(server, acme, 'PUT', `/api/resources/${resource.id}/permissions`, body), 400, 'INVALID_REQUEST');
    });
  }
});

describe('who may manage groups, resources and permissions', () => {
  test('refuses a reader service account holding platform:admin, and logs access.denied', async () => {
    const reader = await extraToken(server, acme, { accountName: 'reader-groups', role: 'reader', scopes: ['platform:admin'] });
    const resource = await newResource();
    const group = await newGroup();
    const cases: [string, 'POST' | 'PATCH' | 'PUT', string, unknown][] = [
      ['POST /api/groups', 'POST', '/api/groups', { name: unique('nope') }],
      ['PATCH /api/groups/:id/members', 'PATCH', `/api/groups/${group.id}/members`, { add: [] }],
      ['POST /api/resources', 'POST', '/api/resources', { type: 'project', name: 'nope' }],
      ['PUT /api/resources/:id/permissions', 'PUT', `/api/resources/${resource.id}/permissions`, { subject: { kind: 'group', id: group.id }, access: 'read' }],
    ];
    for (const [endpoint, method, url, body] of cases) {
      const response = await call(server, acme, method, url, body, reader.secret);
      await assertDenied(server, acme, response, { endpoint, reason: 'not_admin', required: 'role:admin' });
    }
  });

  test('refuses a writer service account\u2019s token too: a token administers only for an admin owner', async () => {
    const writer = await extraToken(server, acme, { accountName: 'writer-resources', role: 'writer', scopes: ['platform:admin'] });
    const response = await call(server, acme, 'POST', '/api/resources', { type: 'project', name: 'by a writer' }, writer.secret);
    await assertDenied(server, acme, response, { endpoint: 'POST /api/resources', reason: 'not_admin', required: 'role:admin' });
  });

  test('lets a writer who signed in create resources', async () => {
    const writer = await addMember(server, acme, 'writer-person', { role: 'writer' });
    const response = await call(server, acme, 'POST', '/api/resources', { type: 'project', name: 'by a writer' }, await memberSession(server, acme, writer));
    assert.equal(response.statusCode, 201, response.body);
    const event = await onlyEventOf(server, acme, 'resource.created', response);
    assert.deepEqual(event.user, userActor(writer));
  });

  test('lets a member with groups:manage manage others’ membership but not their own', async () => {
    const manager = await addMember(server, acme, 'group-manager', { privileges: ['groups:manage'] });
    const ann = await addMember(server, acme, 'ann-managed');
    const token = await memberSession(server, acme, manager);
    const group = await newGroup(acme, token);
    const added = await call(server, acme, 'PATCH', `/api/groups/${group.id}/members`, { add: [ann.id] }, token);
    assert.equal(added.statusCode, 200, added.body);
    const self = await call(server, acme, 'PATCH', `/api/groups/${group.id}/members`, { add: [manager.id] }, token);
    await assertDenied(server, acme, self, { endpoint: 'PATCH /api/groups/:id/members', reason: 'own_rights', required: 'role:admin' });
    assert.deepEqual(await memberIdsOf(group.id), [ann.id]);
  });

  test('shows who has access only to an admin or a member with permissions:manage; a writer is refused with access.denied', async () => {
    const resource = await newResource();
    const url = `/api/resources/${resource.id}/permissions`;
    const manager = await addMember(server, acme, 'perm-lister', { privileges: ['permissions:manage'] });
    assert.equal((await call(server, acme, 'GET', url, undefined, await memberSession(server, acme, manager))).statusCode, 200);
    const writer = await addMember(server, acme, 'writer-lister', { role: 'writer', privileges: ['resources:create'] });
    const refused = await call(server, acme, 'GET', url, undefined, await memberSession(server, acme, writer));
    await assertDenied(server, acme, refused, { endpoint: 'GET /api/resources/:id/permissions', reason: 'missing_privilege', required: 'privilege:permissions:manage' });
  });

  test('lets a member with permissions:manage grant others, but not themselves or a group of theirs', async () => {
    const manager = await addMember(server, acme, 'perm-manager', { privileges: ['permissions:manage'] });
    const ann = await addMember(server, acme, 'ann-granted');
    const token = await memberSession(server, acme, manager);
    const resource = await newResource();
    const group = await newGroup();
    await call(server, acme, 'PATCH', `/api/groups/${group.id}/members`, { add: [manager.id] });
    const url = `/api/resources/${resource.id}/permissions`;
    assert.equal((await call(server, acme, 'PUT', url, { subject: { kind: 'user', id: ann.id }, access: 'write' }, token)).statusCode, 200);
    for (const subject of [{ kind: 'user', id: manager.id }, { kind: 'group', id: group.id }]) {
      const response = await call(server, acme, 'PUT', url, { subject, access: 'admin' }, token);
      await assertDenied(server, acme, response, { endpoint: 'PUT /api/resources/:id/permissions', reason: 'own_rights', required: 'role:admin' });
    }
    const platform = server.runtime.store.platform;
    assert.equal(await platform.permission(acme.org.id, resource.id, { kind: 'user', id: manager.id }), null);
    assert.equal(await platform.permission(acme.org.id, resource.id, { kind: 'group', id: group.id }), null);
  });
});

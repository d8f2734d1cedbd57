// An event exists if and only if its change committed (DESIGN §6): a second server runs over the
// same store wrapped so that a transaction fails after its work is done (the change made and its
// event recorded) but before it commits. Every administration change must then leave neither the
// change nor the event; the same request without the fault does both, so each check can fail.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { after, before, describe, test } from 'node:test';
import type { EventDraft } from '../src/core/events/envelope.ts';
import type { EventType } from '../src/core/events/catalogue.ts';
import type { Store, Transaction } from '../src/core/ports/store.ts';
import { buildServer } from '../src/http/build-server.ts';
import { addMember, countOf, warm } from './support/admin-helpers.ts';
import { assertError, authed } from './support/http-helpers.ts';
import { startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
}

/** The store, but a transaction that records an event of the armed type throws once its work is done. */
class FaultyStore implements Store {
  armed: EventType | null = null;
  readonly kind: Store['kind'];
  readonly warnings: Store['warnings'] = [];
  readonly alone: Store['alone'];
  readonly trail: Store['trail'];
  readonly platform: Store['platform'];

  constructor(private readonly inner: Store) {
    this.kind = inner.kind;
    this.trail = inner.trail;
    this.platform = inner.platform;
    this.alone = (name, work) => inner.alone(name, work);
  }

  transact<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.inner.transact(async (tx) => {
      const recorded: EventType[] = [];
      const spy = new Proxy(tx, {
        get(target, property, receiver) {
          if (property === 'record') {
            return (orgId: string, draft: EventDraft) => {
              target.record(orgId, draft);
              recorded.push(draft.type);
            };
          }
          const value: unknown = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
      const result = await work(spy);
      if (this.armed !== null && recorded.includes(this.armed)) throw new InjectedFault(`failing ${this.armed} before commit`);
      return result;
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

let server: TestServer;
let acme: TestOrg;
let store: FaultyStore;
let faulty: FastifyInstance;

before(async () => {
  server = await startTestServer();
  acme = await server.createOrg('acme');
  store = new FaultyStore(server.runtime.store);
  faulty = await buildServer({ ...server.runtime.deps, store }, { logger: false, version: 'test' });
  await faulty.ready();
  await warm(server, acme, acme.adminToken);
});

after(async () => {
  await faulty.close();
  await server.close();
});

function send(method: 'POST' | 'PATCH' | 'PUT', url: string, body: unknown, token: string | null = acme.adminToken): Promise<LightMyRequestResponse> {
  const request = authed(acme, method, url, body, token ?? '');
  if (token === null) delete (request.headers as Record<string, string>)['authorization'];
  return faulty.inject(request);
}

/**
 * Sends the request with the fault armed for `type`: a 500, no such event, and `unchanged` still
 * true; then without the fault: a success, one more such event, and `unchanged` false.
 */
async function assertAtomic(
  type: EventType,
  request: () => Promise<LightMyRequestResponse>,
  unchanged: () => Promise<boolean>,
  status = 200,
): Promise<void> {
  const before = await countOf(server, acme, type);
  store.armed = type;
  try {
    assertError(await request(), 500, 'INTERNAL');
  } finally {
    store.armed = null;
  }
  assert.equal(await countOf(server, acme, type), before, `no ${type} after the failed transaction`);
  assert.ok(await unchanged(), 'the change was rolled back');

  const response = await request();
  assert.equal(response.statusCode, status, response.body);
  assert.equal(await countOf(server, acme, type), before + 1, `one ${type} once it commits`);
  assert.ok(!(await unchanged()), 'the change committed');
}

const platform = () => server.runtime.store.platform;

describe('a change that fails before it commits', () => {
  test('leaves neither a role change nor user.role.updated', async () => {
    const bo = await addMember(server, acme, 'bo');
    await assertAtomic(
      'user.role.updated',
      () => send('PATCH', `/api/users/${bo.id}/role`, { role: 'admin' }),
      async () => (await platform().memberById(acme.org.id, bo.id))?.role === 'reader',
    );
  });

  test('leaves neither a privilege change nor user.privileges.updated', async () => {
    const bo = await addMember(server, acme, 'bo-priv');
    await assertAtomic(
      'user.privileges.updated',
      () => send('PATCH', `/api/users/${bo.id}/privileges`, { add: ['groups:manage'] }),
      async () => (await platform().memberById(acme.org.id, bo.id))?.privileges.length === 0,
    );
  });

  test('leaves neither an invitation nor invitation.created', async () => {
    const email = 'atomic-invitee@example.test';
    const pending = () => platform().pendingInvitation(acme.org.id, email, Date.now());
    await assertAtomic('invitation.created', () => send('POST', '/api/invitations', { email, role: 'reader' }), async () => (await pending()) === null, 201);
  });

  test('leaves neither the new member nor a used invitation nor invitation.accepted', async () => {
    const email = 'atomic-accept@example.test';
    const created = await server.inject(authed(acme, 'POST', '/api/invitations', { email, role: 'writer' }, acme.adminToken));
    assert.equal(created.statusCode, 201, created.body);
    const secret = /\/invitations\/([^/]+)$/.exec(created.json<{ acceptUrl: string }>().acceptUrl)?.[1] ?? '';
    const hash = createHash('sha256').update(secret).digest('hex');
    await assertAtomic(
      'invitation.accepted',
      () => send('POST', `/api/invitations/${secret}/accept`, { name: 'Atomic', password: 'a long enough password' }, null),
      async () =>
        (await platform().memberByEmail(acme.org.id, email)) === null && (await platform().invitationByHash(hash))?.acceptedAt === null,
      201,
    );
  });

  test('leaves neither a group nor group.created', async () => {
    const name = 'atomic-group';
    const exists = async () => (await platform().groups(acme.org.id)).some((group) => group.name === name);
    await assertAtomic('group.created', () => send('POST', '/api/groups', { name }), async () => !(await exists()), 201);
  });

  test('leaves neither a membership change nor group.membership.updated', async () => {
    const group = await server.inject(authed(acme, 'POST', '/api/groups', { name: 'atomic-members' }, acme.adminToken));
    const groupId = group.json<{ id: string }>().id;
    const bo = await addMember(server, acme, 'bo-group');
    await assertAtomic(
      'group.membership.updated',
      () => send('PATCH', `/api/groups/${groupId}/members`, { add: [bo.id] }),
      async () => (await platform().groupMemberIds(acme.org.id, groupId)).length === 0,
    );
  });

  test('leaves neither a resource nor resource.created', async () => {
    const name = 'atomic-resource';
    const exists = async () => (await platform().resources(acme.org.id)).some((resource) => resource.name === name);
    await assertAtomic('resource.created', () => send('POST', '/api/resources', { type: 'project', name }), async () => !(await exists()), 201);
  });

  test('leaves neither a permission nor permission.updated', async () => {
    const resource = await server.inject(authed(acme, 'POST', '/api/resources', { type: 'project', name: 'atomic-perm' }, acme.adminToken));
    const resourceId = resource.json<{ id: string }>().id;
    const bo = await addMember(server, acme, 'bo-perm');
    await assertAtomic(
      'permission.updated',
      () => send('PUT', `/api/resources/${resourceId}/permissions`, { subject: { kind: 'user', id: bo.id }, access: 'write' }),
      async () => (await platform().permission(acme.org.id, resourceId, { kind: 'user', id: bo.id })) === null,
    );
  });
});

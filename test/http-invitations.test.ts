// Invitations over HTTP (DESIGN §5, §6): the accept URL and its secret (shown once, kept hashed,
// never logged), 7-day expiry, single use even under concurrent accepts, 409 for a current member,
// who may invite with which role, and the events with their attribution.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { after, before, describe, test } from 'node:test';
import { ConfigError, readConfig } from '../src/config.ts';
import { serviceAccountOwner } from '../src/core/platform-model.ts';
import { createInvitation, INVITATION_TTL_MS } from '../src/platform/invitations.ts';
import { verifyPassword } from '../src/platform/passwords.ts';
import { ManualClock } from '../src/storage/contract/manual-clock.ts';
import {
  addMember,
  assertAttribution,
  assertDenied,
  automationActor,
  call,
  countOf,
  eventsOfRequest,
  memberSession,
  onlyEventOf,
} from './support/admin-helpers.ts';
import { storedBytes } from './support/stored-bytes.ts';
import { assertError, extraToken, ofType, storedEvents } from './support/http-helpers.ts';
import { OPERATOR, startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

const SECRET_IN_URL = /^http:\/\/acme\.localhost\/invitations\/(sci_[A-Za-z0-9_-]{43})$/;
const PASSWORD = 'a long enough password';

interface InvitationView {
  id: string;
  email: string;
  role: string;
  acceptUrl: string;
  expiresAt: string;
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
function freshEmail(): string {
  counter += 1;
  return `invitee-${counter}@example.test`;
}

async function invite(email: string, role = 'writer', token = acme.adminToken): Promise<{ view: InvitationView; secret: string; response: LightMyRequestResponse }> {
  const response = await call(server, acme, 'POST', '/api/invitations', { email, role }, token);
  assert.equal(response.statusCode, 201, response.body);
  const view = response.json<InvitationView>();
  const secret = SECRET_IN_URL.exec(view.acceptUrl)?.[1];
  assert.ok(secret !== undefined, view.acceptUrl);
  return { view, secret, response };
}

function accept(secret: string, body: unknown = { name: 'Ivy Invitee', password: PASSWORD }, host = acme.host) {
  return server.inject({
    method: 'POST',
    url: `/api/invitations/${secret}/accept`,
    headers: { host, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

/** An invitation made by the platform with a clock `agoMs` in the past, as if sent back then. */
async function inviteAgo(agoMs: number): Promise<{ secret: string; email: string }> {
  const automation = await server.runtime.store.platform.serviceAccountByName(acme.org.id, 'automation');
  assert.ok(automation !== null);
  const email = freshEmail();
  const deps = { store: server.runtime.store, clock: { now: () => Date.now() - agoMs } };
  const issued = await createInvitation(deps, OPERATOR, acme.org.id, { email, role: 'reader', invitedBy: serviceAccountOwner(automation) });
  return { secret: issued.secret, email };
}

describe('inviting', () => {
  test('answers 201 with id, acceptUrl and expiresAt in 7 days, and logs invitation.created', async () => {
    const email = freshEmail();
    const { view, secret, response } = await invite(email, 'writer');
    assert.equal(view.email, email);
    assert.equal(view.role, 'writer');
    assert.ok(Math.abs(Date.parse(view.expiresAt) - Date.now() - INVITATION_TTL_MS) < 60_000, 'expires in 7 days');
    assert.equal(INVITATION_TTL_MS, 7 * 86_400_000);
    const stored = await server.runtime.store.platform.invitationByHash(createHash('sha256').update(secret).digest('hex'));
    assert.equal(stored?.id, view.id);

    const event = await onlyEventOf(server, acme, 'invitation.created', response);
    assert.equal(event.category, 'invitation');
    const actor = await automationActor(server, acme);
    assert.deepEqual(event.details, {
      invitationId: view.id,
      email,
      role: 'writer',
      invitedBy: { id: actor?.id, name: 'automation', email: null },
    });
    assertAttribution(event, response, 'POST /api/invitations', actor);
  });

  test('keeps only the secret’s hash: neither the database files nor the log hold it', async () => {
    const { secret } = await invite(freshEmail());
    assert.equal((await accept(secret)).statusCode, 201);
    const hash = createHash('sha256').update(secret).digest('hex');
    const bytes = await storedBytes(server);
    assert.ok(bytes.includes(Buffer.from(hash)), 'the hash is stored (so the search below can find what is there)');
    assert.ok(!bytes.includes(Buffer.from(secret.slice(4))), 'the secret is not');
    assert.ok(!server.logLines.join('\n').includes(secret.slice(4)), 'no log line holds the secret');
    const accepts = server.logLines.filter((line) => line.includes('"route":"/api/invitations/:token/accept"'));
    assert.ok(accepts.length > 0, 'the accept request was logged by its route pattern');
    assert.ok(accepts.every((line) => !line.includes('"path"')), 'without its path, which holds the secret');
  });

  test('answers 409 CONFLICT when inviting a current member, whatever the case of the email, and logs nothing', async () => {
    const before = await countOf(server, acme, 'invitation.created');
    for (const email of ['admin@acme.test', 'ADMIN@Acme.Test']) {
      const response = await call(server, acme, 'POST', '/api/invitations', { email, role: 'reader' });
      assertError(response, 409, 'CONFLICT');
      assert.deepEqual(await eventsOfRequest(server, acme, response), []);
    }
    assert.equal(await countOf(server, acme, 'invitation.created'), before);
  });

  const badInvitations: [string, unknown][] = [
    ['an invalid email', { email: 'not-an-email', role: 'reader' }],
    ['an unknown role', { email: 'x@example.test', role: 'owner' }],
    ['no role', { email: 'x@example.test' }],
    ['an unknown field', { email: 'x@example.test', role: 'reader', message: 'hi' }],
  ];
  for (const [what, body] of badInvitations) {
    test(`answers 400 INVALID_REQUEST to an invitation with ${what}`, async () => {
      const response = await call(server, acme, 'POST', '/api/invitations', body);
      assertError(response, 400, 'INVALID_REQUEST');
      assert.deepEqual(await eventsOfRequest(server, acme, response), []);
    });
  }

  test('refuses a reader service account holding platform:admin, and logs access.denied', async () => {
    const reader = await extraToken(server, acme, { accountName: 'reader-inviter', role: 'reader', scopes: ['platform:admin'] });
    const response = await call(server, acme, 'POST', '/api/invitations', { email: freshEmail(), role: 'reader' }, reader.secret);
    await assertDenied(server, acme, response, { endpoint: 'POST /api/invitations', reason: 'not_admin', required: 'role:admin' });
  });

  test('lets a writer with members:invite invite up to writer, never an admin', async () => {
    const writer = await addMember(server, acme, 'writer-inviter', { role: 'writer', privileges: ['members:invite'] });
    const token = await memberSession(server, acme, writer);
    const { response } = await invite(freshEmail(), 'writer', token);
    const event = await onlyEventOf(server, acme, 'invitation.created', response);
    assert.deepEqual(event.details['invitedBy'], { id: writer.id, name: writer.name, email: writer.email });
    const before = await countOf(server, acme, 'invitation.created');
    const refused = await call(server, acme, 'POST', '/api/invitations', { email: freshEmail(), role: 'admin' }, token);
    await assertDenied(server, acme, refused, { endpoint: 'POST /api/invitations', reason: 'role_above_own', required: 'role:admin' });
    assert.equal(await countOf(server, acme, 'invitation.created'), before);
  });
});

describe('listing pending invitations', () => {
  interface PendingView {
    id: string;
    email: string;
    role: string;
    invitedBy: { id: string; name: string; email: string | null };
    createdAt: string;
    expiresAt: string;
  }

  const pending = async (token = acme.adminToken) => {
    const response = await call(server, acme, 'GET', '/api/invitations', undefined, token);
    assert.equal(response.statusCode, 200, response.body);
    return { response, result: response.json<{ result: PendingView[] }>().result };
  };

  test('lists the open ones newest first, with who sent them, without any secret, and logs nothing', async () => {
    const older = await inviteAgo(2 * 86_400_000);
    const expired = await inviteAgo(INVITATION_TTL_MS + 60_000);
    const { view, secret, response: created } = await invite(freshEmail(), 'reader');
    const accepted = await invite(freshEmail());
    assert.equal((await accept(accepted.secret)).statusCode, 201);

    const { response, result } = await pending();
    const emails = result.map((item) => item.email);
    assert.ok(emails.indexOf(view.email) < emails.indexOf(older.email), emails.join());
    assert.ok(emails.indexOf(view.email) >= 0 && emails.indexOf(older.email) >= 0);
    assert.ok(!emails.includes(expired.email), 'an expired invitation is not pending');
    assert.ok(!emails.includes(accepted.view.email), 'an accepted invitation is not pending');
    const creation = await onlyEventOf(server, acme, 'invitation.created', created);
    assert.deepEqual(result.find((item) => item.id === view.id), {
      id: view.id,
      email: view.email,
      role: 'reader',
      invitedBy: creation.details['invitedBy'],
      createdAt: new Date(Date.parse(view.expiresAt) - INVITATION_TTL_MS).toISOString(),
      expiresAt: view.expiresAt,
    });
    assert.ok(!response.body.includes(secret) && !response.body.includes(createHash('sha256').update(secret).digest('hex')));
    assert.deepEqual(await eventsOfRequest(server, acme, response), []);
  });

  test('leaves out an invitation whose email became a member through another one', async () => {
    const email = freshEmail();
    const first = await invite(email);
    const second = await invite(email);
    assert.equal((await accept(second.secret)).statusCode, 201);
    const { result } = await pending();
    assert.ok(!result.some((item) => item.id === first.view.id || item.id === second.view.id), 'neither is pending once the email is a member');
    // It could only have answered 409.
    assertError(await accept(first.secret), 409, 'CONFLICT');
  });

  test("shows no other org's invitations", async () => {
    const theirs = await call(server, beta, 'POST', '/api/invitations', { email: freshEmail(), role: 'reader' });
    assert.equal(theirs.statusCode, 201, theirs.body);
    const { result } = await pending();
    assert.ok(!result.some((item) => item.id === theirs.json<InvitationView>().id));
  });

  test('lets a member with members:invite list them, and refuses one without it with access.denied', async () => {
    const inviter = await addMember(server, acme, 'pending-lister', { privileges: ['members:invite'] });
    await pending(await memberSession(server, acme, inviter));
    const other = await addMember(server, acme, 'pending-nosy', { privileges: ['groups:manage'] });
    const refused = await call(server, acme, 'GET', '/api/invitations', undefined, await memberSession(server, acme, other));
    await assertDenied(server, acme, refused, { endpoint: 'GET /api/invitations', reason: 'missing_privilege', required: 'privilege:members:invite' });
  });
});

describe('accepting', () => {
  test('answers 201 {userId}, makes a member with the invited role and password, and logs invitation.accepted by the new member', async () => {
    const email = freshEmail();
    const { view, secret } = await invite(email, 'writer');
    const response = await accept(secret, { name: 'Ivy Invitee', password: PASSWORD });
    assert.equal(response.statusCode, 201, response.body);
    const { userId } = response.json<{ userId: string }>();
    assert.deepEqual(Object.keys(response.json()), ['userId']);
    const member = await server.runtime.store.platform.memberById(acme.org.id, userId);
    assert.ok(member !== null);
    assert.deepEqual([member.email, member.name, member.role, member.privileges], [email, 'Ivy Invitee', 'writer', []]);
    assert.ok(member.passwordHash !== null && (await verifyPassword(member.passwordHash, PASSWORD)));

    const event = await onlyEventOf(server, acme, 'invitation.accepted', response);
    const inviter = await automationActor(server, acme);
    assert.deepEqual(event.details, {
      invitationId: view.id,
      email,
      role: 'writer',
      invitedBy: { id: inviter?.id, name: 'automation', email: null },
    });
    assertAttribution(event, response, 'POST /api/invitations/:token/accept', { kind: 'user', id: userId, name: 'Ivy Invitee', email });
    assert.ok(!JSON.stringify(event).includes(PASSWORD) && !JSON.stringify(event).includes(secret.slice(4)));
    const stored = await server.runtime.store.platform.invitationByHash(createHash('sha256').update(secret).digest('hex'));
    assert.equal(stored?.acceptedUserId, userId);
  });

  test('accepts an invitation once: a second accept is 409 CONFLICT and logs nothing', async () => {
    const { secret } = await invite(freshEmail());
    assert.equal((await accept(secret)).statusCode, 201);
    const again = await accept(secret, { name: 'Someone Else', password: 'another long password' });
    assertError(again, 409, 'CONFLICT');
    assert.deepEqual(await eventsOfRequest(server, acme, again), []);
  });

  test('lets exactly one of two concurrent accepts win', async () => {
    const email = freshEmail();
    const { view, secret } = await invite(email);
    const responses = await Promise.all([
      accept(secret, { name: 'First', password: PASSWORD }),
      accept(secret, { name: 'Second', password: 'a different long password' }),
    ]);
    assert.deepEqual(responses.map((response) => response.statusCode).sort(), [201, 409]);
    const members = (await server.runtime.store.platform.members(acme.org.id)).filter((member) => member.email === email);
    assert.equal(members.length, 1);
    const accepted = ofType(await storedEvents(server, acme.org.id), 'invitation.accepted').filter(
      (event) => event.details['invitationId'] === view.id,
    );
    const winner = responses.find((response) => response.statusCode === 201)!;
    assert.deepEqual(accepted.map((event) => event.requestId), [winner.headers['x-request-id']]);
    const loser = responses.find((response) => response.statusCode === 409)!;
    assert.deepEqual(await eventsOfRequest(server, acme, loser), []);
  });

  test('answers 404 NOT_FOUND to an invitation older than 7 days, and creates no member', async () => {
    const { secret, email } = await inviteAgo(INVITATION_TTL_MS + 60_000);
    const response = await accept(secret);
    assertError(response, 404, 'NOT_FOUND');
    assert.equal(await server.runtime.store.platform.memberByEmail(acme.org.id, email), null);
    assert.deepEqual(await eventsOfRequest(server, acme, response), []);
  });

  test('still accepts an invitation a minute short of 7 days old', async () => {
    const { secret, email } = await inviteAgo(INVITATION_TTL_MS - 60_000);
    assert.equal((await accept(secret)).statusCode, 201);
    assert.ok((await server.runtime.store.platform.memberByEmail(acme.org.id, email)) !== null);
  });

  test('answers 404 NOT_FOUND to an unknown or malformed secret', async () => {
    for (const secret of [`sci_${'A'.repeat(43)}`, 'not-a-secret', 'sct_abc']) {
      assertError(await accept(secret), 404, 'NOT_FOUND');
    }
  });

  test('answers 404 NOT_FOUND under another org’s host, without using the invitation up', async () => {
    const { secret } = await invite(freshEmail());
    assertError(await accept(secret, undefined, beta.host), 404, 'NOT_FOUND');
    assertError(await accept(secret, undefined, 'nosuchorg.localhost'), 404, 'NOT_FOUND');
    assert.equal((await accept(secret, undefined, 'localhost')).statusCode, 201, 'a host naming no org uses the invitation’s');
  });

  test('answers 409 CONFLICT when the email became a member meanwhile', async () => {
    const email = freshEmail();
    const { secret } = await invite(email);
    const { secret: second } = await invite(email);
    assert.equal((await accept(second)).statusCode, 201);
    assertError(await accept(secret), 409, 'CONFLICT');
  });

  const badAcceptances: [string, unknown][] = [
    ['a password of 11 characters', { name: 'Ivy', password: 'x'.repeat(11) }],
    ['no password', { name: 'Ivy' }],
    ['a blank name', { name: '   ', password: PASSWORD }],
    ['a name with a control character', { name: 'Ivy\u0000', password: PASSWORD }],
    ['an unknown field', { name: 'Ivy', password: PASSWORD, role: 'admin' }],
  ];
  for (const [what, body] of badAcceptances) {
    test(`answers 400 INVALID_REQUEST to an acceptance with ${what}, and the invitation stays usable`, async () => {
      const { secret } = await invite(freshEmail());
      assertError(await accept(secret, body), 400, 'INVALID_REQUEST');
      assert.equal((await accept(secret)).statusCode, 201);
    });
  }
});

describe('expiry on the server’s clock', () => {
  test('accepts until 7 days have passed, and answers 404 NOT_FOUND from then on', async () => {
    const clock = new ManualClock(Date.now());
    const timed = await startTestServer({}, { clock });
    try {
      const org = await timed.createOrg('acme');
      const send = (url: string, body: unknown, headers: Record<string, string> = {}) =>
        timed.inject({ method: 'POST', url, headers: { host: org.host, 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
      const secrets: string[] = [];
      for (const email of ['on-time@example.test', 'late@example.test']) {
        const response = await send('/api/invitations', { email, role: 'reader' }, { authorization: `Token token=${org.adminToken}` });
        assert.equal(response.statusCode, 201, response.body);
        assert.equal(Date.parse(response.json<InvitationView>().expiresAt), clock.now() + INVITATION_TTL_MS);
        secrets.push(SECRET_IN_URL.exec(response.json<InvitationView>().acceptUrl)?.[1] ?? '');
      }
      const body = { name: 'Ivy', password: PASSWORD };
      clock.advance(INVITATION_TTL_MS - 1);
      assert.equal((await send(`/api/invitations/${secrets[0]}/accept`, body)).statusCode, 201);
      clock.advance(1);
      assertError(await send(`/api/invitations/${secrets[1]}/accept`, body), 404, 'NOT_FOUND');
      assert.equal(await timed.runtime.store.platform.memberByEmail(org.org.id, 'late@example.test'), null);
    } finally {
      await timed.close();
    }
  });
});

describe('a public URL', () => {
  test('builds acceptUrl on SECTRAIL_PUBLIC_URL when it is set', async () => {
    const other = await startTestServer({ SECTRAIL_PUBLIC_URL: 'https://sectrail.example.com/base/' });
    try {
      const org = await other.createOrg('acme');
      const response = await other.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: { host: org.host, authorization: `Token token=${org.adminToken}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ email: 'someone@example.test', role: 'reader' }),
      });
      assert.equal(response.statusCode, 201, response.body);
      assert.match(response.json<InvitationView>().acceptUrl, /^https:\/\/sectrail\.example\.com\/base\/invitations\/sci_[A-Za-z0-9_-]{43}$/);
    } finally {
      await other.close();
    }
  });

  test('refuses a SECTRAIL_PUBLIC_URL that is not an http(s) URL, and trims a trailing slash', () => {
    for (const value of ['ftp://example.com', 'example.com', 'https://example.com/?a=1', 'https://user:pw@example.com']) {
      assert.throws(() => readConfig({ SECTRAIL_PUBLIC_URL: value }), ConfigError, value);
    }
    assert.equal(readConfig({ SECTRAIL_PUBLIC_URL: 'https://Sectrail.example.com/' }).publicUrl, 'https://sectrail.example.com');
    assert.equal(readConfig({}).publicUrl, null);
  });
});

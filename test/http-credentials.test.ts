// Service accounts and access tokens over HTTP (DESIGN §3, §6): what each endpoint answers, who
// may call it, that a token's secret is shown once and never again, and that each change is an
// event naming the actor, the route pattern, the request id and the caller's address.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { after, before, describe, test } from 'node:test';
import {
  assertError,
  authed,
  extraToken,
  ofType,
  storedEvents,
  tokenIdOf,
  TRAIL_URL,
  type Envelope,
} from './support/http-helpers.ts';
import { dayBody, startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

const TOKEN_PATTERN = /^sct_[A-Za-z0-9_-]{43}$/;

interface ServiceAccountView {
  id: string;
  name: string;
  role: string;
  createdAt: string;
}

interface TokenView {
  id: string;
  name: string;
  scopes: string[];
  owner: { kind: string; id: string; name: string };
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  token?: string;
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

function asAdmin(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, org: TestOrg = acme) {
  return server.inject(authed(org, method, url, body, org.adminToken));
}

async function createAccount(name: string, org: TestOrg = acme): Promise<ServiceAccountView> {
  const response = await asAdmin('POST', '/api/service-accounts', { name }, org);
  assert.equal(response.statusCode, 201, response.body);
  return response.json<ServiceAccountView>();
}

async function createToken(body: Record<string, unknown>, org: TestOrg = acme): Promise<{ view: TokenView; response: LightMyRequestResponse }> {
  const response = await asAdmin('POST', '/api/tokens', body, org);
  assert.equal(response.statusCode, 201, response.body);
  return { view: response.json<TokenView>(), response };
}

/** The single event of this type written by the request with this id. */
async function eventOf(org: TestOrg, type: string, response: LightMyRequestResponse): Promise<Envelope> {
  const requestId = String(response.headers['x-request-id']);
  const matching = ofType(await storedEvents(server, org.org.id), type).filter((event) => event.requestId === requestId);
  assert.equal(matching.length, 1, `one ${type} for request ${requestId}`);
  return matching[0]!;
}

async function assertActor(org: TestOrg, event: Envelope, response: LightMyRequestResponse, endpoint: string): Promise<void> {
  const adminRecord = await server.runtime.store.platform.tokenByHash(
    createHash('sha256').update(org.adminToken).digest('hex'),
  );
  assert.ok(adminRecord !== null);
  assert.deepEqual(event.user, { kind: 'service_account', id: adminRecord.ownerId, name: 'automation', email: null });
  assert.equal(event.outcome, 'success');
  assert.equal(event.endpoint, endpoint);
  assert.equal(event.requestId, response.headers['x-request-id']);
  assert.equal(event.ipAddress, '127.0.0.1');
}

describe('service accounts', () => {
  test('creates a service account with 201 and its id and name, and logs service_account.created', async () => {
    const response = await asAdmin('POST', '/api/service-accounts', { name: 'exporter' });
    assert.equal(response.statusCode, 201, response.body);
    const account = response.json<ServiceAccountView>();
    assert.equal(typeof account.id, 'string');
    assert.ok(account.id.length > 0);
    assert.equal(account.name, 'exporter');
    const event = await eventOf(acme, 'service_account.created', response);
    assert.deepEqual(event.details, { serviceAccount: { id: account.id, name: 'exporter' } });
    assert.equal(event.category, 'access');
    await assertActor(acme, event, response, 'POST /api/service-accounts');
  });

  test('answers 409 CONFLICT for a name the org already uses, and writes no event', async () => {
    await createAccount('duplicate');
    const before = ofType(await storedEvents(server, acme.org.id), 'service_account.created').length;
    assertError(await asAdmin('POST', '/api/service-accounts', { name: 'duplicate' }), 409, 'CONFLICT');
    assert.equal(ofType(await storedEvents(server, acme.org.id), 'service_account.created').length, before);
    // Another org may use the same name.
    await createAccount('duplicate', beta);
  });

  const badBodies: [string, unknown][] = [
    ['an empty body object', {}],
    ['an empty name', { name: '' }],
    ['a blank name', { name: '   ' }],
    ['a name with a control character', { name: 'bad\u0007name' }],
    ['a name that is not a string', { name: 42 }],
    ['a name longer than 64 characters', { name: 'x'.repeat(65) }],
    ['an unknown role', { name: 'roleless', role: 'owner' }],
    ['an unknown field', { name: 'extra', color: 'red' }],
    ['an array', [{ name: 'array' }]],
  ];
  for (const [what, body] of badBodies) {
    test(`answers 400 INVALID_REQUEST to a service account with ${what}`, async () => {
      assertError(await asAdmin('POST', '/api/service-accounts', body), 400, 'INVALID_REQUEST');
    });
  }

  test('lists the org’s service accounts and no other org’s', async () => {
    const mine = await createAccount('listed');
    const theirs = await createAccount('theirs', beta);
    const response = await asAdmin('GET', '/api/service-accounts');
    assert.equal(response.statusCode, 200, response.body);
    const { result } = response.json<{ result: ServiceAccountView[] }>();
    const names = result.map((account) => account.name);
    assert.ok(names.includes('siem') && names.includes('automation') && names.includes('listed'));
    assert.ok(result.some((account) => account.id === mine.id));
    assert.ok(!result.some((account) => account.id === theirs.id));
  });
});

describe('tokens', () => {
  test('issues a token with 201, its secret shown once as `token`, and logs token.created without the secret', async () => {
    const account = await createAccount('token-owner');
    const { view, response } = await createToken({
      name: 'splunk',
      serviceAccountId: account.id,
      scopes: ['security-log:read'],
      expiresInDays: 30,
    });
    assert.match(view.token ?? '', TOKEN_PATTERN);
    assert.equal(view.name, 'splunk');
    assert.deepEqual(view.scopes, ['security-log:read']);
    assert.deepEqual(view.owner, { kind: 'service_account', id: account.id, name: 'token-owner' });
    assert.ok(view.expiresAt !== null);
    const expiresInMs = Date.parse(view.expiresAt) - Date.now();
    assert.ok(Math.abs(expiresInMs - 30 * 86_400_000) < 60_000, 'expires in 30 days');

    const event = await eventOf(acme, 'token.created', response);
    assert.deepEqual(event.details, {
      token: { id: view.id, name: 'splunk', scopes: ['security-log:read'], expiresAt: view.expiresAt },
      owner: { kind: 'service_account', id: account.id, name: 'token-owner' },
    });
    await assertActor(acme, event, response, 'POST /api/tokens');
    assert.ok(!JSON.stringify(await storedEvents(server, acme.org.id)).includes(view.token ?? 'sct_'));
    assert.ok(!server.logLines.join('\n').includes(view.token ?? 'sct_'), 'no log line holds the secret');

    // The secret works, for its org.
    const used = await server.inject(authed(acme, 'POST', TRAIL_URL, dayBody(), view.token));
    assert.equal(used.statusCode, 200, used.body);
  });

  test("makes the caller the owner of a token issued without serviceAccountId", async () => {
    const { view, response } = await createToken({ name: 'mine', scopes: ['platform:admin'] });
    const event = await eventOf(acme, 'token.created', response);
    assert.equal(view.owner.name, 'automation');
    assert.deepEqual(event.details['owner'], { kind: 'service_account', id: event.user?.id, name: 'automation' });
    assert.equal(view.expiresAt, null);
    assert.equal((event.details['token'] as { expiresAt: unknown }).expiresAt, null);
  });

  test('never shows a secret or a hash when listing tokens', async () => {
    const { view } = await createToken({ name: 'listed', scopes: ['security-log:read'] });
    const secret = view.token ?? '';
    const response = await asAdmin('GET', '/api/tokens');
    assert.equal(response.statusCode, 200, response.body);
    const { result } = response.json<{ result: Record<string, unknown>[] }>();
    const listed = result.find((token) => token['id'] === view.id);
    assert.ok(listed !== undefined);
    assert.equal(listed['name'], 'listed');
    for (const token of result) {
      assert.ok(!('token' in token) && !('hash' in token) && !('secret' in token), JSON.stringify(token));
    }
    for (const known of [secret, acme.token, acme.adminToken]) {
      assert.ok(!response.body.includes(known), 'no secret in the list');
      assert.ok(!response.body.includes(createHash('sha256').update(known).digest('hex')), 'no hash in the list');
    }
    assert.ok(!/sct_/.test(response.body));
  });

  const badTokens: [string, unknown][] = [
    ['an unknown scope', { name: 'x', scopes: ['security-log:write'] }],
    ['a known and an unknown scope', { name: 'x', scopes: ['security-log:read', 'root'] }],
    ['no scopes', { name: 'x', scopes: [] }],
    ['scopes missing', { name: 'x' }],
    ['scopes as a string', { name: 'x', scopes: 'security-log:read' }],
    ['no name', { scopes: ['security-log:read'] }],
    ['expiresInDays 0', { name: 'x', scopes: ['security-log:read'], expiresInDays: 0 }],
    ['expiresInDays 1.5', { name: 'x', scopes: ['security-log:read'], expiresInDays: 1.5 }],
    ['an unknown field', { name: 'x', scopes: ['security-log:read'], secret: 'sct_mine' }],
  ];
  for (const [what, body] of badTokens) {
    test(`answers 400 INVALID_REQUEST to a token with ${what}`, async () => {
      const before = ofType(await storedEvents(server, acme.org.id), 'token.created').length;
      assertError(await asAdmin('POST', '/api/tokens', body), 400, 'INVALID_REQUEST');
      assert.equal(ofType(await storedEvents(server, acme.org.id), 'token.created').length, before);
    });
  }

  test("answers 404 NOT_FOUND for another org's or an unknown serviceAccountId", async () => {
    const theirs = await createAccount('foreign', beta);
    assertError(await asAdmin('POST', '/api/tokens', { name: 'x', serviceAccountId: theirs.id, scopes: ['security-log:read'] }), 404, 'NOT_FOUND');
    assertError(await asAdmin('POST', '/api/tokens', { name: 'x', serviceAccountId: 'no-such-id', scopes: ['security-log:read'] }), 404, 'NOT_FOUND');
  });

  test('revokes a token with 200 and token.revoked; the token then gets 401', async () => {
    const account = await createAccount('revokee');
    const { view } = await createToken({ name: 'short-lived', serviceAccountId: account.id, scopes: ['security-log:read'] });
    const secret = view.token ?? '';
    assert.equal((await server.inject(authed(acme, 'POST', TRAIL_URL, dayBody(), secret))).statusCode, 200);

    const response = await asAdmin('DELETE', `/api/tokens/${view.id}`);
    assert.equal(response.statusCode, 200, response.body);
    const revoked = response.json<TokenView>();
    assert.equal(revoked.id, view.id);
    assert.ok(revoked.revokedAt !== null);
    assert.equal(revoked.token, undefined);

    const event = await eventOf(acme, 'token.revoked', response);
    assert.deepEqual(event.details, {
      token: { id: view.id, name: 'short-lived', scopes: ['security-log:read'], expiresAt: null },
      owner: { kind: 'service_account', id: account.id, name: 'revokee' },
    });
    await assertActor(acme, event, response, 'DELETE /api/tokens/:id');

    assertError(await server.inject(authed(acme, 'POST', TRAIL_URL, dayBody(), secret)), 401, 'UNAUTHENTICATED');
  });

  test('answers a second revocation without writing a second token.revoked', async () => {
    const { view } = await createToken({ name: 'twice', scopes: ['security-log:read'] });
    const revokedFor = async () =>
      ofType(await storedEvents(server, acme.org.id), 'token.revoked').filter(
        (event) => (event.details['token'] as { id: string }).id === view.id,
      ).length;
    assert.equal((await asAdmin('DELETE', `/api/tokens/${view.id}`)).statusCode, 200);
    assert.equal(await revokedFor(), 1);
    const again = await asAdmin('DELETE', `/api/tokens/${view.id}`);
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(await revokedFor(), 1);
  });

  test("answers 404 NOT_FOUND when revoking an unknown token or another org's", async () => {
    assertError(await asAdmin('DELETE', '/api/tokens/no-such-token'), 404, 'NOT_FOUND');
    const betaReader = await tokenIdOf(server, beta.token);
    assertError(await asAdmin('DELETE', `/api/tokens/${betaReader}`), 404, 'NOT_FOUND');
    assert.equal((await server.inject(authed(beta, 'POST', TRAIL_URL, dayBody()))).statusCode, 200, "beta's token still works");
  });
});

describe('who may manage credentials', () => {
  const calls: [string, 'GET' | 'POST' | 'DELETE', string, unknown][] = [
    ['POST /api/service-accounts', 'POST', '/api/service-accounts', { name: 'intruder' }],
    ['GET /api/service-accounts', 'GET', '/api/service-accounts', undefined],
    ['POST /api/tokens', 'POST', '/api/tokens', { name: 'intruder', scopes: ['platform:admin'] }],
    ['GET /api/tokens', 'GET', '/api/tokens', undefined],
    ['DELETE /api/tokens/:id', 'DELETE', '/api/tokens/:id', undefined],
  ];

  async function assertRefusedAndLogged(token: string, reason: string, required: string): Promise<void> {
    const target = await tokenIdOf(server, acme.adminToken);
    const accountsBefore = ofType(await storedEvents(server, acme.org.id), 'service_account.created').length;
    for (const [endpoint, method, url, body] of calls) {
      const response = await server.inject(authed(acme, method, url.replace(':id', target), body, token));
      assertError(response, 403, 'FORBIDDEN');
      const denied = await eventOf(acme, 'access.denied', response);
      assert.equal(denied.outcome, 'failure');
      assert.deepEqual(denied.details, { endpoint, reason, required });
      assert.equal(denied.endpoint, endpoint);
    }
    const events = await storedEvents(server, acme.org.id);
    assert.equal(ofType(events, 'service_account.created').length, accountsBefore, 'nothing was created');
    assert.ok(!ofType(events, 'token.revoked').some((event) => (event.details['token'] as { id: string }).id === target));
    assert.equal((await server.inject(authed(acme, 'POST', TRAIL_URL, dayBody(), acme.adminToken))).statusCode, 200);
  }

  test('answers 403 FORBIDDEN to a reader token (security-log:read only) and logs access.denied', async () => {
    await assertRefusedAndLogged(acme.token, 'missing_scope', 'platform:admin');
  });

  test('answers 403 FORBIDDEN to a platform:admin token whose owner is not an admin', async () => {
    const notAdmin = await extraToken(server, acme, { accountName: 'reader-with-admin-scope', role: 'reader', scopes: ['platform:admin'] });
    await assertRefusedAndLogged(notAdmin.secret, 'not_admin', 'role:admin');
  });

  test('answers 401 to credential calls without a token, before any authorization', async () => {
    for (const [, method, url, body] of calls) {
      const request = authed(acme, method, url.replace(':id', 'x'), body);
      const headers = { ...(request.headers as Record<string, string>) };
      delete headers['authorization'];
      assertError(await server.inject({ ...request, headers }), 401, 'UNAUTHENTICATED');
    }
  });
});

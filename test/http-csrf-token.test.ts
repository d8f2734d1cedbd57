// The CSRF token (docs/decisions/0014-console-and-csrf-token.md): every change made with the
// session cookie carries the session's token besides passing the Origin check; a page learns
// whether it is signed in (and its token) from /api/auth/session without logging a failure, and
// what its sign-in page offers from /api/auth/methods.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, authed, ofType, storedEvents } from './support/http-helpers.ts';
import { ADMIN_PASSWORD, adminEmail, LOGOUT_URL, loginRequest, sessionSecretFrom, signIn } from './support/login-helpers.ts';
import { startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

let server: TestServer;
let acme: TestOrg;
let beta: TestOrg;

before(async () => {
  server = await startTestServer({ SECTRAIL_RATE_LIMIT_PER_MINUTE: '100000' });
  acme = await server.createOrg('acme');
  beta = await server.createOrg('beta');
});

after(async () => {
  await server.close();
});

/** Signs the admin in: the cookie's secret and the CSRF token the answer hands the page. */
async function signedIn(org: TestOrg): Promise<{ secret: string; csrfToken: string }> {
  const response = await server.inject(loginRequest(org, { email: adminEmail(org), password: ADMIN_PASSWORD }));
  assert.equal(response.statusCode, 200, response.body);
  return { secret: sessionSecretFrom(response), csrfToken: response.json<{ csrfToken: string }>().csrfToken };
}

function createGroup(org: TestOrg, secret: string, name: string, headers: Record<string, string>) {
  return server.inject({
    method: 'POST',
    url: '/api/groups',
    headers: { host: org.host, cookie: `sectrail_session=${secret}`, origin: `http://${org.host}`, 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ name }),
  });
}

async function groupNames(org: TestOrg): Promise<string[]> {
  return (await server.runtime.store.platform.groups(org.org.id)).map((group) => group.name);
}

describe('changes made with the cookie', () => {
  test('go through with the token the sign-in answered', async () => {
    const { secret, csrfToken } = await signedIn(acme);
    assert.match(csrfToken, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(csrfToken, secret);
    const response = await createGroup(acme, secret, 'with-token', { 'x-csrf-token': csrfToken });
    assert.equal(response.statusCode, 201, response.body);
  });

  const refusals: [string, (own: string, other: string) => Record<string, string>][] = [
    ['without a token', () => ({})],
    ['with an empty token', () => ({ 'x-csrf-token': '' })],
    ["with another session's token", (_own, other) => ({ 'x-csrf-token': other })],
    ['with the token cut short', (own) => ({ 'x-csrf-token': own.slice(0, -1) })],
  ];
  for (const [what, headersOf] of refusals) {
    test(`are refused ${what}: 403 FORBIDDEN, access.denied, nothing changed`, async () => {
      const own = await signedIn(acme);
      const other = await signedIn(acme);
      const requestId = `csrf-${what.replaceAll(/\W+/g, '-')}`;
      const response = await createGroup(acme, own.secret, requestId, { ...headersOf(own.csrfToken, other.csrfToken), 'x-request-id': requestId });
      assertError(response, 403, 'FORBIDDEN');
      assert.ok(!(await groupNames(acme)).includes(requestId), 'no group was made');
      const denied = ofType(await storedEvents(server, acme.org.id), 'access.denied').find((event) => event.requestId === requestId);
      assert.ok(denied !== undefined, 'access.denied is logged');
      assert.deepEqual(denied.details, { endpoint: 'POST /api/groups', reason: 'csrf_token_invalid', required: 'csrf-token' });
    });
  }

  test('are refused without the token for every method that changes: PUT, PATCH and DELETE too', async () => {
    const { secret, csrfToken } = await signedIn(acme);
    const cookie = { host: acme.host, cookie: `sectrail_session=${secret}`, origin: `http://${acme.host}`, 'content-type': 'application/json' };
    const token = await server.inject(authed(acme, 'POST', '/api/tokens', { name: 'to-revoke', scopes: ['security-log:read'] }, acme.adminToken));
    const resource = await server.inject(authed(acme, 'POST', '/api/resources', { type: 'project', name: 'csrf' }, acme.adminToken));
    const member = (await server.runtime.store.platform.members(acme.org.id))[0];
    assert.ok(member !== undefined);
    const changes: [string, string, unknown][] = [
      ['PUT', `/api/resources/${resource.json<{ id: string }>().id}/permissions`, { subject: { kind: 'user', id: member.id }, access: 'read' }],
      ['PATCH', '/api/org/auth-settings', { googleOAuth: false, plainLogin: true }],
      ['DELETE', `/api/tokens/${token.json<{ id: string }>().id}`, undefined],
    ];
    for (const [method, url, body] of changes) {
      const options = { method: method as 'PUT' | 'PATCH' | 'DELETE', url, headers: cookie, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) };
      assertError(await server.inject(options), 403, 'FORBIDDEN');
      const accepted = await server.inject({ ...options, headers: { ...cookie, 'x-csrf-token': csrfToken } });
      assert.equal(accepted.statusCode, 200, `${method} ${url} with the token: ${accepted.body}`);
    }
  });

  test('are refused from another site even with the right token', async () => {
    const { secret, csrfToken } = await signedIn(acme);
    const response = await createGroup(acme, secret, 'cross-site-with-token', { origin: 'https://evil.example', 'x-csrf-token': csrfToken });
    assertError(response, 403, 'FORBIDDEN');
    assert.ok(!(await groupNames(acme)).includes('cross-site-with-token'));
  });

  test('include signing out: a logout without the token leaves the session alive', async () => {
    const { secret, csrfToken } = await signedIn(acme);
    const bare = { host: acme.host, cookie: `sectrail_session=${secret}` };
    assertError(await server.inject({ method: 'POST', url: LOGOUT_URL, headers: bare }), 403, 'FORBIDDEN');
    assert.equal((await server.inject({ method: 'GET', url: '/api/me', headers: bare })).statusCode, 200, 'still signed in');
    assert.equal((await server.inject({ method: 'POST', url: LOGOUT_URL, headers: { ...bare, 'x-csrf-token': csrfToken } })).statusCode, 204);
  });

  test('need no token to read, and a token-authenticated change needs none', async () => {
    const { secret } = await signedIn(acme);
    const read = await server.inject({ method: 'GET', url: '/api/groups', headers: { host: acme.host, cookie: `sectrail_session=${secret}` } });
    assert.equal(read.statusCode, 200, read.body);
    const withToken = await server.inject(authed(acme, 'POST', '/api/groups', { name: 'by-token' }, acme.adminToken));
    assert.equal(withToken.statusCode, 201, withToken.body);
  });
});

describe('GET /api/auth/session', () => {
  test('answers null without a cookie and logs nothing', async () => {
    const before = (await storedEvents(server, acme.org.id)).length;
    const response = await server.inject({ method: 'GET', url: '/api/auth/session', headers: { host: acme.host } });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), { session: null });
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.equal((await storedEvents(server, acme.org.id)).length, before, 'no login.failed for a page that is not signed in yet');
  });

  test("answers the session's member, org and CSRF token for a valid cookie", async () => {
    const { secret, csrfToken } = await signedIn(acme);
    const response = await server.inject({ method: 'GET', url: '/api/auth/session', headers: { host: acme.host, cookie: `sectrail_session=${secret}` } });
    const { session } = response.json<{ session: { user: { email: string }; org: { slug: string }; via: string; csrfToken: string } }>();
    assert.equal(session.user.email, adminEmail(acme));
    assert.equal(session.org.slug, 'acme');
    assert.equal(session.via, 'session');
    assert.equal(session.csrfToken, csrfToken);
  });

  test('answers null for an ended session, a made-up cookie, and a cookie under another org', async () => {
    const { secret, csrfToken } = await signedIn(acme);
    const cookie = `sectrail_session=${secret}`;
    assert.equal((await server.inject({ method: 'POST', url: LOGOUT_URL, headers: { host: acme.host, cookie, 'x-csrf-token': csrfToken } })).statusCode, 204);
    const live = await signIn(server, acme);
    for (const [host, value] of [[acme.host, secret], [acme.host, 'A'.repeat(43)], [beta.host, live]] as const) {
      const response = await server.inject({ method: 'GET', url: '/api/auth/session', headers: { host, cookie: `sectrail_session=${value}` } });
      assert.deepEqual(response.json(), { session: null }, `${host} ${value}`);
    }
  });
});

describe('GET /api/auth/methods', () => {
  test("answers the org's password setting and its SSO providers by name, never their settings", async () => {
    const defaults = await server.inject({ method: 'GET', url: '/api/auth/methods', headers: { host: beta.host } });
    assert.deepEqual(defaults.json(), { orgNamed: true, password: true, providers: [] });
    const provider = { name: 'beta-okta', issuer: 'https://idp.beta.example', clientId: 'client', clientSecret: 'a client secret' };
    const changed = await server.inject(authed(beta, 'PATCH', '/api/org/auth-settings', { sso: { providers: [provider] } }, beta.adminToken));
    assert.equal(changed.statusCode, 200, changed.body);
    const methods = await server.inject({ method: 'GET', url: '/api/auth/methods', headers: { host: beta.host } });
    assert.deepEqual(methods.json(), { orgNamed: true, password: true, providers: ['beta-okta'] });
    const byName = await server.inject({ method: 'GET', url: '/api/auth/methods?org=beta', headers: { host: '127.0.0.1' } });
    assert.deepEqual(byName.json(), { orgNamed: true, password: true, providers: ['beta-okta'] });
  });

  test('answers a made-up org like an org at the defaults, and says so when none is named', async () => {
    const ghost = await server.inject({ method: 'GET', url: '/api/auth/methods', headers: { host: 'ghost.localhost' } });
    assert.deepEqual(ghost.json(), { orgNamed: true, password: true, providers: [] });
    const unnamed = await server.inject({ method: 'GET', url: '/api/auth/methods', headers: { host: '127.0.0.1' } });
    assert.equal(unnamed.statusCode, 200, unnamed.body);
    assert.deepEqual(unnamed.json(), { orgNamed: false, password: true, providers: [] });
    assertError(await server.inject({ method: 'GET', url: '/api/auth/methods?org=Not%20A%20Slug', headers: { host: '127.0.0.1' } }), 400, 'INVALID_REQUEST');
  });
});

test('still refuses a sign-in posted from another site, which has no token to carry', async () => {
  const response = await server.inject(loginRequest(acme, { email: adminEmail(acme), password: ADMIN_PASSWORD }, { headers: { origin: 'https://evil.example' } }));
  assertError(response, 403, 'FORBIDDEN');
});

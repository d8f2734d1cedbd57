// Sessions (DESIGN §3, §5, §6): GET /api/me by cookie or token, the cookie's secret never at rest,
// logout, idle and absolute expiry, the Host's org, the cross-site refusal of cookie-made changes,
// and the Secure flag under TLS.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { after, before, describe, test } from 'node:test';
import { csrfTokenOf, hashSessionSecret } from '../src/core/session-policy.ts';
import { buildServer } from '../src/http/build-server.ts';
import { ManualClock } from '../src/storage/contract/manual-clock.ts';
import { storedBytes } from './support/stored-bytes.ts';
import { assertError, authed, ofType, storedEvents, TRAIL_URL } from './support/http-helpers.ts';
import { ADMIN_PASSWORD, adminEmail, LOGIN_URL, LOGOUT_URL, ME_URL, setCookies, signIn, withSession } from './support/login-helpers.ts';
import { dayBody, startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const clock = new ManualClock(Date.now());
let server: TestServer;
let acme: TestOrg;
let beta: TestOrg;
/** The 401 every refused credential gets, for comparison. */
let refusal: LightMyRequestResponse;

before(async () => {
  server = await startTestServer({ SECTRAIL_RATE_LIMIT_PER_MINUTE: '100000' }, { clock });
  acme = await server.createOrg('acme');
  beta = await server.createOrg('beta');
  refusal = await server.inject({ method: 'GET', url: ME_URL, headers: { host: acme.host } });
});

after(async () => {
  await server.close();
});

interface Me {
  user: { id: string; kind: string; email: string | null; name: string; role: string; privileges: string[] };
  org: { id: string; slug: string; name: string };
  via: string;
}

function assertRefused(response: LightMyRequestResponse): void {
  assertError(response, 401, 'UNAUTHENTICATED');
  assert.equal(response.body, refusal.body, 'the same body as every other 401');
}

async function storedSession(secret: string) {
  const session = await server.runtime.store.platform.sessionByHash(hashSessionSecret(secret));
  assert.ok(session !== null, 'the session is stored by its hash');
  return session;
}

describe('GET /api/me', () => {
  test('answers the signed-in member and org for the session cookie, via session', async () => {
    const secret = await signIn(server, acme);
    const response = await server.inject(withSession(acme, 'GET', ME_URL, secret));
    assert.equal(response.statusCode, 200, response.body);
    const admin = await server.runtime.store.platform.memberByEmail(acme.org.id, adminEmail(acme));
    assert.deepEqual(response.json<Me>(), {
      user: { id: admin?.id, kind: 'user', email: adminEmail(acme), name: admin?.name, role: 'admin', privileges: [] },
      org: { id: acme.org.id, slug: 'acme', name: acme.org.name, securityLogEnabled: acme.org.securityLogEnabled, createdAt: new Date(acme.org.createdAt).toISOString() },
      via: 'session',
      csrfToken: csrfTokenOf(secret),
    });
  });

  test("answers a token's owner, via token", async () => {
    const response = await server.inject(authed(acme, 'GET', ME_URL, undefined, acme.adminToken));
    assert.equal(response.statusCode, 200, response.body);
    const me = response.json<Me>();
    assert.equal(me.via, 'token');
    assert.deepEqual(me.user, { id: me.user.id, kind: 'service_account', email: null, name: 'automation', role: 'admin', privileges: [] });
    assert.equal(me.org.id, acme.org.id);
  });

  test('refuses a request without a credential, and an unknown or malformed cookie, with the same 401', async () => {
    assertError(refusal, 401, 'UNAUTHENTICATED');
    for (const cookie of ['sectrail_session=', `sectrail_session=${'A'.repeat(43)}`, 'sectrail_session=../../etc', 'other=1']) {
      assertRefused(await server.inject({ method: 'GET', url: ME_URL, headers: { host: acme.host, cookie } }));
    }
  });

  test('lets an Authorization header win over the cookie', async () => {
    const secret = await signIn(server, acme);
    const response = await server.inject(withSession(acme, 'GET', ME_URL, secret, { authorization: 'Bearer sct_not-a-real-token' }));
    assertRefused(response);
  });

  test("refuses a session of one org under another org's host with the same 401, and accepts it under a host naming no org", async () => {
    const secret = await signIn(server, acme);
    assertRefused(await server.inject(withSession(beta, 'GET', ME_URL, secret)));
    const neutral = await server.inject({ method: 'GET', url: ME_URL, headers: { host: 'localhost:8080', cookie: `sectrail_session=${secret}` } });
    assert.equal(neutral.statusCode, 200, neutral.body);
    assert.equal(neutral.json<Me>().org.slug, 'acme');
  });
});

test('keeps no cookie secret in the store, only its SHA-256', async () => {
  const secret = await signIn(server, acme);
  await storedSession(secret);
  const bytes = await storedBytes(server);
  assert.equal(bytes.indexOf(Buffer.from(secret)), -1, 'the store does not hold the secret');
  assert.equal(bytes.indexOf(Buffer.from(secret, 'base64url')), -1, "the store does not hold the secret's bytes");
  assert.ok(bytes.includes(Buffer.from(hashSessionSecret(secret))), 'the scan reads what the session was stored in');
});

describe('logout', () => {
  test('ends the session, clears the cookie and logs logout with the method, attributed to the member', async () => {
    const secret = await signIn(server, acme);
    const response = await server.inject(withSession(acme, 'POST', LOGOUT_URL, secret, { 'x-request-id': 'logout-1' }));
    assert.equal(response.statusCode, 204, response.body);
    assert.equal(response.body, '');
    assert.deepEqual(setCookies(response), ['sectrail_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax']);
    assertRefused(await server.inject(withSession(acme, 'GET', ME_URL, secret)));
    assertRefused(await server.inject(withSession(acme, 'POST', LOGOUT_URL, secret)));
    assert.notEqual((await storedSession(secret)).revokedAt, null);

    const logout = ofType(await storedEvents(server, acme.org.id), 'logout').find((event) => event.requestId === 'logout-1');
    const admin = await server.runtime.store.platform.memberByEmail(acme.org.id, adminEmail(acme));
    assert.ok(logout !== undefined, 'logout is logged');
    assert.deepEqual(logout.details, { method: 'password' });
    assert.equal(logout.user?.id, admin?.id);
    assert.equal(logout.endpoint, 'POST /api/auth/logout');
    assert.equal(logout.outcome, 'success');
  });

  test('answers 401 without a session, also to a caller with a valid token', async () => {
    assertRefused(await server.inject({ method: 'POST', url: LOGOUT_URL, headers: { host: acme.host } }));
    assertRefused(await server.inject(authed(acme, 'POST', LOGOUT_URL, undefined, acme.adminToken)));
  });

  test('leaves other sessions of the member signed in', async () => {
    const [one, two] = [await signIn(server, acme), await signIn(server, acme)];
    assert.equal((await server.inject(withSession(acme, 'POST', LOGOUT_URL, one))).statusCode, 204);
    assert.equal((await server.inject(withSession(acme, 'GET', ME_URL, two))).statusCode, 200);
  });
});

describe('expiry', () => {
  test('ends a session left idle for two hours, and keeps one in use alive', async () => {
    const secret = await signIn(server, acme);
    clock.advance(2 * HOUR - MINUTE);
    assert.equal((await server.inject(withSession(acme, 'GET', ME_URL, secret))).statusCode, 200);
    clock.advance(2 * HOUR - MINUTE);
    assert.equal((await server.inject(withSession(acme, 'GET', ME_URL, secret))).statusCode, 200);
    clock.advance(2 * HOUR);
    assertRefused(await server.inject(withSession(acme, 'GET', ME_URL, secret)));
  });

  test('writes a session\u2019s last use at most once a minute', async () => {
    const secret = await signIn(server, acme);
    const started = (await storedSession(secret)).lastSeenAt;
    clock.advance(30_000);
    await server.inject(withSession(acme, 'GET', ME_URL, secret));
    assert.equal((await storedSession(secret)).lastSeenAt, started);
    clock.advance(30_000);
    await server.inject(withSession(acme, 'GET', ME_URL, secret));
    assert.equal((await storedSession(secret)).lastSeenAt, started + MINUTE);
  });

  test('ends a session twelve hours after sign-in however busy it is', async () => {
    const secret = await signIn(server, acme);
    const signedInAt = clock.now();
    while (clock.now() + HOUR < signedInAt + 12 * HOUR) {
      clock.advance(HOUR);
      assert.equal((await server.inject(withSession(acme, 'GET', ME_URL, secret))).statusCode, 200);
    }
    clock.set(signedInAt + 12 * HOUR - 1);
    assert.equal((await server.inject(withSession(acme, 'GET', ME_URL, secret))).statusCode, 200);
    clock.advance(1);
    assertRefused(await server.inject(withSession(acme, 'GET', ME_URL, secret)));
  });
});

describe('changes made with the cookie from another site', () => {
  const foreign: [string, Record<string, string>][] = [
    ['another site', { origin: 'https://evil.example' }],
    ["another org's host", { origin: 'http://beta.localhost' }],
    ['another port', { origin: 'http://acme.localhost:8081' }],
    ['an opaque origin', { origin: 'null' }],
    ['Sec-Fetch-Site cross-site, without Origin', { 'sec-fetch-site': 'cross-site' }],
  ];
  for (const [what, headers] of foreign) {
    test(`refuses a cookie-authenticated POST from ${what} with 403 FORBIDDEN and access.denied`, async () => {
      const secret = await signIn(server, acme);
      const requestId = `cross-site-${what.replaceAll(/\W+/g, '-')}`;
      const response = await server.inject(withSession(acme, 'POST', LOGOUT_URL, secret, { ...headers, 'x-request-id': requestId }));
      assertError(response, 403, 'FORBIDDEN');
      assert.equal((await storedSession(secret)).revokedAt, null, 'the session was not ended');
      const denied = ofType(await storedEvents(server, acme.org.id), 'access.denied').find((event) => event.requestId === requestId);
      assert.ok(denied !== undefined, 'access.denied is logged');
      assert.deepEqual(denied.details, { endpoint: 'POST /api/auth/logout', reason: 'cross_site_request', required: 'same-origin' });
      assert.equal(denied.user?.kind, 'user');
    });
  }

  test('accepts a cookie-authenticated POST from its own origin or without Origin', async () => {
    for (const headers of [{ origin: 'http://acme.localhost' }, {}, { 'sec-fetch-site': 'same-origin' }]) {
      const secret = await signIn(server, acme);
      assert.equal((await server.inject(withSession(acme, 'POST', LOGOUT_URL, secret, headers))).statusCode, 204);
    }
  });

  test('leaves token-authenticated requests and cookie-authenticated reads alone', async () => {
    const secret = await signIn(server, acme);
    const read = await server.inject(withSession(acme, 'GET', ME_URL, secret, { origin: 'https://evil.example' }));
    assert.equal(read.statusCode, 200, read.body);
    const withToken = authed(acme, 'POST', TRAIL_URL, dayBody());
    const response = await server.inject({ ...withToken, headers: { ...withToken.headers, origin: 'https://evil.example' } });
    assert.equal(response.statusCode, 200, response.body);
  });
});

test('marks the session cookie Secure when the sign-in came over TLS', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sectrail-session-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=acme.localhost', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  const app = await buildServer(server.runtime.deps, {
    logger: false,
    https: { cert: readFileSync(cert), key: readFileSync(key) },
    version: 'test',
  });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    assert.ok(address !== null && typeof address === 'object');
    const body = JSON.stringify({ email: adminEmail(acme), password: ADMIN_PASSWORD });
    const cookies = await new Promise<string[]>((resolve, reject) => {
      const request = httpsRequest(
        {
          host: '127.0.0.1',
          port: address.port,
          method: 'POST',
          path: LOGIN_URL,
          ca: readFileSync(cert),
          headers: { host: acme.host, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            assert.equal(response.statusCode, 200);
            resolve(response.headers['set-cookie'] ?? []);
          });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
    assert.equal(cookies.length, 1);
    assert.match(cookies[0] ?? '', /^sectrail_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax; Secure$/);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

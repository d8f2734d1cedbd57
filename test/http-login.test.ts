// Password sign-in (DESIGN §3, §5): the session cookie, the org from the Host or the body, one
// answer for a wrong password and an unknown email, the org's switch for password sign-in, and
// throttling per (org, email) and per IP with doubling delays, all written to the org's log; a slug
// that names no org is throttled alike, so throttling does not tell whether an org exists.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../src/storage/contract/manual-clock.ts';
import { assertError, ofType, storedEvents, type Envelope } from './support/http-helpers.ts';
import { csrfTokenOf } from '../src/core/session-policy.ts';
import { ADMIN_PASSWORD, adminEmail, LOGIN_URL, loginRequest, sessionSecretFrom, setCookies } from './support/login-helpers.ts';
import { startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

const clock = new ManualClock(Date.now());
let server: TestServer;
let acme: TestOrg;
let orgs = 0;

before(async () => {
  server = await startTestServer({ SECTRAIL_RATE_LIMIT_PER_MINUTE: '100000' }, { clock });
  acme = await server.createOrg('acme');
});

after(async () => {
  await server.close();
});

/** An org no other test has signed in to, so its throttle counts start at zero. */
async function freshOrg(): Promise<TestOrg> {
  orgs += 1;
  return server.createOrg(`org-${orgs}`);
}

const wrong = (org: TestOrg, email = adminEmail(org)) => ({ email, password: 'wrong horse battery' });
const right = (org: TestOrg) => ({ email: adminEmail(org), password: ADMIN_PASSWORD });

function failedReasons(events: readonly Envelope[]): unknown[] {
  return ofType(events, 'login.failed').map((event) => event.details['reason']);
}

function assertThrottled(response: LightMyRequestResponse, retryAfterSeconds: number): void {
  assertError(response, 429, 'RATE_LIMITED');
  assert.equal(response.headers['retry-after'], String(retryAfterSeconds));
  assert.deepEqual(setCookies(response), [], 'no session cookie');
}

describe('signing in with a password', () => {
  test('signs the admin in with the right password and sets an HttpOnly, SameSite=Lax cookie without Secure over http', async () => {
    const response = await server.inject(loginRequest(acme, right(acme)));
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<{ user: Record<string, unknown>; org: Record<string, unknown>; expiresAt: string; csrfToken: string }>();
    const admin = await server.runtime.store.platform.memberByEmail(acme.org.id, adminEmail(acme));
    assert.ok(admin !== null);
    assert.deepEqual(body.user, { id: admin.id, kind: 'user', email: adminEmail(acme), name: admin.name, role: 'admin', privileges: [] });
    assert.deepEqual(body.org, { id: acme.org.id, slug: 'acme', name: acme.org.name, securityLogEnabled: acme.org.securityLogEnabled, createdAt: new Date(acme.org.createdAt).toISOString() });
    assert.equal(body.csrfToken, csrfTokenOf(sessionSecretFrom(response)), 'the CSRF token of the session just made');
    assert.equal(Date.parse(body.expiresAt), clock.now() + 12 * 3_600_000);
    const [cookie, ...others] = setCookies(response);
    assert.deepEqual(others, []);
    assert.match(cookie ?? '', /^sectrail_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax$/);
    assert.equal(response.headers['cache-control'], 'no-store');
  });

  test('gives each sign-in a new random cookie', async () => {
    const first = sessionSecretFrom(await server.inject(loginRequest(acme, right(acme))));
    const second = sessionSecretFrom(await server.inject(loginRequest(acme, right(acme))));
    assert.notEqual(first, second);
  });

  test('logs login.succeeded with method password, the member as actor and the request attribution', async () => {
    const org = await freshOrg();
    const response = await server.inject(
      loginRequest(org, { email: adminEmail(org).toUpperCase(), password: ADMIN_PASSWORD }, {
        remoteAddress: '203.0.113.7',
        headers: { 'user-agent': 'Mozilla/5.0 (sectrail test)', 'x-request-id': 'login-attribution-1' },
      }),
    );
    assert.equal(response.statusCode, 200, response.body);
    const admin = await server.runtime.store.platform.memberByEmail(org.org.id, adminEmail(org));
    assert.ok(admin !== null);
    const [event, ...more] = ofType(await storedEvents(server, org.org.id), 'login.succeeded');
    assert.equal(more.length, 0);
    assert.ok(event !== undefined);
    assert.equal(event.outcome, 'success');
    assert.equal(event.category, 'user_access');
    assert.deepEqual(event.user, { kind: 'user', id: admin.id, name: admin.name, email: adminEmail(org) });
    assert.equal(event.ipAddress, '203.0.113.7');
    assert.equal(event.userAgent, 'Mozilla/5.0 (sectrail test)');
    assert.equal(event.endpoint, 'POST /api/auth/login');
    assert.equal(event.requestId, 'login-attribution-1');
    assert.deepEqual(event.details, { method: 'password' });
    assert.doesNotMatch(JSON.stringify(event), new RegExp(sessionSecretFrom(response)), 'no cookie secret in the log');
  });

  test('takes the org from the body when the Host names none, and answers 400 when neither names one', async () => {
    const viaBody = await server.inject(loginRequest(acme, { ...right(acme), org: 'acme' }, { host: 'localhost:8080' }));
    assert.equal(viaBody.statusCode, 200, viaBody.body);
    assert.equal(viaBody.json<{ org: { slug: string } }>().org.slug, 'acme');
    assertError(await server.inject(loginRequest(acme, right(acme), { host: 'localhost:8080' })), 400, 'INVALID_REQUEST');
    assertError(await server.inject(loginRequest(acme, right(acme), { host: '127.0.0.1:8080' })), 400, 'INVALID_REQUEST');
  });

  test('refuses a body org that differs from the org of the Host', async () => {
    const other = await freshOrg();
    assertError(await server.inject(loginRequest(acme, { ...right(acme), org: other.org.slug })), 400, 'INVALID_REQUEST');
  });

  test('refuses malformed bodies with 400 INVALID_REQUEST', async () => {
    const bodies: Record<string, unknown>[] = [
      { email: adminEmail(acme) },
      { password: ADMIN_PASSWORD },
      { ...right(acme), remember: true },
      { email: 'not an email', password: ADMIN_PASSWORD },
      { email: adminEmail(acme), password: '' },
      { email: adminEmail(acme), password: 7 },
      { ...right(acme), org: 'Not A Slug' },
    ];
    for (const body of bodies) {
      assertError(await server.inject(loginRequest(acme, body)), 400, 'INVALID_REQUEST');
    }
  });

  test('refuses a sign-in posted from another site with 403 FORBIDDEN and sets no cookie', async () => {
    const response = await server.inject(loginRequest(acme, right(acme), { headers: { origin: 'https://evil.example' } }));
    assertError(response, 403, 'FORBIDDEN');
    assert.deepEqual(setCookies(response), []);
    const sameSite = await server.inject(loginRequest(acme, right(acme), { headers: { origin: 'http://acme.localhost' } }));
    assert.equal(sameSite.statusCode, 200, sameSite.body);
  });
});

describe('refused sign-ins', () => {
  test('answers a wrong password and an unknown email with byte-identical 401 bodies, and logs each with its reason', async () => {
    const org = await freshOrg();
    const wrongPassword = await server.inject(loginRequest(org, wrong(org)));
    const unknownEmail = await server.inject(loginRequest(org, { email: 'nobody@example.test', password: ADMIN_PASSWORD }));
    const unknownOrg = await server.inject(loginRequest(org, { ...right(org), org: 'no-such-org' }, { host: 'localhost' }));
    assertError(wrongPassword, 401, 'UNAUTHENTICATED');
    for (const response of [unknownEmail, unknownOrg]) {
      assert.equal(response.statusCode, 401);
      assert.equal(response.body, wrongPassword.body, 'the same body');
      assert.equal(response.headers['www-authenticate'], wrongPassword.headers['www-authenticate']);
      assert.deepEqual(setCookies(response), []);
    }
    assert.deepEqual(setCookies(wrongPassword), []);

    const admin = await server.runtime.store.platform.memberByEmail(org.org.id, adminEmail(org));
    const failed = ofType(await storedEvents(server, org.org.id), 'login.failed');
    assert.deepEqual(
      failed.map((event) => [event.details, event.user?.id ?? null, event.outcome, event.endpoint]),
      [
        [{ method: 'password', reason: 'invalid_credentials', attemptedEmail: adminEmail(org) }, admin?.id, 'failure', 'POST /api/auth/login'],
        [{ method: 'password', reason: 'unknown_user', attemptedEmail: 'nobody@example.test' }, null, 'failure', 'POST /api/auth/login'],
      ],
    );
    assert.equal(ofType(await storedEvents(server, org.org.id), 'login.succeeded').length, 0);
  });

  test('spends about as long on an unknown email as on a wrong password', async () => {
    const org = await freshOrg();
    const timed = async (body: Record<string, unknown>): Promise<number> => {
      const started = process.hrtime.bigint();
      assert.equal((await server.inject(loginRequest(org, body))).statusCode, 401);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Four of each: a fifth failure for one email would start throttling it.
    for (let round = 0; round < 4; round += 1) {
      known.push(await timed(wrong(org)));
      unknown.push(await timed({ email: `ghost-${round}@example.test`, password: 'wrong horse battery' }));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    // Without the dummy Argon2 check an unknown email answers in a small fraction of the time.
    assert.ok(median(unknown) > median(known) / 3, `unknown ${median(unknown)} ms vs known ${median(known)} ms`);
  });

  test('answers 403 FORBIDDEN and logs method_disabled when the org has turned password sign-in off', async () => {
    const org = await freshOrg();
    await server.runtime.store.transact((tx) =>
      tx.setAuthSettings(org.org.id, {
        plainLogin: false,
        googleOAuth: false,
        sso: { providers: [{ name: 'corp', issuer: 'https://idp.example.test', clientId: 'sectrail', clientSecret: 'x' }] },
      }),
    );
    const response = await server.inject(loginRequest(org, right(org)));
    assertError(response, 403, 'FORBIDDEN');
    assert.deepEqual(setCookies(response), []);
    assertError(await server.inject(loginRequest(org, { email: 'nobody@example.test', password: 'x' })), 403, 'FORBIDDEN');
    const events = await storedEvents(server, org.org.id);
    assert.deepEqual(failedReasons(events), ['method_disabled', 'method_disabled']);
    assert.deepEqual(ofType(events, 'login.failed')[0]?.details, { method: 'password', reason: 'method_disabled', attemptedEmail: adminEmail(org) });
    assert.equal(ofType(events, 'login.succeeded').length, 0);
  });
});

describe('throttling', () => {
  test('refuses further attempts for an email after five failures with 429 and Retry-After, even with the right password, logging each', async () => {
    const org = await freshOrg();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      assertError(await server.inject(loginRequest(org, wrong(org))), 401, 'UNAUTHENTICATED');
    }
    assertThrottled(await server.inject(loginRequest(org, wrong(org))), 1);
    assertThrottled(await server.inject(loginRequest(org, right(org))), 1);
    const events = await storedEvents(server, org.org.id);
    assert.deepEqual(failedReasons(events), [...Array<string>(5).fill('invalid_credentials'), 'throttled', 'throttled']);
    const admin = await server.runtime.store.platform.memberByEmail(org.org.id, adminEmail(org));
    const throttled = ofType(events, 'login.failed').at(-1);
    assert.deepEqual(throttled?.details, { method: 'password', reason: 'throttled', attemptedEmail: adminEmail(org) });
    assert.equal(throttled?.user?.id, admin?.id);
    assert.equal(ofType(events, 'login.succeeded').length, 0);
    // The count lives in the database, so a restart does not forget it.
    const stored = await server.runtime.store.platform.loginThrottle(org.org.id, `email:${adminEmail(org)}`);
    assert.equal(stored?.failures, 5);
  });

  test('doubles the delay with each further failure, and a success after the wait starts the count over', async () => {
    const org = await freshOrg();
    for (let attempt = 1; attempt <= 5; attempt += 1) await server.inject(loginRequest(org, wrong(org)));
    for (const seconds of [1, 2, 4, 8]) {
      assertThrottled(await server.inject(loginRequest(org, wrong(org))), seconds);
      clock.advance(seconds * 1_000 - 1);
      assertThrottled(await server.inject(loginRequest(org, right(org))), 1);
      clock.advance(1);
      if (seconds < 8) assertError(await server.inject(loginRequest(org, wrong(org))), 401, 'UNAUTHENTICATED');
    }
    assert.equal((await server.inject(loginRequest(org, right(org)))).statusCode, 200);
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      assertError(await server.inject(loginRequest(org, wrong(org))), 401, 'UNAUTHENTICATED');
    }
    assertThrottled(await server.inject(loginRequest(org, wrong(org))), 1);
  });

  test('lets no more than five of many attempts sent at once reach the password', async () => {
    const org = await freshOrg();
    const answers = await Promise.all(Array.from({ length: 20 }, () => server.inject(loginRequest(org, wrong(org)))));
    const statuses = answers.map((response) => response.statusCode).sort();
    assert.deepEqual(statuses, [...Array<number>(5).fill(401), ...Array<number>(15).fill(429)]);
    assert.equal(failedReasons(await storedEvents(server, org.org.id)).filter((reason) => reason === 'invalid_credentials').length, 5);
  });

  test('throttles an unknown email exactly like a known one', async () => {
    const org = await freshOrg();
    const ghost = 'ghost@example.test';
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      assert.equal((await server.inject(loginRequest(org, wrong(org, ghost)))).statusCode, 401);
      assert.equal((await server.inject(loginRequest(org, wrong(org)))).statusCode, 401);
    }
    const forGhost = await server.inject(loginRequest(org, wrong(org, ghost)));
    const forAdmin = await server.inject(loginRequest(org, wrong(org)));
    assertThrottled(forGhost, 1);
    assert.equal(forGhost.body, forAdmin.body);
    assert.equal(forGhost.headers['retry-after'], forAdmin.headers['retry-after']);
    const throttled = ofType(await storedEvents(server, org.org.id), 'login.failed').filter((event) => event.details['reason'] === 'throttled');
    assert.deepEqual(throttled.map((event) => [event.details['attemptedEmail'], event.user === null]), [[ghost, true], [adminEmail(org), false]]);
  });

  test('throttles an IP after fifty failures across emails, while other addresses still sign in', async () => {
    const org = await freshOrg();
    const ip = '198.51.100.9';
    for (let attempt = 1; attempt <= 50; attempt += 1) {
      const response = await server.inject(loginRequest(org, wrong(org, `user-${attempt}@example.test`), { remoteAddress: ip }));
      assertError(response, 401, 'UNAUTHENTICATED');
    }
    assertThrottled(await server.inject(loginRequest(org, wrong(org, 'fresh@example.test'), { remoteAddress: ip })), 1);
    assertThrottled(await server.inject(loginRequest(org, right(org), { remoteAddress: ip })), 1);
    assert.equal((await server.inject(loginRequest(org, right(org), { remoteAddress: '198.51.100.10' }))).statusCode, 200);
    const throttled = ofType(await storedEvents(server, org.org.id), 'login.failed').filter((event) => event.details['reason'] === 'throttled');
    assert.deepEqual(throttled.map((event) => event.ipAddress), [ip, ip]);
  });

  test('counts an address\u2019s failures across every org: spraying orgs gains nothing', async () => {
    const [one, two] = [await freshOrg(), await freshOrg()];
    const ip = '198.51.100.77';
    for (let attempt = 1; attempt <= 50; attempt += 1) {
      const org = attempt % 2 === 0 ? one : two;
      assertError(await server.inject(loginRequest(org, wrong(org, `spray-${attempt}@example.test`), { remoteAddress: ip })), 401, 'UNAUTHENTICATED');
    }
    assertThrottled(await server.inject(loginRequest(one, wrong(one, 'next@example.test'), { remoteAddress: ip })), 1);
    assertThrottled(await server.inject(loginRequest(two, wrong(two, 'next@example.test'), { remoteAddress: ip })), 1);
  });

  test('throttles a slug that names no org exactly like an org, so repeating a guess cannot tell them apart', async () => {
    const org = await freshOrg();
    // An address of its own, so the per-address count of the other tests is not touched.
    const remoteAddress = '198.51.100.201';
    const here = { remoteAddress };
    const nowhere = { host: 'no-such-org.localhost', remoteAddress };
    const guess = wrong(org, 'guess@example.test');
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const real = await server.inject(loginRequest(org, guess, here));
      const unknown = await server.inject(loginRequest(org, guess, nowhere));
      assertError(unknown, 401, 'UNAUTHENTICATED');
      assert.equal(unknown.body, real.body);
    }
    const real = await server.inject(loginRequest(org, guess, here));
    const unknown = await server.inject(loginRequest(org, guess, nowhere));
    assertThrottled(real, 1);
    assertThrottled(unknown, 1);
    assert.equal(unknown.body, real.body);
    // The body's org names the same nowhere, and another email there is not held back by this one.
    assertThrottled(await server.inject(loginRequest(org, { ...guess, org: 'no-such-org' }, { host: '127.0.0.1', remoteAddress })), 1);
    assertError(await server.inject(loginRequest(org, wrong(org, 'other@example.test'), nowhere)), 401, 'UNAUTHENTICATED');
  });

  test('counts an email in its own org only', async () => {
    const [one, two] = [await freshOrg(), await freshOrg()];
    for (let attempt = 1; attempt <= 5; attempt += 1) await server.inject(loginRequest(one, wrong(one, 'shared@example.test')));
    assertThrottled(await server.inject(loginRequest(one, wrong(one, 'shared@example.test'))), 1);
    assertError(await server.inject(loginRequest(two, wrong(two, 'shared@example.test'))), 401, 'UNAUTHENTICATED');
  });
});

test('answers the login endpoint in the OpenAPI document', async () => {
  const doc = (await server.inject({ method: 'GET', url: '/docs/json' })).json<{ paths: Record<string, unknown> }>();
  assert.ok(LOGIN_URL in doc.paths);
  assert.ok('/api/auth/logout' in doc.paths);
  assert.ok('/api/me' in doc.paths);
});

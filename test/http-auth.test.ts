// Authentication, tenancy and authorization on the trail endpoints (DESIGN §3, §5): the accepted
// header forms, one identical 401 for every failure, the org from the Host or the token, 403s
// that are logged, token use and failures in the log without secrets, and orgs kept apart.
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { after, before, describe, test } from 'node:test';
import { generateTokenSecret } from '../src/core/access-token.ts';
import { setSecurityLogEnabled } from '../src/platform/orgs.ts';
import {
  assertError,
  authed,
  EVENT_TYPES_URL,
  extraToken,
  ofType,
  readToday,
  storedEvents,
  TAIL_URL,
  tokenIdOf,
  TRAIL_URL,
  type DayPage,
  type Envelope,
  type TailPage,
} from './support/http-helpers.ts';
import { dayBody, OPERATOR, startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

const MS_PER_DAY = 86_400_000;

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

/** A trail request for today with exactly these headers. */
function trailWith(headers: Record<string, string>): InjectOptions {
  return {
    method: 'POST',
    url: TRAIL_URL,
    headers: { 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(dayBody()),
  };
}

function ids(events: readonly Envelope[]): string[] {
  return events.map((event) => event.id);
}

async function revokeOverHttp(org: TestOrg, secret: string): Promise<void> {
  const response = await server.inject(authed(org, 'DELETE', `/api/tokens/${await tokenIdOf(server, secret)}`, undefined, org.adminToken));
  assert.equal(response.statusCode, 200, response.body);
}

describe('the Authorization header', () => {
  const forms: [string, (token: string) => string][] = [
    ['Token token=<T>', (token) => `Token token=${token}`],
    ['Token token="<T>"', (token) => `Token token="${token}"`],
    ['Bearer <T>', (token) => `Bearer ${token}`],
  ];
  for (const [form, header] of forms) {
    test(`accepts ${form}`, async () => {
      const response = await server.inject(trailWith({ host: acme.host, authorization: header(acme.token) }));
      assert.equal(response.statusCode, 200, response.body);
      assert.ok(Array.isArray(response.json<DayPage>().result));
    });
  }
});

describe('authentication failures', () => {
  let reference: LightMyRequestResponse;

  before(async () => {
    reference = await server.inject(trailWith({ host: acme.host }));
  });

  function assertSameRefusal(response: LightMyRequestResponse): void {
    assertError(response, 401, 'UNAUTHENTICATED');
    assert.equal(response.body, reference.body, 'the body is byte-identical to every other 401');
    assert.equal(response.headers['www-authenticate'], reference.headers['www-authenticate']);
  }

  test('refuses a request without an Authorization header with 401 UNAUTHENTICATED', async () => {
    assertError(reference, 401, 'UNAUTHENTICATED');
  });

  const garbage = ['Basic dXNlcjpwYXNzd29yZA==', 'Token', 'Token token=', 'Bearer', 'Bearer not-a-token', 'sct_', 'x'.repeat(600)];
  for (const header of garbage) {
    test(`refuses the garbage header ${JSON.stringify(header.slice(0, 30))} with the same 401`, async () => {
      assertSameRefusal(await server.inject(trailWith({ host: acme.host, authorization: header })));
    });
  }

  test('refuses a well-formed sct_ token that was never issued with the same 401', async () => {
    assertSameRefusal(await server.inject(trailWith({ host: acme.host, authorization: `Bearer ${generateTokenSecret()}` })));
    assertSameRefusal(await server.inject(trailWith({ host: '127.0.0.1:8080', authorization: `Bearer ${generateTokenSecret()}` })));
  });

  test('refuses a revoked token with the same 401', async () => {
    const { secret } = await extraToken(server, acme, { accountName: 'to-revoke', role: 'reader', scopes: ['security-log:read'] });
    assert.equal((await server.inject(trailWith({ host: acme.host, authorization: `Bearer ${secret}` }))).statusCode, 200);
    await revokeOverHttp(acme, secret);
    assertSameRefusal(await server.inject(trailWith({ host: acme.host, authorization: `Bearer ${secret}` })));
    assertSameRefusal(await server.inject(trailWith({ host: 'localhost', authorization: `Bearer ${secret}` })));
  });

  test('refuses an expired token with the same 401, and accepts one that has not expired yet', async () => {
    const expired = await extraToken(server, acme, {
      accountName: 'expired',
      role: 'reader',
      scopes: ['security-log:read'],
      expiresInDays: 1,
      issuedAtMs: Date.now() - 2 * MS_PER_DAY,
    });
    assertSameRefusal(await server.inject(trailWith({ host: acme.host, authorization: `Bearer ${expired.secret}` })));
    const fresh = await extraToken(server, acme, { accountName: 'fresh', role: 'reader', scopes: ['security-log:read'], expiresInDays: 1 });
    assert.equal((await server.inject(trailWith({ host: acme.host, authorization: `Bearer ${fresh.secret}` }))).statusCode, 200);
  });

  test("refuses org A's token under org B's host with the same 401", async () => {
    assertSameRefusal(await server.inject(trailWith({ host: beta.host, authorization: `Bearer ${acme.token}` })));
    assertSameRefusal(await server.inject(trailWith({ host: acme.host, authorization: `Token token=${beta.token}` })));
  });

  test('refuses a Host naming an org that does not exist with the same 401, even with a valid token', async () => {
    assertSameRefusal(await server.inject(trailWith({ host: 'nosuch.localhost', authorization: `Bearer ${acme.token}` })));
    assertSameRefusal(await server.inject(trailWith({ host: 'nosuch.localhost:8080' })));
  });
});

describe('tenancy', () => {
  async function dayOf(headers: Record<string, string>): Promise<Envelope[]> {
    const response = await server.inject(trailWith(headers));
    assert.equal(response.statusCode, 200, response.body);
    return response.json<DayPage>().result;
  }

  test('takes the org from the first label of the Host, with a port or in capitals', async () => {
    for (const host of ['acme.localhost', 'acme.localhost:8080', 'ACME.LocalHost:8080']) {
      const day = ids(await dayOf({ host, authorization: `Bearer ${acme.adminToken}` }));
      const expected = ids(await storedEvents(server, acme.org.id));
      assert.ok(day.length > 0);
      // The read logs itself after it answered: everything it returned is the start of the org's log.
      assert.deepEqual(day, expected.slice(0, day.length), host);
    }
  });

  test('takes the org from the token when the Host is 127.0.0.1 or localhost', async () => {
    for (const [org, host] of [[beta, '127.0.0.1:8080'], [beta, 'localhost'], [acme, '127.0.0.1'], [acme, 'localhost:8080']] as const) {
      const day = ids(await dayOf({ host, authorization: `Bearer ${org.token}` }));
      const expected = ids(await storedEvents(server, org.org.id));
      assert.ok(day.length > 0);
      assert.deepEqual(day, expected.slice(0, day.length), `${org.org.slug} under ${host}`);
    }
  });

  test("never shows one org's events to another, by day or through the tail", async () => {
    // Give beta events of its own that acme could leak.
    const created = await server.inject(authed(beta, 'POST', '/api/service-accounts', { name: 'beta-only' }, beta.adminToken));
    assert.equal(created.statusCode, 201, created.body);
    const acmeDay = await readToday(server, acme);
    const betaDay = await readToday(server, beta);
    const acmeTail = (await server.inject(authed(acme, 'POST', TAIL_URL, {}))).json<TailPage>().result;
    const betaTail = (await server.inject(authed(beta, 'POST', TAIL_URL, {}))).json<TailPage>().result;
    const acmeAll = new Set(ids(await storedEvents(server, acme.org.id)));
    const betaAll = new Set(ids(await storedEvents(server, beta.org.id)));
    assert.ok(acmeDay.length > 0 && betaDay.length > 0 && acmeTail.length > 0 && betaTail.length > 0);
    for (const event of [...acmeDay, ...acmeTail]) assert.ok(!betaAll.has(event.id) && acmeAll.has(event.id));
    for (const event of [...betaDay, ...betaTail]) assert.ok(!acmeAll.has(event.id) && betaAll.has(event.id));
    assert.ok(betaDay.some((event) => event.type === 'service_account.created' && event.endpoint === 'POST /api/service-accounts'));
    assert.ok(!acmeDay.some((event) => JSON.stringify(event.details).includes('beta-only')));
  });
});

describe('authorization', () => {
  const trailEndpoints: [string, (org: TestOrg, token: string) => InjectOptions, string][] = [
    ['/security-trail', (org, token) => authed(org, 'POST', TRAIL_URL, dayBody(), token), `POST ${TRAIL_URL}`],
    ['/tail', (org, token) => authed(org, 'POST', TAIL_URL, {}, token), `POST ${TAIL_URL}`],
    ['/event-types', (org, token) => authed(org, 'GET', EVENT_TYPES_URL, undefined, token), `GET ${EVENT_TYPES_URL}`],
  ];

  function deniedFor(events: readonly Envelope[], requestId: string): Envelope {
    const denied = ofType(events, 'access.denied').filter((event) => event.requestId === requestId);
    assert.equal(denied.length, 1, `one access.denied for request ${requestId}`);
    return denied[0]!;
  }

  test('answers 403 FEATURE_NOT_ENABLED on every trail endpoint of an org without the entitlement, and logs each refusal', async () => {
    const dark = await server.createOrg('dark', { securityLog: false });
    const refusals: [string, string][] = [];
    for (const [, request, endpoint] of trailEndpoints) {
      const response = await server.inject(request(dark, dark.token));
      assertError(response, 403, 'FEATURE_NOT_ENABLED');
      refusals.push([String(response.headers['x-request-id']), endpoint]);
    }
    // Read the log as another token once the operator has enabled it.
    await setSecurityLogEnabled(server.runtime.deps, OPERATOR, 'dark', true);
    const day = await readToday(server, dark, dark.adminToken);
    for (const [requestId, endpoint] of refusals) {
      const denied = deniedFor(day, requestId);
      assert.equal(denied.outcome, 'failure');
      assert.equal(denied.endpoint, endpoint);
      assert.deepEqual(denied.details, { endpoint, reason: 'feature_not_enabled', required: null });
      assert.equal(denied.user?.kind, 'service_account');
      assert.equal(denied.user?.name, 'siem');
    }
  });

  test('answers FEATURE_NOT_ENABLED before looking at the scope in an org without the entitlement', async () => {
    const unlit = await server.createOrg('unlit', { securityLog: false });
    const adminOnly = await extraToken(server, unlit, { accountName: 'admin-only', role: 'admin', scopes: ['platform:admin'] });
    for (const [, request] of trailEndpoints) {
      assertError(await server.inject(request(unlit, adminOnly.secret)), 403, 'FEATURE_NOT_ENABLED');
    }
  });

  test('answers 403 FORBIDDEN to a token without security-log:read on every trail endpoint, and logs each refusal', async () => {
    const adminOnly = await extraToken(server, acme, { accountName: 'admin-only', role: 'admin', scopes: ['platform:admin'] });
    const refusals: [string, string][] = [];
    for (const [, request, endpoint] of trailEndpoints) {
      const response = await server.inject(request(acme, adminOnly.secret));
      assertError(response, 403, 'FORBIDDEN');
      refusals.push([String(response.headers['x-request-id']), endpoint]);
    }
    const day = await readToday(server, acme);
    for (const [requestId, endpoint] of refusals) {
      const denied = deniedFor(day, requestId);
      assert.equal(denied.outcome, 'failure');
      assert.equal(denied.endpoint, endpoint);
      assert.deepEqual(denied.details, { endpoint, reason: 'missing_scope', required: 'security-log:read' });
      assert.equal(denied.user?.id, adminOnly.accountId);
      assert.equal(denied.ipAddress, '127.0.0.1');
    }
  });
});

describe('token use in the log', () => {
  test('logs login.succeeded on the first use of a token only, not on every request', async () => {
    const reader = await extraToken(server, acme, { accountName: 'first-use', role: 'reader', scopes: ['security-log:read'] });
    const before = ofType(await storedEvents(server, acme.org.id), 'login.succeeded').filter((event) => event.details['tokenId'] === reader.id);
    assert.equal(before.length, 0);
    const first = await server.inject(authed(acme, 'POST', TRAIL_URL, dayBody(), reader.secret));
    assert.equal(first.statusCode, 200, first.body);
    for (let i = 0; i < 3; i += 1) {
      assert.equal((await server.inject(authed(acme, 'POST', TAIL_URL, {}, reader.secret))).statusCode, 200);
    }
    const logged = ofType(await storedEvents(server, acme.org.id), 'login.succeeded').filter((event) => event.details['tokenId'] === reader.id);
    assert.equal(logged.length, 1);
    const [event] = logged as [Envelope];
    assert.deepEqual(event.details, { method: 'api_token', tokenId: reader.id });
    assert.equal(event.outcome, 'success');
    assert.equal(event.user?.kind, 'service_account');
    assert.equal(event.user?.id, reader.accountId);
    assert.equal(event.endpoint, `POST ${TRAIL_URL}`);
    assert.equal(event.requestId, first.headers['x-request-id']);
  });

  test('logs login.failed with the reason when the org is known, and never the token secret', async () => {
    const gamma = await server.createOrg('gamma');
    const revoked = await extraToken(server, gamma, { accountName: 'revoked', role: 'reader', scopes: ['security-log:read'] });
    await revokeOverHttp(gamma, revoked.secret);
    const expired = await extraToken(server, gamma, {
      accountName: 'expired',
      role: 'reader',
      scopes: ['security-log:read'],
      expiresInDays: 1,
      issuedAtMs: Date.now() - 2 * MS_PER_DAY,
    });
    const unknown = generateTokenSecret();
    const attempts: [string, Record<string, string>, string, string | null][] = [
      ['garbage', { host: gamma.host, authorization: 'Token token=hunter2-not-a-token' }, 'invalid_credentials', null],
      ['unknown', { host: gamma.host, authorization: `Bearer ${unknown}` }, 'invalid_credentials', null],
      ["another org's token", { host: gamma.host, authorization: `Bearer ${beta.token}` }, 'invalid_credentials', null],
      ['revoked', { host: gamma.host, authorization: `Bearer ${revoked.secret}` }, 'revoked_token', revoked.id],
      ['expired', { host: gamma.host, authorization: `Bearer ${expired.secret}` }, 'expired_token', expired.id],
      // No org in the Host: the org is the token's, so the failure is still logged there.
      ['revoked, by the token', { host: '127.0.0.1:8080', authorization: `Bearer ${revoked.secret}` }, 'revoked_token', revoked.id],
      ['expired, by the token', { host: 'localhost', authorization: `Bearer ${expired.secret}` }, 'expired_token', expired.id],
    ];
    const requestIds = new Map<string, [string, string | null, string]>();
    for (const [what, headers, reason, tokenId] of attempts) {
      const response = await server.inject(trailWith(headers));
      assertError(response, 401, 'UNAUTHENTICATED');
      requestIds.set(String(response.headers['x-request-id']), [reason, tokenId, what]);
    }
    const events = await storedEvents(server, gamma.org.id);
    const failed = ofType(events, 'login.failed');
    for (const [requestId, [reason, tokenId, what]] of requestIds) {
      const matching = failed.filter((event) => event.requestId === requestId);
      assert.equal(matching.length, 1, `one login.failed for the ${what} token`);
      const [event] = matching as [Envelope];
      assert.equal(event.outcome, 'failure', what);
      assert.equal(event.details['method'], 'api_token', what);
      assert.equal(event.details['reason'], reason, what);
      assert.equal(event.details['tokenId'], tokenId ?? undefined, what);
      assert.equal(event.endpoint, `POST ${TRAIL_URL}`, what);
    }
    const secrets = [unknown, revoked.secret, expired.secret, beta.token, 'hunter2-not-a-token'];
    const everything = JSON.stringify([events, await storedEvents(server, beta.org.id), server.logLines]);
    for (const secret of secrets) assert.ok(!everything.includes(secret), 'no secret in any event or log line');
  });
});

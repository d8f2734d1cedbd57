// Request rate limits (DESIGN §3): per token, per IP for unauthenticated requests, the
// X-RateLimit-* headers on every answer, and 429 RATE_LIMITED with Retry-After.
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { after, before, describe, test } from 'node:test';
import { generateTokenSecret } from '../src/core/access-token.ts';
import { assertError, extraToken, TRAIL_URL } from './support/http-helpers.ts';
import { dayBody, startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

const LIMIT = 5;

let server: TestServer;
let acme: TestOrg;
let accounts = 0;

before(async () => {
  server = await startTestServer({ SECTRAIL_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  acme = await server.createOrg('acme');
});

after(async () => {
  await server.close();
});

/** A token no request has used yet, so its window is fresh. */
async function freshToken(): Promise<string> {
  accounts += 1;
  return (await extraToken(server, acme, { accountName: `reader-${accounts}`, role: 'reader', scopes: ['security-log:read'] })).secret;
}

function trail(authorization: string | null, remoteAddress = '127.0.0.1', body: unknown = dayBody()): InjectOptions {
  const headers: Record<string, string> = { host: acme.host, 'content-type': 'application/json' };
  if (authorization !== null) headers['authorization'] = authorization;
  return { method: 'POST', url: TRAIL_URL, headers, payload: JSON.stringify(body), remoteAddress };
}

function rateHeaders(response: LightMyRequestResponse): { limit: number; remaining: number; reset: number } {
  const read = (name: string) => {
    const value = response.headers[name];
    assert.equal(typeof value, 'string', `${name} is present on a ${response.statusCode}`);
    assert.match(value as string, /^\d+$/, name);
    return Number(value);
  };
  return { limit: read('x-ratelimit-limit'), remaining: read('x-ratelimit-remaining'), reset: read('x-ratelimit-reset') };
}

function assertRateLimited(response: LightMyRequestResponse): void {
  assertError(response, 429, 'RATE_LIMITED');
  const retryAfter = response.headers['retry-after'];
  assert.match(String(retryAfter), /^\d+$/, 'Retry-After is a number of seconds');
  assert.ok(Number(retryAfter) >= 1 && Number(retryAfter) <= 60, `Retry-After ${String(retryAfter)} is within the window`);
  assert.equal(rateHeaders(response).remaining, 0);
}

describe('rate limit headers', () => {
  test('puts X-RateLimit-Limit, -Remaining and -Reset on a successful answer, counting down per request', async () => {
    const token = await freshToken();
    for (let used = 1; used <= LIMIT; used += 1) {
      const response = await server.inject(trail(`Bearer ${token}`));
      assert.equal(response.statusCode, 200, response.body);
      const headers = rateHeaders(response);
      assert.equal(headers.limit, LIMIT);
      assert.equal(headers.remaining, LIMIT - used);
      assert.ok(headers.reset >= 1 && headers.reset <= 60, `reset ${headers.reset}`);
      assert.equal(response.headers['retry-after'], undefined);
    }
  });

  test('puts the headers on error answers too: 400, 401, 404, 413 and 415', async () => {
    const token = await freshToken();
    const answers: [number, InjectOptions][] = [
      [400, trail(`Bearer ${token}`, '127.0.0.1', { year: 'soon' })],
      [401, trail(null, '10.0.0.1')],
      [404, { method: 'GET', url: '/api/nope', remoteAddress: '10.0.0.2' }],
      [413, trail(`Bearer ${token}`, '127.0.0.1', { ...dayBody(), pad: 'x'.repeat(70_000) })],
      [415, { ...trail(`Bearer ${token}`), headers: { host: acme.host, authorization: `Bearer ${token}`, 'content-type': 'text/plain' } }],
    ];
    for (const [status, request] of answers) {
      const response = await server.inject(request);
      assert.equal(response.statusCode, status, response.body);
      assert.equal(rateHeaders(response).limit, LIMIT);
    }
  });
});

describe('per token', () => {
  test('answers the 6th request of a token within a minute with 429 RATE_LIMITED and Retry-After', async () => {
    const token = await freshToken();
    // Both header forms name the same token, so they share one budget.
    for (let i = 0; i < LIMIT; i += 1) {
      const header = i % 2 === 0 ? `Bearer ${token}` : `Token token="${token}"`;
      assert.equal((await server.inject(trail(header))).statusCode, 200);
    }
    assertRateLimited(await server.inject(trail(`Token token=${token}`)));
    assertRateLimited(await server.inject(trail(`Bearer ${token}`)));
  });

  test('leaves a second token from the same address unaffected when the first is limited', async () => {
    const first = await freshToken();
    const second = await freshToken();
    for (let i = 0; i < LIMIT; i += 1) await server.inject(trail(`Bearer ${first}`, '10.0.1.1'));
    assertRateLimited(await server.inject(trail(`Bearer ${first}`, '10.0.1.1')));
    const response = await server.inject(trail(`Bearer ${second}`, '10.0.1.1'));
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(rateHeaders(response).remaining, LIMIT - 1);
  });
});

describe('per IP for unauthenticated requests', () => {
  test('answers the 6th unauthenticated request from one IP with 429, and not another IP', async () => {
    for (let i = 0; i < LIMIT; i += 1) {
      const response = await server.inject(trail(null, '10.0.2.1'));
      assertError(response, 401, 'UNAUTHENTICATED');
      assert.equal(rateHeaders(response).remaining, LIMIT - 1 - i);
    }
    assertRateLimited(await server.inject(trail(null, '10.0.2.1')));
    assertRateLimited(await server.inject(trail('Bearer garbage', '10.0.2.1')));
    assertError(await server.inject(trail(null, '10.0.2.2')), 401, 'UNAUTHENTICATED');
  });

  test('slows down one IP spraying a different unknown token with every request', async () => {
    for (let i = 0; i < LIMIT; i += 1) {
      assertError(await server.inject(trail(`Bearer ${generateTokenSecret()}`, '10.0.3.1')), 401, 'UNAUTHENTICATED');
    }
    assertRateLimited(await server.inject(trail(`Bearer ${generateTokenSecret()}`, '10.0.3.1')));
    assertError(await server.inject(trail(`Bearer ${generateTokenSecret()}`, '10.0.3.2')), 401, 'UNAUTHENTICATED');
  });
});

describe('keyed by what authenticated the request', () => {
  const health = (authorization: string | null, remoteAddress: string): InjectOptions => ({
    method: 'GET',
    url: '/healthz',
    headers: authorization === null ? {} : { authorization },
    remoteAddress,
  });

  test('counts a request with a made-up token against its address, on a route that does not authenticate', async () => {
    for (let i = 0; i < LIMIT; i += 1) {
      const response = await server.inject(health(`Bearer ${generateTokenSecret()}`, '10.0.4.1'));
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(rateHeaders(response).remaining, LIMIT - 1 - i);
    }
    assertRateLimited(await server.inject(health(`Bearer ${generateTokenSecret()}`, '10.0.4.1')));
    assertRateLimited(await server.inject(health(null, '10.0.4.1')));
  });

  test('counts a sign-in with a made-up token against its address', async () => {
    const login = (authorization: string): InjectOptions => ({
      method: 'POST',
      url: '/api/auth/login',
      headers: { host: acme.host, authorization, 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'nobody@acme.test', password: 'x' }),
      remoteAddress: '10.0.5.1',
    });
    for (let i = 0; i < LIMIT; i += 1) assertError(await server.inject(login(`Bearer ${generateTokenSecret()}`)), 401, 'UNAUTHENTICATED');
    assertRateLimited(await server.inject(login(`Bearer ${generateTokenSecret()}`)));
  });

  test('lets a token that authenticates use its own budget from an address that spent its own', async () => {
    for (let i = 0; i < LIMIT; i += 1) assertError(await server.inject(trail(`Bearer ${generateTokenSecret()}`, '10.0.6.1')), 401, 'UNAUTHENTICATED');
    assertRateLimited(await server.inject(trail(`Bearer ${generateTokenSecret()}`, '10.0.6.1')));
    const response = await server.inject(trail(`Bearer ${await freshToken()}`, '10.0.6.1'));
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(rateHeaders(response).remaining, LIMIT - 1, 'counted against the token');
  });

  test('counts the addresses of one IPv6 /64 as one client', async () => {
    for (let i = 1; i <= LIMIT; i += 1) assert.equal((await server.inject(health(null, `2001:db8:7:7::${String(i)}`))).statusCode, 200);
    assertRateLimited(await server.inject(health(null, '2001:db8:7:7:ffff::1')));
    assert.equal((await server.inject(health(null, '2001:db8:7:8::1'))).statusCode, 200);
  });
});

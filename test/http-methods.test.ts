// HTTP manners: a path the server has, asked with a method it does not take, is 405
// METHOD_NOT_ALLOWED with an Allow header listing the methods it takes; OPTIONS on it answers 204
// with the same Allow; HEAD answers wherever GET does, without a body; a path it does not have is
// 404, whatever the method. Checked for every route the server registers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { assertError, TRAIL_URL } from './support/http-helpers.ts';
import { recordRoutes, type RouteEntry } from './support/route-table.ts';
import { startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof METHODS)[number];

let server: TestServer;
let acme: TestOrg;
let routes: RouteEntry[];

before(async () => {
  const table = recordRoutes();
  server = await startTestServer({ SECTRAIL_RATE_LIMIT_PER_MINUTE: '1000000' });
  table.stop();
  routes = table.routes;
  acme = await server.createOrg('acme');
});

after(async () => {
  await server.close();
});

/** A concrete path for a route pattern: each parameter filled, a wildcard given one segment. */
function pathOf(pattern: string): string {
  return pattern.replace(/:\w+/g, 'x1').replace(/\*$/, 'x1');
}

function request(method: Method | 'OPTIONS', url: string, credentials = false): InjectOptions {
  return { method, url, headers: credentials ? { host: acme.host, authorization: `Token token=${acme.adminToken}` } : { host: acme.host } };
}

test('answers 405 METHOD_NOT_ALLOWED with Allow for a known path asked with a method it does not take', async () => {
  const cases: [Method, string, string][] = [
    ['GET', TRAIL_URL, 'POST, OPTIONS'],
    ['GET', TRAIL_URL.slice(0, -1), 'POST, OPTIONS'],
    ['DELETE', '/api/users/u1/role', 'PATCH, OPTIONS'],
    ['POST', '/healthz', 'GET, HEAD, OPTIONS'],
    ['PUT', '/api/tokens/t1', 'DELETE, OPTIONS'],
    ['PATCH', '/api/tokens', 'GET, HEAD, POST, OPTIONS'],
    ['DELETE', '/api/resources/r1/permissions', 'GET, HEAD, PUT, OPTIONS'],
    ['HEAD', '/api/auth/login', 'POST, OPTIONS'],
  ];
  for (const [method, url, allow] of cases) {
    for (const credentials of [false, true]) {
      const response = await server.inject(request(method, url, credentials));
      assert.equal(response.statusCode, 405, `${method} ${url}: ${response.body}`);
      assert.equal(response.headers['allow'], allow, `${method} ${url}`);
      if (method !== 'HEAD') assertError(response, 405, 'METHOD_NOT_ALLOWED');
    }
  }
});

test('lists in Allow exactly the methods each registered path takes, and answers 405 to every other', async () => {
  const byPath = new Map<string, Set<string>>();
  for (const route of routes) byPath.set(route.url, (byPath.get(route.url) ?? new Set()).add(route.method));
  assert.ok(byPath.size >= 25, `${byPath.size} paths`);
  for (const [pattern, taken] of byPath) {
    const url = pathOf(pattern);
    const expected = [...METHODS.filter((method) => taken.has(method)), 'OPTIONS'].join(', ');
    for (const method of METHODS) {
      const response = await server.inject(request(method, url));
      if (taken.has(method)) {
        // Its handler answers (a 404 there is an id or a file it does not know), never a 405.
        assert.notEqual(response.statusCode, 405, `${method} ${url} is a route`);
      } else {
        assert.equal(response.statusCode, 405, `${method} ${url}: ${response.body}`);
        assert.equal(response.headers['allow'], expected, `${method} ${url}`);
      }
    }
  }
});

test('answers OPTIONS on a known path with 204 and Allow, and on an unknown path with 404', async () => {
  const known = await server.inject(request('OPTIONS', '/api/groups/g1/members'));
  assert.equal(known.statusCode, 204);
  assert.equal(known.headers['allow'], 'PATCH, OPTIONS');
  assert.equal(known.body, '');
  assert.equal(known.headers['access-control-allow-origin'], undefined, 'no cross-origin access is granted');
  assertError(await server.inject(request('OPTIONS', '/api/nope')), 404, 'NOT_FOUND');
});

test('answers HEAD wherever GET answers, with its status and headers and no body', async () => {
  for (const [url, credentials] of [['/healthz', false], ['/api/users', true], ['/api/me', false]] as const) {
    const get = await server.inject(request('GET', url, credentials));
    const head = await server.inject(request('HEAD', url, credentials));
    assert.equal(head.statusCode, get.statusCode, url);
    assert.equal(head.headers['content-type'], get.headers['content-type'], url);
    assert.equal(head.body, '', url);
  }
});

test('answers 404 NOT_FOUND for a path no route has, whatever the method', async () => {
  for (const url of ['/api/nope', '/api/audit-log/security-trail/nope', '/audit-log/security-trail/', '/api/users/u1', '/api/tokens/t1/x']) {
    for (const method of METHODS) {
      const response = await server.inject(request(method, url));
      assert.equal(response.statusCode, 404, `${method} ${url}: ${response.body}`);
      assert.equal(response.headers['allow'], undefined);
      if (method !== 'HEAD') assertError(response, 404, 'NOT_FOUND');
    }
  }
});

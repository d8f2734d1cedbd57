// A URL the router cannot decode still gets the documented error shape, never fastify's own; and
// a path segment or body string that decodes to something a store cannot keep as text (NUL, a
// lone surrogate) is refused before it reaches a lookup, on either store.
import { after, before, test } from 'node:test';
import { assertError, authed } from './support/http-helpers.ts';
import { startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

let server: TestServer;
let acme: TestOrg;
before(async () => {
  server = await startTestServer();
  acme = await server.createOrg('acme');
});
after(async () => {
  await server.close();
});

test('answers a malformed URL with INVALID_REQUEST in the documented shape', async () => {
  assertError(await server.inject({ method: 'GET', url: '/api/%' }), 400, 'INVALID_REQUEST');
  assertError(await server.inject({ method: 'GET', url: '/api/users/%E0%A4%A' }), 400, 'INVALID_REQUEST');
});

test('refuses a NUL or a lone surrogate in a path id with INVALID_REQUEST, not a store failure', async () => {
  for (const id of ['%00', 'a%00b', '%ED%A0%80']) {
    assertError(await server.inject(authed(acme, 'DELETE', `/api/tokens/${id}`, undefined, acme.adminToken)), 400, 'INVALID_REQUEST');
    assertError(await server.inject(authed(acme, 'PATCH', `/api/users/${id}/role`, { role: 'reader' }, acme.adminToken)), 400, 'INVALID_REQUEST');
  }
});

test('refuses a NUL or a lone surrogate in a body string with INVALID_REQUEST', async () => {
  for (const name of ['\\u0000', 'a\\u0000b', '\\ud800']) {
    const request = authed(acme, 'POST', '/api/groups', undefined, acme.adminToken);
    const payload = `{"name":"${name}"}`;
    assertError(await server.inject({ ...request, headers: { ...request.headers, 'content-type': 'application/json' }, payload }), 400, 'INVALID_REQUEST');
  }
});

// A URL the router cannot decode still gets the documented error shape, never fastify's own.
import { after, before, test } from 'node:test';
import { assertError } from './support/http-helpers.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

test('answers a malformed URL with INVALID_REQUEST in the documented shape', async () => {
  assertError(await server.inject({ method: 'GET', url: '/api/%' }), 400, 'INVALID_REQUEST');
  assertError(await server.inject({ method: 'GET', url: '/api/users/%E0%A4%A' }), 400, 'INVALID_REQUEST');
});

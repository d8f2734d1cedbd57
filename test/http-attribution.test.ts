// Every event names where its request came from: the client IP (X-Forwarded-For believed only from
// configured proxies), the user agent, the route pattern and the request id the answer carries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storedEvents } from './support/http-helpers.ts';
import { startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

async function createAccount(server: TestServer, org: TestOrg, name: string, remoteAddress: string, headers: Record<string, string>) {
  const response = await server.inject({
    method: 'POST',
    url: '/api/service-accounts',
    remoteAddress,
    headers: { host: org.host, authorization: `Bearer ${org.adminToken}`, 'content-type': 'application/json', ...headers },
    payload: JSON.stringify({ name }),
  });
  assert.equal(response.statusCode, 201, response.body);
  const event = (await storedEvents(server, org.org.id)).find(
    (candidate) => candidate.type === 'service_account.created' && (candidate.details['serviceAccount'] as { name: string }).name === name,
  );
  assert.ok(event);
  return { event, requestId: String(response.headers['x-request-id']) };
}

test('believes X-Forwarded-For only from a configured proxy', async () => {
  const server = await startTestServer({ SECTRAIL_TRUSTED_PROXIES: '10.0.0.5' });
  try {
    const acme = await server.createOrg('acme');
    const proxied = await createAccount(server, acme, 'via-proxy', '10.0.0.5', { 'x-forwarded-for': '203.0.113.9' });
    assert.equal(proxied.event.ipAddress, '203.0.113.9');
    const direct = await createAccount(server, acme, 'direct', '198.51.100.1', { 'x-forwarded-for': '203.0.113.9' });
    assert.equal(direct.event.ipAddress, '198.51.100.1');
  } finally {
    await server.close();
  }
});

test('ignores X-Forwarded-For when no proxy is trusted', async () => {
  const server = await startTestServer();
  try {
    const acme = await server.createOrg('acme');
    const { event } = await createAccount(server, acme, 'spoofed', '198.51.100.2', { 'x-forwarded-for': '203.0.113.9' });
    assert.equal(event.ipAddress, '198.51.100.2');
  } finally {
    await server.close();
  }
});

test('records the user agent, the route pattern and the request id the answer carries', async () => {
  const server = await startTestServer();
  try {
    const acme = await server.createOrg('acme');
    const given = await createAccount(server, acme, 'traced', '198.51.100.3', { 'user-agent': 'siem-sync/2.1', 'x-request-id': 'trace-42.abc' });
    assert.equal(given.event.userAgent, 'siem-sync/2.1');
    assert.equal(given.event.endpoint, 'POST /api/service-accounts');
    assert.equal(given.event.requestId, 'trace-42.abc');
    assert.equal(given.requestId, 'trace-42.abc');
    const generated = await createAccount(server, acme, 'untraced', '198.51.100.3', { 'x-request-id': 'bad id\twith tab' });
    assert.match(generated.event.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(generated.event.requestId, generated.requestId);
  } finally {
    await server.close();
  }
});

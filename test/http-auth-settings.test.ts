// The org's login settings over HTTP: client secrets write-only and sealed at rest, the whole
// provider list replaced, no change without an event and no event without a change, and no
// setting that locks everyone out.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { storedBytes } from './support/stored-bytes.ts';
import { assertError, extraToken, ofType, storedEvents } from './support/http-helpers.ts';
import { startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

const URL_ = '/api/org/auth-settings';
const SECRET = 'canary-client-secret-7f3a9c';
const OKTA = { name: 'okta', issuer: 'https://acme.okta.example', clientId: 'sectrail-acme', clientSecret: SECRET };

let server: TestServer;
let acme: TestOrg;

before(async () => {
  server = await startTestServer();
  acme = await server.createOrg('acme');
});
after(async () => {
  await server.close();
});

function settings(method: 'GET' | 'PATCH', body?: unknown, token = acme.adminToken): InjectOptions {
  const headers: Record<string, string> = { host: acme.host, authorization: `Bearer ${token}` };
  if (body === undefined) return { method, url: URL_, headers };
  return { method, url: URL_, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) };
}

test('starts with plain login only', async () => {
  const response = await server.inject(settings('GET'));
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), { plainLogin: true, googleOAuth: false, sso: null });
});

test('adds an SSO provider, shows its secret as *** and logs the change without it', async () => {
  const response = await server.inject(settings('PATCH', { sso: { providers: [OKTA] } }));
  assert.equal(response.statusCode, 200, response.body);
  assert.deepEqual(response.json(), { plainLogin: true, googleOAuth: false, sso: { providers: [{ ...OKTA, clientSecret: '***' }] } });
  const [event, ...more] = ofType(await storedEvents(server, acme.org.id), 'org.auth_settings.updated');
  assert.equal(more.length, 0);
  assert.ok(event);
  assert.deepEqual(event.details['changed'], ['sso']);
  assert.deepEqual(event.details['before'], { plainLogin: true, googleOAuth: false, sso: null });
  assert.equal(event.endpoint, 'PATCH /api/org/auth-settings');
  assert.ok(!JSON.stringify(event).includes(SECRET));
  assert.equal((await storedBytes(server)).indexOf(SECRET), -1, 'the store holds the client secret in clear');
});

test('keeps a stored secret sent back as *** and logs nothing when nothing changed', async () => {
  const before = (await storedEvents(server, acme.org.id)).length;
  const response = await server.inject(settings('PATCH', { sso: { providers: [{ ...OKTA, clientSecret: '***' }] } }));
  assert.equal(response.statusCode, 200, response.body);
  assert.equal((await storedEvents(server, acme.org.id)).length, before);
  const opened = await server.runtime.store.platform.authSettings(acme.org.id);
  assert.equal(server.runtime.deps.sealer.open(opened.sso?.providers[0]?.clientSecret ?? ''), SECRET);
});

test('turns plain login off while a provider remains, and refuses to remove the last way in', async () => {
  const off = await server.inject(settings('PATCH', { plainLogin: false }));
  assert.equal(off.statusCode, 200, off.body);
  const [event] = ofType(await storedEvents(server, acme.org.id), 'org.auth_settings.updated').slice(-1);
  assert.deepEqual(event?.details['changed'], ['plainLogin']);
  assertError(await server.inject(settings('PATCH', { sso: null })), 409, 'CONFLICT');
  assertError(await server.inject(settings('PATCH', { sso: { providers: [] } })), 409, 'CONFLICT');
  // googleOAuth does not count: the operator has not configured a Google client here.
  assertError(await server.inject(settings('PATCH', { sso: null, googleOAuth: true })), 409, 'CONFLICT');
  assert.equal((await server.inject(settings('PATCH', { plainLogin: true, sso: null }))).statusCode, 200);
});

test('refuses bad providers with INVALID_REQUEST', async () => {
  const bad = [
    { providers: [{ ...OKTA, name: 'google' }] },
    { providers: [OKTA, OKTA] },
    { providers: [{ ...OKTA, name: 'Bad Name' }] },
    { providers: [{ name: 'new', issuer: 'https://idp.example', clientId: 'x' }] },
    { providers: [{ ...OKTA, name: 'plain', issuer: 'http://idp.example' }] },
    { providers: [{ ...OKTA, name: 'junk', issuer: 'not a url' }] },
    { providers: [{ ...OKTA, extra: 1 }] },
  ];
  for (const sso of bad) assertError(await server.inject(settings('PATCH', { sso })), 400, 'INVALID_REQUEST');
  assertError(await server.inject(settings('PATCH', { plainLogin: 'no' })), 400, 'INVALID_REQUEST');
  const loopback = { providers: [{ ...OKTA, name: 'local', issuer: 'http://127.0.0.1:9999' }] };
  assert.equal((await server.inject(settings('PATCH', { sso: loopback }))).statusCode, 200);
});

test('lets only an org admin read or change them', async () => {
  assertError(await server.inject(settings('GET', undefined, acme.token)), 403, 'FORBIDDEN');
  const reader = await extraToken(server, acme, { accountName: 'not-admin', role: 'reader', scopes: ['platform:admin'] });
  assertError(await server.inject(settings('PATCH', { plainLogin: true }, reader.secret)), 403, 'FORBIDDEN');
  assertError(await server.inject({ method: 'GET', url: URL_, headers: { host: acme.host } }), 401, 'UNAUTHENTICATED');
});

test('asks for the client secret again when a provider\u2019s issuer or client id changes', async () => {
  assert.equal((await server.inject(settings('PATCH', { sso: { providers: [OKTA] } }))).statusCode, 200);
  const moved = { ...OKTA, issuer: 'https://rogue.example', clientSecret: '***' };
  assertError(await server.inject(settings('PATCH', { sso: { providers: [moved] } })), 400, 'INVALID_REQUEST');
  const renamedClient = { ...OKTA, clientId: 'other-client', clientSecret: '***' };
  assertError(await server.inject(settings('PATCH', { sso: { providers: [renamedClient] } })), 400, 'INVALID_REQUEST');
  const withSecret = { ...OKTA, issuer: 'https://rogue.example', clientSecret: 'a-new-secret' };
  assert.equal((await server.inject(settings('PATCH', { sso: { providers: [withSecret] } }))).statusCode, 200);
});

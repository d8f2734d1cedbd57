// The org's login settings over HTTP: client secrets write-only and sealed at rest, the whole
// provider list replaced, no change without an event and no event without a change, and no
// setting that locks everyone out.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
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

test('refuses control characters in a provider\u2019s name, issuer or client id, naming the field', async () => {
  const controls = ['\u0007', '\t', '\n', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029'];
  for (const control of controls) {
    const fields: [string, Record<string, string>][] = [
      ['name', { name: `ok${control}ta` }],
      ['issuer', { issuer: `https://acme.okta.example/${control}` }],
      ['clientId', { clientId: `sectrail${control}acme` }],
    ];
    for (const [field, change] of fields) {
      const response = await server.inject(settings('PATCH', { sso: { providers: [{ ...OKTA, ...change }] } }));
      assertError(response, 400, 'INVALID_REQUEST');
      // The field's name is the point of the message.
      assert.match(response.json<{ error: { message: string } }>().error.message, new RegExp(`^sso\\.providers\\.0\\.${field} `), JSON.stringify(control));
    }
  }
});

test('stores the issuer normalised, so that another spelling of it keeps the stored secret', async () => {
  const spelled = { ...OKTA, issuer: 'HTTPS://Acme.OKTA.example:443/' };
  const saved = await server.inject(settings('PATCH', { plainLogin: true, sso: { providers: [spelled] } }));
  assert.equal(saved.statusCode, 200, saved.body);
  const providers = (body: LightMyRequestResponse) => body.json<{ sso: { providers: { issuer: string }[] } }>().sso.providers;
  assert.equal(providers(saved)[0]?.issuer, 'https://acme.okta.example');
  const events = (await storedEvents(server, acme.org.id)).length;
  const again = await server.inject(settings('PATCH', { sso: { providers: [{ ...OKTA, issuer: 'https://acme.okta.example/', clientSecret: '***' }] } }));
  assert.equal(again.statusCode, 200, again.body);
  assert.equal((await storedEvents(server, acme.org.id)).length, events, 'the same issuer spelled otherwise counted as a change');
  const opened = await server.runtime.store.platform.authSettings(acme.org.id);
  assert.equal(server.runtime.deps.sealer.open(opened.sso?.providers[0]?.clientSecret ?? ''), SECRET);

  const tenant = await server.inject(settings('PATCH', { sso: { providers: [{ ...OKTA, issuer: 'https://IDP.example:8443/realms/acme/' }] } }));
  assert.equal(tenant.statusCode, 200, tenant.body);
  assert.equal(providers(tenant)[0]?.issuer, 'https://idp.example:8443/realms/acme/', 'a path keeps its trailing slash');
  for (const issuer of ['https://idp.example/?tenant=acme', 'https://idp.example/#x', 'https://user:pass@idp.example']) {
    assertError(await server.inject(settings('PATCH', { sso: { providers: [{ ...OKTA, issuer }] } })), 400, 'INVALID_REQUEST');
  }
});

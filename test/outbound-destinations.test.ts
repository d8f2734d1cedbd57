// The destination policy through the whole server: SECTRAIL_ALLOW_PRIVATE_DESTINATIONS read at
// start, an SSO issuer refused when saved, and, when one slipped through (saved under another
// policy, or its metadata pointing elsewhere), refused again on connect: the listener behind it
// receives not one connection, the browser gets 502 and the server log says why.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ConfigError, readConfig } from '../src/config.ts';
import { ALLOW_ALL_DESTINATIONS, GLOBAL_DESTINATIONS_ONLY } from '../src/core/destination-policy.ts';
import { countingHttpServer, type CountingListener } from './support/counting-listener.ts';
import { assertError, ofType, storedEvents } from './support/http-helpers.ts';
import { startTestServer, type TestOrg } from './support/test-server.ts';

const SETTINGS = '/api/org/auth-settings';

let listener: CountingListener;

before(async () => {
  listener = await countingHttpServer((_request, response) => response.writeHead(404).end());
});
after(async () => {
  await listener.close();
});

function patch(org: TestOrg, body: unknown) {
  return {
    method: 'PATCH' as const,
    url: SETTINGS,
    headers: { host: org.host, authorization: `Bearer ${org.adminToken}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  };
}

const provider = (issuer: string) => ({ sso: { providers: [{ name: 'corp', issuer, clientId: 'sectrail', clientSecret: 'a-client-secret' }] } });

function errorMessage(response: LightMyRequestResponse): string {
  return response.json<{ error: { message: string } }>().error.message;
}

test('allows private destinations by default only to a server listening on loopback', () => {
  assert.deepEqual(readConfig({}).destinationPolicy, ALLOW_ALL_DESTINATIONS);
  for (const host of ['127.0.0.1', '::1', 'localhost']) assert.deepEqual(readConfig({ HOST: host }).destinationPolicy, ALLOW_ALL_DESTINATIONS, host);
  for (const host of ['0.0.0.0', '::', '10.0.0.5']) assert.deepEqual(readConfig({ HOST: host }).destinationPolicy, GLOBAL_DESTINATIONS_ONLY, host);
  assert.deepEqual(readConfig({ HOST: '0.0.0.0', SECTRAIL_ALLOW_PRIVATE_DESTINATIONS: 'true' }).destinationPolicy, ALLOW_ALL_DESTINATIONS);
  assert.deepEqual(readConfig({ SECTRAIL_ALLOW_PRIVATE_DESTINATIONS: 'false' }).destinationPolicy, GLOBAL_DESTINATIONS_ONLY);
  assert.deepEqual(readConfig({ SECTRAIL_ALLOW_PRIVATE_DESTINATIONS: '10.0.0.0/8, fd00::/8' }).destinationPolicy, {
    allowAll: false,
    allowedRanges: ['10.0.0.0/8', 'fd00::/8'],
  });
});

test('stops the start on a value that is neither true, false nor CIDR ranges, naming the variable', () => {
  for (const bad of ['yes', '10.0.0.1', '10.0.0.0/8;fd00::/8', '10.0.0.5/8', 'all']) {
    assert.throws(
      () => readConfig({ SECTRAIL_ALLOW_PRIVATE_DESTINATIONS: bad }),
      (error: unknown) => error instanceof ConfigError && error.message.startsWith('SECTRAIL_ALLOW_PRIVATE_DESTINATIONS '),
      bad,
    );
  }
});

test('refuses to save an issuer on a loopback or private address, without contacting it', async () => {
  const server = await startTestServer({ SECTRAIL_ALLOW_PRIVATE_DESTINATIONS: 'false' });
  try {
    const acme = await server.createOrg('acme');
    const issuers = [listener.origin, `http://localhost:${listener.port}`, `http://[::1]:${listener.port}`, 'https://10.0.0.7', 'https://169.254.169.254/latest'];
    for (const issuer of issuers) {
      const response = await server.inject(patch(acme, provider(issuer)));
      assertError(response, 400, 'INVALID_REQUEST');
      assert.match(errorMessage(response), /^sso\.providers\.0\.issuer: /, issuer);
    }
    assert.equal(listener.connections, 0, 'a refused issuer was contacted');
    assert.equal(ofType(await storedEvents(server, acme.org.id), 'org.auth_settings.updated').length, 0);
    const stored = await server.inject({ method: 'GET', url: SETTINGS, headers: { host: acme.host, authorization: `Bearer ${acme.adminToken}` } });
    assert.equal(stored.json<{ sso: unknown }>().sso, null);
  } finally {
    await server.close();
  }
});

test('lets exactly the listed ranges be saved', async () => {
  const server = await startTestServer({ SECTRAIL_ALLOW_PRIVATE_DESTINATIONS: '127.0.0.1/32' });
  try {
    const acme = await server.createOrg('acme');
    assert.equal((await server.inject(patch(acme, provider(listener.origin)))).statusCode, 200);
    assertError(await server.inject(patch(acme, provider(`http://127.0.0.2:${listener.port}`))), 400, 'INVALID_REQUEST');
    assert.equal(listener.connections, 0, 'saving contacts nobody');
  } finally {
    await server.close();
  }
});

test('refuses on connect an issuer that was saved under a policy that allowed it', async () => {
  const server = await startTestServer({ SECTRAIL_ALLOW_PRIVATE_DESTINATIONS: 'false' });
  try {
    const acme = await server.createOrg('acme');
    const { sealer, store } = server.runtime.deps;
    await store.transact(async (tx) => {
      await tx.setAuthSettings(acme.org.id, {
        plainLogin: true,
        googleOAuth: false,
        sso: { providers: [{ name: 'corp', issuer: listener.origin, clientId: 'sectrail', clientSecret: sealer.seal('a-client-secret') }] },
      });
    });
    const start = await server.inject({ method: 'GET', url: '/api/auth/sso/corp/start', headers: { host: acme.host } });
    assertError(start, 502, 'SSO_PROVIDER_UNAVAILABLE');
    assert.equal(listener.connections, 0, 'the refused issuer was contacted');
    // Saving the list again as it is (as the console does with any change) does not ask again
    // about an issuer already stored; changing it to another refused one does.
    const unchanged = { sso: { providers: [{ name: 'corp', issuer: listener.origin, clientId: 'sectrail', clientSecret: '***' }] }, googleOAuth: false };
    assert.equal((await server.inject(patch(acme, unchanged))).statusCode, 200);
    assertError(await server.inject(patch(acme, provider(`http://127.0.0.2:${listener.port}`))), 400, 'INVALID_REQUEST');
    const line = server.logLines.find((entry) => entry.includes('the SSO provider could not be reached'));
    assert.ok(line, 'the server log does not say why');
    assert.match(line, /DestinationRefusedError: refused to connect to 127\.0\.0\.1: it is a loopback address/);
    assert.doesNotMatch(line, /a-client-secret/);
  } finally {
    await server.close();
  }
});

test('refuses on connect a token endpoint that the issuer\u2019s metadata puts on a refused address', async () => {
  const inside = await countingHttpServer((_request, response) => response.end('{}'), { host: '127.0.0.2' });
  const issuer = await countingHttpServer((request, response) => {
    const origin = `http://127.0.0.1:${issuer.port}`;
    if (request.url !== '/.well-known/openid-configuration') return void response.writeHead(404).end();
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        issuer: origin,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${inside.origin}/token`,
        jwks_uri: `${origin}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
      }),
    );
  });
  const server = await startTestServer({ SECTRAIL_ALLOW_PRIVATE_DESTINATIONS: '127.0.0.1/32' });
  try {
    const acme = await server.createOrg('acme');
    assert.equal((await server.inject(patch(acme, provider(issuer.origin)))).statusCode, 200);
    const start = await server.inject({ method: 'GET', url: '/api/auth/sso/corp/start', headers: { host: acme.host } });
    assert.equal(start.statusCode, 302, start.body);
    const state = new URL(String(start.headers.location)).searchParams.get('state') ?? '';
    const cookie = String(start.headers['set-cookie']).split(';')[0] ?? '';
    const before = (await storedEvents(server, acme.org.id)).length;
    const callback = await server.inject({
      method: 'GET',
      url: `/api/auth/sso/corp/callback?code=a-code&state=${state}`,
      headers: { host: acme.host, cookie },
    });
    assertError(callback, 502, 'SSO_PROVIDER_UNAVAILABLE');
    assert.equal(inside.connections, 0, 'the code was sent to a refused address');
    const failures = ofType((await storedEvents(server, acme.org.id)).slice(before), 'login.failed');
    assert.deepEqual(failures.map((event) => [event.details['method'], event.details['reason'], event.details['provider']]), [['sso', 'sso_error', 'corp']]);
    const line = server.logLines.find((entry) => entry.includes('the SSO provider could not be reached'));
    assert.match(line ?? '', /refused to connect to 127\.0\.0\.2: it is a loopback address/);
  } finally {
    await server.close();
    await inside.close();
    await issuer.close();
  }
});

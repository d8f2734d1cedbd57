// SSO sign-in end to end against a real OpenID provider on loopback: code flow with PKCE, state
// and nonce, a single-use attempt bound to the browser, invitations accepted through SSO, and a
// logged refusal for everything else.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ofType, storedEvents } from './support/http-helpers.ts';
import { startOidcProvider, type OidcTestProvider } from './support/oidc-test-provider.ts';
import { startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

const HOST = 'acme.localhost';
const CALLBACK = `http://${HOST}/api/auth/sso/okta/callback`;

let server: TestServer;
let acme: TestOrg;
let provider: OidcTestProvider;

before(async () => {
  server = await startTestServer();
  acme = await server.createOrg('acme');
  provider = await startOidcProvider({
    redirectUri: CALLBACK,
    accounts: [
      { sub: 'ada', email: 'admin@acme.test', email_verified: true, name: 'Ada Admin' },
      { sub: 'eve', email: 'eve@acme.test', email_verified: false, name: 'Eve' },
      { sub: 'zed', email: 'zed@elsewhere.test', email_verified: true, name: 'Zed' },
      { sub: 'ivy', email: 'ivy@acme.test', email_verified: true, name: 'Ivy Invited' },
    ],
  });
  const okta = { name: 'okta', issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret };
  await server.runtime.deps.store.transact(async (tx) => {
    await tx.setAuthSettings(acme.org.id, {
      plainLogin: true,
      googleOAuth: false,
      sso: { providers: [{ ...okta, clientSecret: server.runtime.deps.sealer.seal(okta.clientSecret) }] },
    });
  });
});

after(async () => {
  await provider.close();
  await server.close();
});

function cookieValue(response: LightMyRequestResponse, name: string): string | null {
  const header = response.headers['set-cookie'];
  const all = Array.isArray(header) ? header : header === undefined ? [] : [header];
  const found = all.find((cookie) => cookie.startsWith(`${name}=`));
  return found === undefined ? null : (found.split(';')[0]?.slice(name.length + 1) ?? null);
}

async function start(): Promise<{ location: string; handle: string; setCookie: string[] }> {
  const response = await server.inject({ method: 'GET', url: '/api/auth/sso/okta/start', headers: { host: HOST } });
  assert.equal(response.statusCode, 302, response.body);
  const handle = cookieValue(response, 'sectrail_sso');
  assert.ok(handle);
  const header = response.headers['set-cookie'];
  return { location: String(response.headers.location), handle, setCookie: Array.isArray(header) ? header : [String(header)] };
}

async function callback(finalUrl: string, handle: string | null): Promise<LightMyRequestResponse> {
  const url = new URL(finalUrl);
  const headers: Record<string, string> = { host: HOST };
  if (handle !== null) headers['cookie'] = `sectrail_sso=${handle}`;
  return server.inject({ method: 'GET', url: url.pathname + url.search, headers });
}

test('starts a code flow with PKCE S256, state, nonce and an HttpOnly attempt cookie', async () => {
  const { location, setCookie } = await start();
  const url = new URL(location);
  assert.equal(url.origin, provider.issuer);
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(url.searchParams.get('scope'), 'openid email profile');
  assert.equal(url.searchParams.get('redirect_uri'), CALLBACK);
  for (const name of ['state', 'nonce', 'code_challenge']) assert.ok(url.searchParams.get(name), name);
  assert.match(setCookie.join('\n'), /sectrail_sso=[^;]+; Path=\/api\/auth\/sso; Max-Age=600; HttpOnly; SameSite=Lax/);
});

test('signs a member in by their verified email and logs login.succeeded with the provider', async () => {
  const { location, handle } = await start();
  const response = await callback(await provider.followLogin(location, 'ada'), handle);
  assert.equal(response.statusCode, 302, response.body);
  assert.equal(response.headers.location, '/');
  const session = cookieValue(response, 'sectrail_session');
  assert.ok(session);
  const me = await server.inject({ method: 'GET', url: '/api/me', headers: { host: HOST, cookie: `sectrail_session=${session}` } });
  assert.equal(me.statusCode, 200, me.body);
  const [event] = ofType(await storedEvents(server, acme.org.id), 'login.succeeded').filter((e) => e.details['method'] === 'sso');
  assert.ok(event);
  assert.deepEqual(event.details, { method: 'sso', provider: 'okta' });
  assert.equal(event.user?.email, 'admin@acme.test');
  assert.equal(event.endpoint, 'GET /api/auth/sso/:provider/callback');
});

test('uses each attempt once: a replayed callback is refused and logged as sso_error', async () => {
  const { location, handle } = await start();
  const finalUrl = await provider.followLogin(location, 'ada');
  assert.equal((await callback(finalUrl, handle)).statusCode, 302);
  const replay = await callback(finalUrl, handle);
  assert.equal(replay.statusCode, 401);
  assert.equal(replay.json<{ error: { code: string } }>().error.code, 'UNAUTHENTICATED');
});

test('refuses a callback from another browser (no attempt cookie)', async () => {
  const { location } = await start();
  const response = await callback(await provider.followLogin(location, 'ada'), null);
  assert.equal(response.statusCode, 401);
});

test('refuses an unverified email as sso_error and an unknown one as unknown_user', async () => {
  const before = (await storedEvents(server, acme.org.id)).length;
  const first = await start();
  assert.equal((await callback(await provider.followLogin(first.location, 'eve'), first.handle)).statusCode, 401);
  const second = await start();
  assert.equal((await callback(await provider.followLogin(second.location, 'zed'), second.handle)).statusCode, 401);
  const failures = ofType((await storedEvents(server, acme.org.id)).slice(before), 'login.failed');
  assert.deepEqual(
    failures.map((event) => [event.details['reason'], event.details['attemptedEmail'], event.details['method']]),
    [
      ['sso_error', 'eve@acme.test', 'sso'],
      ['unknown_user', 'zed@elsewhere.test', 'sso'],
    ],
  );
});

test('accepts a pending invitation through SSO, with both events in one transaction', async () => {
  const invite = await server.inject({
    method: 'POST',
    url: '/api/invitations',
    headers: { host: HOST, authorization: `Bearer ${acme.adminToken}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ email: 'ivy@acme.test', role: 'writer' }),
  });
  assert.equal(invite.statusCode, 201, invite.body);
  const { location, handle } = await start();
  const response = await callback(await provider.followLogin(location, 'ivy'), handle);
  assert.equal(response.statusCode, 302, response.body);
  const events = await storedEvents(server, acme.org.id);
  const accepted = ofType(events, 'invitation.accepted').at(-1);
  const signedIn = events.at(-1);
  assert.equal(accepted?.details['email'], 'ivy@acme.test');
  assert.equal(accepted?.details['role'], 'writer');
  assert.equal(signedIn?.type, 'login.succeeded');
  assert.equal(signedIn?.seq, (accepted?.seq ?? 0) + 1);
  assert.equal(signedIn?.timestamp, accepted?.timestamp);
  const member = await server.runtime.store.platform.memberByEmail(acme.org.id, 'ivy@acme.test');
  assert.equal(member?.name, 'Ivy Invited');
  assert.equal(member?.role, 'writer');
  assert.equal(member?.passwordHash, null);
});

test('shows a browser that navigated to a failed sign-in a page with the same status and code, still logged', async () => {
  const before = (await storedEvents(server, acme.org.id)).length;
  const { location, handle } = await start();
  const url = new URL(await provider.followLogin(location, 'zed'));
  const navigation = { host: HOST, cookie: `sectrail_sso=${handle}`, 'sec-fetch-mode': 'navigate', accept: 'text/html' };
  const page = await server.inject({ method: 'GET', url: url.pathname + url.search, headers: navigation });
  assert.equal(page.statusCode, 401);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.equal(page.headers['www-authenticate'], 'Bearer realm="sectrail"');
  assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
  assert.equal(page.headers['vary'], 'Sec-Fetch-Mode', 'a cache keeps the page and the JSON apart');
  assert.match(page.body, /<code>UNAUTHENTICATED<\/code>/);
  assert.match(page.body, /not a member of this organization and has no pending invitation/);
  assert.match(page.body, /<a class="button" href="\/">Back to sign-in<\/a>/);
  assert.doesNotMatch(page.body, /<script/);
  const failures = ofType((await storedEvents(server, acme.org.id)).slice(before), 'login.failed');
  assert.deepEqual(failures.map((event) => event.details['reason']), ['unknown_user']);

  // Not a navigation (a fetch, curl, a SIEM's probe): the JSON error, as ever.
  const fetched = await server.inject({ method: 'GET', url: '/api/auth/sso/okta/callback?code=x&state=y', headers: { host: HOST, accept: 'text/html' } });
  assert.equal(fetched.statusCode, 401);
  assert.equal(fetched.json<{ error: { code: string } }>().error.code, 'UNAUTHENTICATED');
  assert.equal(fetched.headers['vary'], 'Sec-Fetch-Mode');
  const unknown = await server.inject({ method: 'GET', url: '/api/auth/sso/nope/start', headers: { host: HOST, 'sec-fetch-mode': 'navigate' } });
  assert.equal(unknown.statusCode, 404);
  assert.match(unknown.body, /<code>NOT_FOUND<\/code>/);
});

test('answers 404 for an unknown provider and 400 without an org in the Host', async () => {
  const unknown = await server.inject({ method: 'GET', url: '/api/auth/sso/nope/start', headers: { host: HOST } });
  assert.equal(unknown.statusCode, 404);
  const google = await server.inject({ method: 'GET', url: '/api/auth/sso/google/start', headers: { host: HOST } });
  assert.equal(google.statusCode, 404);
  const noOrg = await server.inject({ method: 'GET', url: '/api/auth/sso/okta/start', headers: { host: '127.0.0.1' } });
  assert.equal(noOrg.statusCode, 400);
});

test('keeps at most twenty sign-ins open per client, so starting sign-ins cannot grow the store', async () => {
  const handles: string[] = [];
  for (let i = 0; i < 30; i += 1) {
    const response = await server.inject({ method: 'GET', url: '/api/auth/sso/okta/start', headers: { host: HOST }, remoteAddress: '198.51.100.60' });
    assert.equal(response.statusCode, 302, response.body);
    handles.push(cookieValue(response, 'sectrail_sso') ?? '');
  }
  const other = await server.inject({ method: 'GET', url: '/api/auth/sso/okta/start', headers: { host: HOST }, remoteAddress: '198.51.100.61' });
  const hash = (handle: string) => createHash('sha256').update(handle).digest('hex');
  const open = [];
  for (const handle of handles) {
    if ((await server.runtime.store.transact((tx) => tx.takeSsoAttempt(hash(handle)))) !== null) open.push(handle);
  }
  assert.deepEqual(open, handles.slice(-20), 'the newest twenty of that client');
  assert.ok((await server.runtime.store.transact((tx) => tx.takeSsoAttempt(hash(cookieValue(other, 'sectrail_sso') ?? '')))) !== null, 'another client keeps its own');
});

test('signs in through an issuer saved in another spelling, which keeps its secret and matches discovery', async () => {
  const spelled = provider.issuer.replace('http://', 'HTTP://') + '/';
  const okta = { name: 'okta', issuer: spelled, clientId: provider.clientId, clientSecret: '***' };
  const saved = await server.inject({
    method: 'PATCH',
    url: '/api/org/auth-settings',
    headers: { host: HOST, authorization: `Bearer ${acme.adminToken}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ sso: { providers: [okta] } }),
  });
  assert.equal(saved.statusCode, 200, saved.body);
  assert.equal(saved.json<{ sso: { providers: { issuer: string }[] } }>().sso.providers[0]?.issuer, provider.issuer);
  const { location, handle } = await start();
  const response = await callback(await provider.followLogin(location, 'ada'), handle);
  assert.equal(response.statusCode, 302, response.body);
  assert.equal(response.headers.location, '/');
});

test('answers 502 SSO_PROVIDER_UNAVAILABLE when the provider cannot be reached', async () => {
  const down = await startOidcProvider({ redirectUri: CALLBACK, accounts: [] });
  await down.close();
  await server.runtime.deps.store.transact(async (tx) => {
    await tx.setAuthSettings(acme.org.id, {
      plainLogin: true,
      googleOAuth: false,
      sso: { providers: [{ name: 'okta', issuer: down.issuer, clientId: 'x', clientSecret: server.runtime.deps.sealer.seal('y') }] },
    });
  });
  const response = await server.inject({ method: 'GET', url: '/api/auth/sso/okta/start', headers: { host: HOST } });
  assert.equal(response.statusCode, 502, response.body);
  assert.equal(response.json<{ error: { code: string } }>().error.code, 'SSO_PROVIDER_UNAVAILABLE');
});

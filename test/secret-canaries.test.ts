// Secrets planted as canaries (passwords, right and wrong, an SSO client secret, made-up tokens)
// and every secret the server hands out in a day of use (token secrets, invitation secrets,
// session cookies) must never be readable anywhere they end up: the database (SQLite files or a
// pg_dump), the server's log, the day's events, or what the forwarder delivers to a SIEM (native,
// OCSF and CEF files, syslog frames). Searched in clear and in common encodings. Twice: a scripted
// day against the in-process server, and `sectrail demo` against a real server process.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createOrg, setSecurityLogEnabled } from '../src/platform/orgs.ts';
import { pullEverywhere, type ForwarderOutput } from './support/forwarder-capture.ts';
import { setCookies } from './support/login-helpers.ts';
import { runCli, startServerProcess, type ServerProcess } from './support/processes.ts';
import { startRecordingProxy, type RecordedExchange, type RecordingProxy } from './support/recording-proxy.ts';
import { leaksOf, type Place, type Secret } from './support/secret-search.ts';
import { storedBytes } from './support/stored-bytes.ts';
import { OPERATOR, startTestServer, type TestServer } from './support/test-server.ts';
import { storeEnv, type StoreEnv } from './support/test-store.ts';

const canary = (label: string) => `canary-${label}-${randomBytes(12).toString('hex')}`;
const today = () => new Date().toISOString().slice(0, 10);
const DAY_BODY = () => {
  const [year, month, day] = today().split('-').map(Number);
  return { year, month, day };
};

/** The secrets a day of use showed: what was sent as a password, a token, a cookie, a client secret, and what the answers handed out. */
/** One request and its answer, as a secret may have crossed them. */
interface Exchange {
  readonly path: string;
  readonly request: string;
  readonly requestHeaders: Record<string, string | string[] | undefined>;
  readonly response: string;
  readonly responseHeaders: Record<string, string | string[] | number | undefined>;
}

function secretsIn(exchanges: readonly Exchange[]): Secret[] {
  const found: Secret[] = [];
  const add = (kind: string, value: unknown) => {
    if (typeof value === 'string' && value.length >= 12 && value !== '***') found.push({ kind, value });
  };
  const json = (text: string): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  };
  const walk = (value: unknown, visit: (key: string, inner: unknown) => void): void => {
    if (Array.isArray(value)) for (const inner of value) walk(inner, visit);
    else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        visit(key, inner);
        walk(inner, visit);
      }
    }
  };
  for (const exchange of exchanges) {
    walk(json(exchange.request), (key, inner) => {
      if (key === 'password') add('password', inner);
      if (key === 'clientSecret') add('SSO client secret', inner);
    });
    walk(json(exchange.response), (key, inner) => {
      if (key === 'token') add('token', inner);
      if (key === 'csrfToken') add('CSRF token', inner);
    });
    const authorization = exchange.requestHeaders['authorization'];
    add('token', /^(?:Token token=|Bearer )(\S+)$/.exec(typeof authorization === 'string' ? authorization : '')?.[1]);
    const text = `${exchange.path}\n${exchange.request}\n${exchange.response}\n${JSON.stringify(exchange.requestHeaders)}\n${JSON.stringify(exchange.responseHeaders)}`;
    for (const match of text.match(/sct_[A-Za-z0-9_-]{43}/g) ?? []) add('token', match);
    for (const match of text.match(/sci_[A-Za-z0-9_-]{43}/g) ?? []) add('invitation secret', match);
    for (const match of text.matchAll(/sectrail_(?:session|sso)=([A-Za-z0-9_-]+)/g)) add('session or sign-in cookie', match[1]);
  }
  const unique = new Map(found.map((secret) => [secret.value, secret]));
  return [...unique.values()];
}

/** Every character as a %XX escape: what a URL may say for any character, and a log must not keep. */
function escapeEvery(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

function countOf(secrets: readonly Secret[], kind: string): number {
  return secrets.filter((secret) => secret.kind === kind).length;
}

test('a scripted day against the in-process server leaves no secret readable in the store, the log, the events or what the forwarder delivers', async () => {
  const server: TestServer = await startTestServer({ SECTRAIL_PUBLIC_URL: 'http://canary.localhost' });
  const dir = mkdtempSync(join(tmpdir(), 'sectrail-canaries-'));
  try {
    const host = 'canary.localhost';
    const adminPassword = canary('admin-password');
    const deps = server.runtime.deps;
    await createOrg(deps, OPERATOR, { slug: 'canary', name: 'Canary', adminEmail: 'ada@canary.test', adminPassword });
    await setSecurityLogEnabled(deps, OPERATOR, 'canary', true);
    const exchanges: Exchange[] = [];
    const planted: Secret[] = [];
    const callRaw = async (method: 'POST', url: string, payload: string): Promise<LightMyRequestResponse> => {
      const requestHeaders = { host, 'content-type': 'application/json' };
      const response = await server.inject({ method, url, headers: requestHeaders, payload });
      exchanges.push({ path: url, request: payload, requestHeaders, response: response.body, responseHeaders: response.headers });
      return response;
    };
    const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> => {
      const payload = body === undefined ? '' : JSON.stringify(body);
      const requestHeaders: Record<string, string> = { host, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers };
      const options: InjectOptions = { method, url, headers: requestHeaders, ...(body === undefined ? {} : { payload }) };
      const response = await server.inject(options);
      exchanges.push({ path: url, request: payload, requestHeaders, response: response.body, responseHeaders: response.headers });
      return response;
    };
    const expect = async (status: number, response: Promise<LightMyRequestResponse>): Promise<Record<string, unknown>> => {
      const answer = await response;
      assert.equal(answer.statusCode, status, answer.body);
      return answer.body === '' ? {} : answer.json<Record<string, unknown>>();
    };
    // A signed-in browser: the cookie, the site's own Origin, and the session's CSRF token from the sign-in's answer.
    const asSession = (signedIn: LightMyRequestResponse) => ({
      cookie: `sectrail_session=${/sectrail_session=([^;]*)/.exec(setCookies(signedIn).join('\n'))?.[1] ?? ''}`,
      origin: 'http://canary.localhost',
      'x-csrf-token': signedIn.json<{ csrfToken: string }>().csrfToken,
    });

    // Morning: a wrong guess, then the admin signs in; a service account and its token for the SIEM.
    await expect(401, call('POST', '/api/auth/login', { email: 'ada@canary.test', password: canary('wrong-password') }));
    const admin = asSession(await call('POST', '/api/auth/login', { email: 'ada@canary.test', password: adminPassword }));
    const account = await expect(201, call('POST', '/api/service-accounts', { name: 'siem' }, admin));
    const reader = String((await expect(201, call('POST', '/api/tokens', { name: 'siem', serviceAccountId: account['id'], scopes: ['security-log:read'] }, admin)))['token']);
    const automation = await expect(201, call('POST', '/api/tokens', { name: 'automation', scopes: ['platform:admin', 'security-log:read'], expiresInDays: 30 }, admin));
    // An invitation, accepted with a password; the newcomer signs in, mistypes once, and works.
    const invited = await expect(201, call('POST', '/api/invitations', { email: 'bo@canary.test', role: 'writer' }, admin));
    const invitation = /sci_[A-Za-z0-9_-]+$/.exec(String(invited['acceptUrl']))?.[0] ?? '';
    const boPassword = canary('bo-password');
    const bo = String((await expect(201, call('POST', `/api/invitations/${invitation}/accept`, { name: 'Bo', password: boPassword })))['userId']);
    await expect(409, call('POST', `/api/invitations/${invitation}/accept`, { name: 'Bo again', password: canary('replay-password') }));
    await expect(404, call('POST', `/api/invitations/${invitation}/accept`, { name: 'Bo', password: boPassword }, { host: 'elsewhere.localhost' }));
    // The same secrets sent the way a careless client or a crafted link sends them: an invitation
    // secret percent-escaped, every character or one, in the API's path, the console's and a path
    // no route has; a token in a query string and as a request id; an SSO callback's code and
    // state; a password in a body that is not JSON.
    const cy = await expect(201, call('POST', '/api/invitations', { email: 'cy@canary.test', role: 'reader' }, admin));
    const cySecret = /sci_[A-Za-z0-9_-]+$/.exec(String(cy['acceptUrl']))?.[0] ?? '';
    const escapedAt = (index: number) => `${cySecret.slice(0, index)}${escapeEvery(cySecret.charAt(index))}${cySecret.slice(index + 1)}`;
    assert.equal((await call('GET', `/invitations/${escapedAt(0)}`)).statusCode, 200, 'the console opens the accept page');
    await expect(201, call('POST', `/api/invitations/${escapeEvery(cySecret)}/accept`, { name: 'Cy', password: canary('cy-password') }));
    await expect(409, call('POST', `/api/invitations/${escapedAt(0)}/accept`, { name: 'Cy', password: canary('cy-replay') }));
    await expect(409, call('POST', `/api/invitations/${escapedAt(25)}/accept`, { name: 'Cy', password: canary('cy-replay') }));
    await expect(404, call('POST', `/api/invitation/${escapedAt(25)}/accept`, { name: 'Cy', password: canary('cy-replay') }));
    await expect(404, call('POST', `/api/invitations/${escapeEvery(escapedAt(30))}/accept`, { name: 'Cy', password: canary('cy-replay') }));
    await expect(404, call('GET', `/api/nope/${escapeEvery(cySecret)}`));
    await expect(405, call('GET', `/api/invitations/${escapedAt(25)}/accept`));
    await expect(200, call('GET', `/healthz?token=${reader}&invitation=${escapedAt(10)}`));
    await expect(404, call('GET', `/api/nope?access_token=${escapeEvery(reader)}`));
    const echoed = await call('GET', `/api/me?token=${reader}`, undefined, { authorization: `Bearer ${reader}`, 'x-request-id': reader });
    assert.equal(echoed.statusCode, 200, echoed.body);
    assert.notEqual(echoed.headers['x-request-id'], reader, 'a token sent as a request id is not kept as one');
    const notJson = canary('password-in-broken-json');
    planted.push({ kind: 'password', value: notJson });
    for (const payload of [`{"email": "bo@canary.test", "password": "${notJson}"`, `{"email": "bo@canary.test" "password": "${notJson}"}`, `{'password': '${notJson}'}`, notJson]) {
      const refused = await callRaw('POST', '/api/auth/login', payload);
      assert.equal(refused.statusCode, 400, refused.body);
      assert.ok(!refused.body.includes(notJson), `the answer repeats none of the body: ${refused.body}`);
    }
    await expect(401, call('POST', '/api/auth/login', { email: 'bo@canary.test', password: canary('bo-typo') }));
    const boSession = asSession(await call('POST', '/api/auth/login', { email: 'bo@canary.test', password: boPassword }));
    await expect(200, call('GET', '/api/me', undefined, boSession));
    // Administration with the admin token: a group, a resource and its grants, the SSO provider.
    const automationToken = { authorization: `Bearer ${String(automation['token'])}` };
    const group = await expect(201, call('POST', '/api/groups', { name: 'Payments team' }, automationToken));
    await expect(200, call('PATCH', `/api/groups/${String(group['id'])}/members`, { add: [bo] }, automationToken));
    const resource = await expect(201, call('POST', '/api/resources', { type: 'project', name: 'Payments' }, automationToken));
    await expect(200, call('PUT', `/api/resources/${String(resource['id'])}/permissions`, { subject: { kind: 'group', id: group['id'] }, access: 'write' }, automationToken));
    await expect(200, call('PATCH', `/api/users/${bo}/privileges`, { add: ['security-log:read'] }, automationToken));
    const provider = { name: 'okta', issuer: 'https://canary.okta.example.test', clientId: 'canary-client' };
    const clientSecret = canary('client-secret');
    await expect(200, call('PATCH', '/api/org/auth-settings', { sso: { providers: [{ ...provider, clientSecret }] } }, admin));
    await expect(200, call('PATCH', '/api/org/auth-settings', { sso: { providers: [{ ...provider, clientSecret: '***' }] }, plainLogin: true }, admin));
    const ssoCode = canary('sso-code');
    const ssoState = canary('sso-state');
    planted.push({ kind: 'SSO code', value: ssoCode }, { kind: 'SSO state', value: ssoState });
    await expect(401, call('GET', `/api/auth/sso/okta/callback?code=${ssoCode}&state=${ssoState}`));
    await expect(401, call('GET', `/api/auth/sso/okta/callback?state=${escapeEvery(ssoState)}&code=${escapeEvery(ssoCode)}&iss=x`));
    // A stranger tries guessed and stolen-looking credentials; the throttle kicks in.
    for (let guess = 0; guess < 6; guess += 1) await call('POST', '/api/auth/login', { email: 'ada@canary.test', password: canary('guess') });
    await expect(401, call('GET', '/api/me', undefined, { authorization: `Bearer sct_${randomBytes(32).toString('base64url')}` }));
    await expect(401, call('GET', '/api/me', undefined, { authorization: `Token token=${canary('not-a-token')}` }));
    await expect(401, call('GET', '/api/me', undefined, { cookie: `sectrail_session=${randomBytes(32).toString('base64url')}` }));
    // The SIEM reads; the automation token is revoked and tried again; Bo signs out and comes back.
    await expect(200, call('POST', '/api/audit-log/security-trail/', DAY_BODY(), { authorization: `Token token=${reader}` }));
    await expect(200, call('POST', '/api/audit-log/security-trail/', DAY_BODY(), boSession));
    await expect(200, call('DELETE', `/api/tokens/${String(automation['id'])}`, undefined, admin));
    await expect(401, call('GET', '/api/me', undefined, automationToken));
    await expect(204, call('POST', '/api/auth/logout', undefined, boSession));
    await expect(401, call('GET', '/api/me', undefined, boSession));
    await expect(403, call('PATCH', '/api/org/auth-settings', { plainLogin: false }, { ...admin, origin: 'http://evil.example.test' }));

    const secrets = [...secretsIn(exchanges), ...planted];
    assert.ok(countOf(secrets, 'password') >= 6, JSON.stringify(secrets));
    assert.ok(countOf(secrets, 'token') >= 4, 'two issued tokens and two made-up ones');
    assert.equal(countOf(secrets, 'invitation secret'), 2);
    assert.equal(countOf(secrets, 'SSO code') + countOf(secrets, 'SSO state'), 2);
    assert.ok(countOf(secrets, 'session or sign-in cookie') >= 3);
    assert.equal(countOf(secrets, 'SSO client secret'), 1);

    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const baseUrl = `http://127.0.0.1:${String((server.app.server.address() as AddressInfo).port)}`;
    const forwarded: ForwarderOutput[] = await pullEverywhere(baseUrl, reader, today(), dir);
    const day = await expect(200, call('POST', '/api/audit-log/security-trail/', DAY_BODY(), { authorization: `Bearer ${reader}` }));
    const events = day['result'] as { type: string }[];
    assert.ok(events.length > 30 && events.some((event) => event.type === 'login.failed'), 'the day holds the day’s events');
    assert.ok(server.logLines.length > 40, 'the server logged its requests');
    const places: Place[] = [
      { name: 'the store', bytes: await storedBytes(server) },
      { name: 'the server log', bytes: Buffer.from(server.logLines.join('\n')) },
      { name: 'the day’s events', bytes: Buffer.from(JSON.stringify(day)) },
      ...forwarded,
    ];
    assert.deepEqual(leaksOf(secrets, places), []);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

let dir: string;
let store: StoreEnv;
let serverProcess: ServerProcess;
let proxy: RecordingProxy;
let demoOutput: string;
let canaries: Secret[];
let readerToken: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sectrail-canaries-demo-'));
  store = await storeEnv(join(dir, 'data'));
  serverProcess = await startServerProcess(store.env);
  proxy = await startRecordingProxy(serverProcess.port);
  const adminPassword = canary('demo-admin-password');
  const cli = async (args: string[]) => {
    const result = await runCli(args, store.env);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    return result.stdout;
  };
  await cli(['org', 'create', 'canary', '--name', 'Canary', '--admin-email', 'ada@canary.test', '--admin-password', adminPassword]);
  await cli(['org', 'enable-security-log', 'canary']);
  await cli(['service-account', 'create', '--org', 'canary', '--name', 'siem']);
  readerToken = (await cli(['token', 'create', '--org', 'canary', '--service-account', 'siem'])).trim().split('\n').at(-1) ?? '';
  assert.match(readerToken, /^sct_/);
  const demo = await runCli(['demo', '--url', `http://127.0.0.1:${String(proxy.port)}`, '--org', 'canary', '--email', 'ada@canary.test', '--password', adminPassword, '--token', readerToken], store.env);
  assert.equal(demo.code, 0, demo.stdout + demo.stderr);
  demoOutput = demo.stdout + demo.stderr;
  canaries = [
    { kind: 'password', value: adminPassword },
    { kind: 'token', value: readerToken },
  ];
});

after(async () => {
  await proxy.close();
  await serverProcess.stop();
  await store.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('sectrail demo against a real server leaves no secret it used or was given readable in the store, the server’s output, the day or the forwarder’s deliveries', async () => {
  const exchanges = proxy.exchanges.map((exchange: RecordedExchange) => ({
    path: exchange.path,
    request: exchange.requestBody,
    requestHeaders: exchange.requestHeaders,
    response: exchange.responseBody,
    responseHeaders: exchange.responseHeaders,
  }));
  const secrets = [...secretsIn(exchanges), ...canaries];
  assert.ok(countOf(secrets, 'password') >= 8, `passwords: ${String(countOf(secrets, 'password'))}`);
  assert.ok(countOf(secrets, 'token') >= 3, `tokens: ${String(countOf(secrets, 'token'))}`);
  assert.ok(countOf(secrets, 'invitation secret') >= 4, `invitations: ${String(countOf(secrets, 'invitation secret'))}`);
  assert.ok(countOf(secrets, 'session or sign-in cookie') >= 4, `cookies: ${String(countOf(secrets, 'session or sign-in cookie'))}`);
  assert.ok(countOf(secrets, 'SSO client secret') >= 1, 'the demo’s SSO provider has a client secret');
  assert.ok(secrets.some((secret) => secret.value === canaries[0]?.value), 'the admin’s canary password was used');

  const forwarded = await pullEverywhere(`http://127.0.0.1:${String(serverProcess.port)}`, readerToken, today(), join(dir));
  const places: Place[] = [
    { name: 'the store', bytes: await storedBytes({ dataDir: join(dir, 'data'), env: store.env }) },
    { name: 'the server’s output', bytes: Buffer.from(serverProcess.output.join('\n')) },
    { name: 'the demo’s output', bytes: Buffer.from(demoOutput) },
    ...forwarded,
  ];
  assert.ok(serverProcess.output.length > 50, 'the server logged its requests');
  assert.deepEqual(leaksOf(secrets, places), []);
});

// `sectrail demo` against a real server process, the way an operator runs it: twice (it must be
// re-runnable), then the operator's own switch, then the day read back with the bootstrap token.
// A recording proxy between the demo and the server captures every secret the demo sent or was
// given, so the test can prove that none of them reached an event or the server's log.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readBootstrap } from './support/bootstrap-file.ts';
import { detailsErrors, EVENT_CATALOGUE, EVENT_TYPES, isEventType } from '../src/core/events/catalogue.ts';
import { runCli, startServerProcess, type CliResult, type ServerProcess } from './support/processes.ts';
import { startRecordingProxy, type RecordedExchange, type RecordingProxy } from './support/recording-proxy.ts';
import { storedBytes } from './support/stored-bytes.ts';
import { loadOcsfSchema, validateOcsfEvent } from './support/ocsf-validator.ts';
import { ocsfWriter } from '../src/forwarder/formats/ocsf.ts';
import { fileURLToPath } from 'node:url';
import { storeEnv, type StoreEnv } from './support/test-store.ts';

interface Envelope {
  readonly id: string;
  readonly type: string;
  readonly category: string;
  readonly requestId: string | null;
  readonly details: unknown;
}

const OPERATOR_ONLY = ['org.created', 'org.security_log.updated', 'security_log.purged'];
/** Only a store older than its retention window has these (test/retention.test.ts makes one). */
const NOT_IN_A_NEW_STORE = ['security_log.purged'];

let dataDir: string;
let store: StoreEnv;
let server: ServerProcess;
let proxy: RecordingProxy;
let demoRuns: CliResult[];
let switches: CliResult[];
let dayText: string;
let events: Envelope[];

const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function readDay(token: string, date: string): Promise<string> {
  const [year, month, day] = date.split('-').map(Number);
  const response = await fetch(`http://127.0.0.1:${server.port}/api/audit-log/security-trail/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Token token=${token}` },
    body: JSON.stringify({ year, month, day }),
  });
  assert.equal(response.status, 200);
  return response.text();
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sectrail-demo-'));
  store = await storeEnv(dataDir);
  const env = store.env;
  server = await startServerProcess(env);
  proxy = await startRecordingProxy(server.port);
  const startedOn = utcDate(Date.now());
  const url = `http://127.0.0.1:${proxy.port}`;
  demoRuns = [await runCli(['demo', '--url', url], env), await runCli(['demo', '--url', url], env)];
  switches = [await runCli(['org', 'disable-security-log', 'demo'], env), await runCli(['org', 'enable-security-log', 'demo'], env)];
  const token = readBootstrap(dataDir).token;
  // Both dates, should the run have crossed midnight.
  const days = await Promise.all([...new Set([startedOn, utcDate(Date.now())])].map((date) => readDay(token, date)));
  dayText = days.join('\n');
  events = days.flatMap((text) => (JSON.parse(text) as { result: Envelope[] }).result);
});

after(async () => {
  await proxy.close();
  await server.stop();
  await store.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the demo runs to the end twice against the same server and reports what it wrote', () => {
  for (const run of demoRuns) {
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /every event type the platform writes over HTTP is in the trail/);
    assert.match(run.stdout, /the admin adds it as the org's SSO provider demo-idp/);
    assert.match(run.stdout, /the server redeems the code and signs Sofia Reyes in: sofia\.reyes\+\w+@example\.com, session works/);
    assert.match(run.stdout, /the admin removes demo-idp again/);
    assert.doesNotMatch(run.stdout, /SSO: skipped/);
    assert.match(run.stdout, /^ {2}login\.failed +\d+ \(.*throttled 1.*\)$/m);
    assert.match(run.stdout, /^ {2}access\.denied +1$/m);
  }
  for (const run of switches) assert.equal(run.code, 0, run.stderr);
});

test('each run signs a member in through its own SSO provider, demo-idp, added and removed again', () => {
  const sso = events.filter((event) => {
    const details = event.details as Record<string, unknown>;
    return event.type === 'login.succeeded' && details['method'] === 'sso' && details['provider'] === 'demo-idp';
  });
  assert.equal(sso.length, demoRuns.length);
  const providerNames = (settings: unknown) =>
    ((settings as { sso: { providers: { name: string }[] } | null }).sso?.providers ?? []).map((provider) => provider.name);
  const changes = events
    .filter((event) => event.type === 'org.auth_settings.updated')
    .map((event) => event.details as { before: unknown; after: unknown })
    .filter((details) => providerNames(details.before).includes('demo-idp') !== providerNames(details.after).includes('demo-idp'));
  assert.equal(changes.length, 2 * demoRuns.length);
});

test('the day holds every event type of the catalogue but retention’s', () => {
  const seen = new Set(events.map((event) => event.type));
  assert.deepEqual(EVENT_TYPES.filter((type) => !seen.has(type) && !NOT_IN_A_NEW_STORE.includes(type)), []);
});

test('the demo\u2019s own requests caused every type but the operator\u2019s', () => {
  const ours = new Set(proxy.exchanges.flatMap((exchange) => [exchange.responseHeaders['x-request-id'] ?? []].flat()));
  const caused = new Set(events.filter((event) => event.requestId !== null && ours.has(event.requestId)).map((event) => event.type));
  assert.deepEqual(EVENT_TYPES.filter((type) => !caused.has(type) && !OPERATOR_ONLY.includes(type)), []);
});

test('every event has a known type, the catalogue\u2019s category, and details that match its schema', () => {
  assert.ok(events.length > 80, `only ${events.length} events`);
  const wrong = events.flatMap((event) => {
    if (!isEventType(event.type)) return [`${event.id}: unknown type ${event.type}`];
    const problems = detailsErrors(event.type, event.details).map((error) => `${event.type} ${event.id}: ${error}`);
    if (event.category !== EVENT_CATALOGUE[event.type].category) problems.push(`${event.type} ${event.id}: category ${event.category}`);
    return problems;
  });
  assert.deepEqual(wrong, []);
});

/** Every secret that crossed the proxy, by kind: what the demo signed in with and what it was given. */
function secretsOf(exchanges: readonly RecordedExchange[]): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>(['password', 'token', 'invitation', 'session'].map((kind) => [kind, new Set()]));
  const add = (kind: string, value: unknown) => {
    if (typeof value === 'string' && value.length > 0) found.get(kind)?.add(value);
  };
  const json = (text: string): Record<string, unknown> => {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  for (const exchange of exchanges) {
    add('password', json(exchange.requestBody)['password']);
    add('token', /^(?:Token token=|Bearer )(\S+)$/.exec(exchange.requestHeaders.authorization ?? '')?.[1]);
    add('token', json(exchange.responseBody)['token']);
    for (const secret of `${exchange.path} ${String(json(exchange.responseBody)['acceptUrl'])}`.match(/sci_[A-Za-z0-9_-]+/g) ?? []) add('invitation', secret);
    for (const cookie of [...(exchange.responseHeaders['set-cookie'] ?? []), exchange.requestHeaders.cookie ?? '']) {
      for (const match of cookie.matchAll(/sectrail_session=([^;\s]*)/g)) add('session', match[1]);
    }
  }
  return found;
}

test('no secret the demo used or was given appears in an event, in the store, in the server\u2019s log or in the demo\u2019s output', async () => {
  const secrets = secretsOf(proxy.exchanges);
  // The admin's; four newcomers', a typo and a stray address's per run; five guesses or more (the
  // same each run). The bootstrap token and two new tokens per run; four invitations per run.
  assert.ok((secrets.get('password')?.size ?? 0) >= 18, `passwords: ${secrets.get('password')?.size ?? 0}`);
  assert.ok((secrets.get('token')?.size ?? 0) >= 5, `tokens: ${secrets.get('token')?.size ?? 0}`);
  assert.equal(secrets.get('invitation')?.size, 8);
  assert.ok((secrets.get('session')?.size ?? 0) >= 6, `sessions: ${secrets.get('session')?.size ?? 0}`);

  const bannerEnd = server.output.findIndex((line) => line.startsWith('token: '));
  assert.ok(bannerEnd >= 0 && server.output.length > bannerEnd + 50, 'the server logged its requests');
  assert.match(dayText, /maya\.okafor\+/);
  const places = [
    ['the day', dayText],
    ['the server log', server.output.slice(bannerEnd + 1).join('\n')],
    ['the demo output', demoRuns.map((run) => run.stdout + run.stderr).join('\n')],
    ['the store', (await storedBytes({ dataDir, env: store.env })).toString('latin1')],
  ] as const;
  const leaks = [...secrets].flatMap(([kind, values]) =>
    [...values].flatMap((secret) => places.filter(([, text]) => text.includes(secret)).map(([place]) => `a ${kind} in ${place}`)),
  );
  assert.deepEqual(leaks, []);
});

test('the demo answers bad usage with exit code 2 and a failed step with 1, naming the step and the answer', async () => {
  const env = store.env;
  assert.equal((await runCli(['demo', '--url', 'ftp://example.com'], env)).code, 2);
  assert.equal((await runCli(['demo'], env)).code, 2);
  assert.equal((await runCli(['demo', '--url', `http://127.0.0.1:${server.port}`, '--email', 'admin@demo.localhost'], env)).code, 2);
  const failed = await runCli(
    ['demo', '--url', `http://127.0.0.1:${server.port}`, '--email', 'admin@demo.localhost', '--password', 'not-the-password'],
    env,
  );
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /step 1 failed: admin@demo\.localhost signs in with a password\n {2}POST \/api\/auth\/login answered 401/);
  assert.match(failed.stderr, /"code":"UNAUTHENTICATED"/);
});

test('every event of the demo\u2019s day is a valid OCSF 1.8.0 event in the forwarder\u2019s mapping', () => {
  const writeOcsf = ocsfWriter('0.1.0');
  const toOcsf = (event: Record<string, unknown>) => JSON.parse(writeOcsf(event)) as Record<string, unknown>;
  const schema = loadOcsfSchema(fileURLToPath(new URL('./fixtures/ocsf-schema-1.8.0', import.meta.url)));
  const invalid = events.flatMap((event) => validateOcsfEvent(schema, toOcsf(event as unknown as Record<string, unknown>)).map((problem) => `${event.type}: ${problem}`));
  assert.deepEqual(invalid, []);
  assert.ok(events.length > 100, `${String(events.length)} events checked`);
});

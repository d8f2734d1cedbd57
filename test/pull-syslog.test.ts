// `sectrail pull` into a real rsyslog over TCP, TLS (trusting a test CA) and UDP: every event of
// the day arrives once per transport as an RFC 5424 frame that rsyslog parses into the right PRI,
// APP-NAME, MSGID, structured data and message, names full of quotes and brackets included; a
// sink that cannot be reached fails the run (exit 1) without holding back the others.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readBootstrap, signInAdmin } from './support/bootstrap-file.ts';
import type { DayPage, Envelope } from './support/http-helpers.ts';
import { runCli, startServerProcess, type ServerProcess } from './support/processes.ts';
import { rsyslogMissing, startRsyslog, type ReceivedFrame, type Rsyslog } from './support/rsyslog.ts';
import { storeEnv, type StoreEnv } from './support/test-store.ts';

const HOSTILE = 'ops "blue" ] [team] \\ | = é';

let dir: string;
let store: StoreEnv;
let server: ServerProcess;
let rsyslog: Rsyslog;
let tokenFile: string;
let token: string;
let today: string;

// CI installs rsyslog and fails if this suite was skipped (.ci/run).
const SKIP = rsyslogMissing() ?? false;

before(async () => {
  if (SKIP !== false) return;
  dir = mkdtempSync(join(tmpdir(), 'sectrail-syslog-'));
  rsyslog = await startRsyslog();
  store = await storeEnv(join(dir, 'data'));
  server = await startServerProcess(store.env);
  const bootstrap = readBootstrap(join(dir, 'data'));
  token = bootstrap.token;
  tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, token);
  const base = `http://127.0.0.1:${String(server.port)}`;
  const session = await signInAdmin(base, bootstrap);
  const group = await fetch(`${base}/api/groups`, { method: 'POST', headers: { ...session, 'content-type': 'application/json' }, body: JSON.stringify({ name: HOSTILE }) });
  assert.equal(group.status, 201, await group.text());
  // A failure too, for its severity.
  await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ org: 'demo', email: bootstrap.adminEmail, password: 'wrong password!' }) });
  const health = await fetch(`${base}/healthz`);
  today = new Date(Date.parse(health.headers.get('date') ?? '')).toISOString().slice(0, 10);
});

after(async () => {
  if (SKIP !== false) return;
  await server.stop();
  await rsyslog.stop();
  await store.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function dayEvents(): Promise<Envelope[]> {
  const [year, month, day] = today.split('-').map(Number);
  const response = await fetch(`http://127.0.0.1:${String(server.port)}/api/audit-log/security-trail/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ year, month, day }),
  });
  return ((await response.json()) as DayPage).result;
}

async function receivedAtLeast(input: 'tcp' | 'tls' | 'udp', count: number): Promise<ReceivedFrame[]> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const frames = rsyslog.received(input);
    if (frames.length >= count) return frames;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return rsyslog.received(input);
}

function parseStructuredData(sd: string): Record<string, string> {
  const match = /^\[sectrail@32473((?: [a-z]+="(?:[^"\\\]]|\\["\\\]])*")*)\]$/.exec(sd);
  assert.ok(match, `structured data as RFC 5424 writes it: ${sd}`);
  const params: Record<string, string> = {};
  for (const m of (match[1] ?? '').matchAll(/ ([a-z]+)="((?:[^"\\\]]|\\["\\\]])*)"/g)) params[m[1] ?? ''] = (m[2] ?? '').replace(/\\(["\\\]])/g, '$1');
  return params;
}

test('every event arrives over TCP, TLS and UDP as an RFC 5424 frame rsyslog parses back exactly', { skip: SKIP }, async () => {
  const result = await runCli(
    [
      'pull', '--url', `http://127.0.0.1:${String(server.port)}`, '--token-file', tokenFile, '--date', today, '--state', join(dir, 'state.json'),
      '--sink', `syslog+tcp://127.0.0.1:${String(rsyslog.tcpPort)}`,
      '--sink', `syslog+tls://127.0.0.1:${String(rsyslog.tlsPort)}?ca=${rsyslog.caFile}`,
      '--sink', `syslog+udp://127.0.0.1:${String(rsyslog.udpPort)}`,
    ],
    {},
  );
  assert.equal(result.code, 0, result.stderr);
  // The day as pulled: the read below logs itself after those events.
  const pulled = Number(/: (\d+) events/.exec(result.stdout)?.[1]);
  const expected = (await dayEvents()).slice(0, pulled);
  assert.ok(expected.some((event) => JSON.stringify(event).includes('blue')), 'the hostile group is in the day');
  for (const input of ['tcp', 'tls', 'udp'] as const) {
    const frames = await receivedAtLeast(input, expected.length);
    assert.equal(frames.length, expected.length, `${input}: one frame per event`);
    frames.forEach((frame, index) => {
      const event = expected[index] as Envelope;
      assert.equal(frame.pri, String(13 * 8 + (event.outcome === 'failure' ? 4 : 6)), `${input} ${event.type}: facility 13, severity by outcome`);
      assert.equal(frame.app, 'sectrail');
      assert.equal(frame.msgid, event.type);
      assert.deepEqual(parseStructuredData(frame.sd), { id: event.id, seq: String(event.seq), category: event.category, outcome: event.outcome });
      assert.deepEqual(JSON.parse(frame.msg), event, `${input}: the message is the event`);
    });
  }
});

test('a sink that cannot be reached fails the run with exit code 1, naming it, while the others get the day', { skip: SKIP }, async () => {
  const result = await runCli(
    [
      'pull', '--url', `http://127.0.0.1:${String(server.port)}`, '--token-file', tokenFile, '--date', today, '--state', join(dir, 'state-2.json'),
      '--sink', 'syslog+tcp://127.0.0.1:1',
      '--sink', `file:${join(dir, 'out-{date}.ndjson')}`,
    ],
    {},
  );
  assert.equal(result.code, 1);
  assert.match(result.stderr, /syslog\+tcp:\/\/127\.0\.0\.1:1\|native: .*ECONNREFUSED/);
  assert.ok(readFileSync(join(dir, `out-${today}.ndjson`), 'utf8').split('\n').filter(Boolean).length > 3);
});

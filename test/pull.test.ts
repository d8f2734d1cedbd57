// `sectrail pull` against a real server process: the server's yesterday, every page, NDJSON files
// per day, checkpoints that make a rerun deliver only what is new and skip complete days, and
// --verify checking each sealed day against its signed digest as it streams through.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readBootstrap, signInAdmin, type SessionHeaders } from './support/bootstrap-file.ts';
import type { DayPage } from './support/http-helpers.ts';
import { runCli, startServerProcess, type ServerProcess } from './support/processes.ts';
import { storeEnv, type StoreEnv } from './support/test-store.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

let dir: string;
let store: StoreEnv;
let server: ServerProcess;
let token: string;
let session: SessionHeaders;
let tokenFile: string;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${token}` }) {
  const response = await fetch(`http://127.0.0.1:${String(server.port)}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

async function dayEvents(iso: string): Promise<DayPage['result']> {
  const [year, month, day] = iso.split('-').map(Number);
  const answer = await call('POST', '/api/audit-log/security-trail/', { year, month, day });
  return (JSON.parse(answer.text) as DayPage).result;
}

const pull = (args: string[]) => runCli(['pull', '--url', `http://127.0.0.1:${String(server.port)}`, '--token-file', tokenFile, '--state', join(dir, 'state.json'), ...args], {});
const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sectrail-pull-'));
  store = await storeEnv(join(dir, 'data'));
  server = await startServerProcess({ ...store.env, SECTRAIL_CLOCK_START: '2025-05-17T23:59:54Z', SECTRAIL_SEAL_GRACE_SECONDS: '0' });
  const bootstrap = readBootstrap(join(dir, 'data'));
  token = bootstrap.token;
  tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  session = await signInAdmin(`http://127.0.0.1:${String(server.port)}`, bootstrap);
  for (let i = 0; i < 12; i += 1) assert.equal((await call('POST', '/api/groups', { name: `before-${String(i)}` }, session)).status, 201);
  // Wait for midnight (server time) and the seal of 17 May.
  for (let attempt = 0; attempt < 80; attempt += 1) {
    if ((await call('POST', '/api/audit-log/security-trail/digest', { year: 2025, month: 5, day: 17 })).status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
});

after(async () => {
  await server.stop();
  await store.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('pulls the server’s yesterday, every page of it, into a file per day, verified, and a rerun delivers nothing twice', async () => {
  const first = await pull(['--sink', `file:${join(dir, 'out', '{date}.ndjson')}`, '--verify', '--page-size', '5']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^2025-05-17: \d+ events, \d+ new delivered, complete, verified against its digest/m);
  const file = join(dir, 'out', '2025-05-17.ndjson');
  const served = await dayEvents('2025-05-17');
  assert.ok(served.length >= 12);
  assert.deepEqual(lines(file), served.map((event) => JSON.stringify(event)), 'the day as served, one event per line, in seq order');
  // The digest is kept beside the day, and the pair verifies offline as it is.
  writeFileSync(join(dir, 'keys.json'), (await call('GET', '/api/audit-log/keys')).text);
  const offline = await runCli(['verify', '--day', file, '--digest', `${file}.digest.json`, '--keys', join(dir, 'keys.json')], {});
  assert.equal(offline.code, 0, offline.stderr);

  const again = await pull(['--sink', `file:${join(dir, 'out', '{date}.ndjson')}`, '--verify']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /2025-05-17: already delivered complete to every sink/);
  assert.equal(lines(file).length, served.length);
  const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as {
    orgs: Record<string, { deliveries: Record<string, Record<string, { lastSeq: number; complete: boolean }>> }>;
  };
  assert.deepEqual(Object.values(Object.values(state.orgs)[0]?.deliveries ?? {})[0]?.['2025-05-17'], { lastSeq: served.at(-1)?.seq, complete: true });
});

test('keeps each org\u2019s checkpoints apart when two orgs are pulled into one sink from one state file', async () => {
  // The CLI on the server's clock, so that the new org's first events fall on the server's today.
  const serverNow = new Date((await call('GET', '/healthz')).headers.get('date') ?? '').toISOString();
  const cli = (args: string[]) => runCli(args, { ...store.env, SECTRAIL_CLOCK_START: serverNow });
  assert.equal((await cli(['org', 'create', 'second', '--name', 'Second', '--admin-email', 'admin@second.test'])).code, 0);
  assert.equal((await cli(['org', 'enable-security-log', 'second'])).code, 0);
  assert.equal((await cli(['service-account', 'create', '--org', 'second', '--name', 'siem'])).code, 0);
  const created = await cli(['token', 'create', '--org', 'second', '--service-account', 'siem']);
  assert.equal(created.code, 0, created.stderr);
  const secondTokenFile = join(dir, 'second-token');
  writeFileSync(secondTokenFile, created.stdout, { mode: 0o600 });
  // The first org's checkpoint on that day then stands well above the second org's first seqs.
  for (let i = 0; i < 3; i += 1) assert.equal((await call('POST', '/api/groups', { name: `shared-${String(i)}` }, session)).status, 201);
  const shared = ['--date', '2025-05-18', '--sink', `file:${join(dir, 'shared', '{date}.ndjson')}`, '--state', join(dir, 'shared-state.json')];
  const first = await pull(shared);
  assert.equal(first.code, 0, first.stderr);
  const file = join(dir, 'shared', '2025-05-18.ndjson');
  const firstOrgLines = lines(file).length;
  const second = await runCli(['pull', '--url', `http://127.0.0.1:${String(server.port)}`, '--token-file', secondTokenFile, ...shared], {});
  assert.equal(second.code, 0, second.stderr);
  const seqs = lines(file).slice(firstOrgLines).map((line) => (JSON.parse(line) as { seq: number }).seq);
  assert.equal(seqs[0], 1, 'the second org\u2019s log from its first event, not from the first org\u2019s checkpoint');
});

test('a day still open is delivered as far as it goes and topped up later with only the new events', async () => {
  const sink = `file:${join(dir, 'today', '{date}.ndjson')}`;
  const first = await pull(['--date', '2025-05-18', '--sink', sink, '--verify']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /2025-05-18: .*not sealed yet, to be topped up by a later run, not verified \(no digest yet\)/);
  const file = join(dir, 'today', '2025-05-18.ndjson');
  const before = lines(file).length;
  for (let i = 0; i < 3; i += 1) assert.equal((await call('POST', '/api/groups', { name: `after-${String(i)}` }, session)).status, 201);
  const second = await pull(['--date', '2025-05-18', '--sink', sink]);
  assert.equal(second.code, 0, second.stderr);
  const all = lines(file).map((line) => JSON.parse(line) as { id: string; seq: number });
  assert.ok(all.length >= before + 3);
  assert.equal(new Set(all.map((event) => event.id)).size, all.length, 'no event twice');
  assert.deepEqual(all.map((event) => event.seq), [...all.map((event) => event.seq)].sort((a, b) => a - b));
});

test('a range backfills each day in order, skipping the days already delivered complete', async () => {
  const sink = `file:${join(dir, 'out', '{date}.ndjson')}`;
  const result = await pull(['--from', '2025-05-16', '--to', '2025-05-18', '--sink', sink]);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^2025-05-16: 0 events, 0 new delivered, not sealed yet/, 'a day before the org existed is empty and never sealed');
  assert.match(lines[1] ?? '', /^2025-05-17: already delivered complete to every sink$/);
  assert.match(lines[2] ?? '', /^2025-05-18: \d+ events/);
  assert.doesNotMatch(result.stderr + result.stdout, /day \d+ of \d+/, 'no status line off a terminal');
});

test('on a terminal a backfill keeps a status line with a bar over the days', async () => {
  // script(1) gives the command a terminal; everything it writes comes back on stdout.
  const command = [process.execPath, 'bin/sectrail.js', 'pull', '--url', `http://127.0.0.1:${String(server.port)}`, '--token-file', tokenFile]
    .concat(['--state', join(dir, 'tty-state.json'), '--from', '2025-05-17', '--to', '2025-05-18', '--page-size', '5', '--sink', `file:${join(dir, 'tty', '{date}.ndjson')}`])
    .map((part) => `'${part}'`)
    .join(' ');
  const output = await new Promise<string>((resolve, reject) => {
    execFile('script', ['-qefc', command, '/dev/null'], { cwd: REPO_ROOT, timeout: 60_000 }, (error, stdout) => {
      if (error === null) resolve(stdout);
      else reject(new Error(`script(1) failed: ${error.message}`));
    });
  });
  // Each status line is written over the last: carriage return, then erase to the end of the line.
  const statusLines = output.split('\r\u001b[K').slice(1);
  assert.ok(statusLines.some((line) => /^\[-{24}\] day 1 of 2: 2025-05-17, \d[\d,]* events/.test(line)), output);
  assert.ok(statusLines.some((line) => /^\[#{12}-{12}\] day 2 of 2: 2025-05-18, \d[\d,]* events/.test(line)), output);
  assert.match(output, /2025-05-18: \d+ events, \d+ new delivered/, 'the day\u2019s report replaces the status line');
});

test('stdout as a sink gets the NDJSON alone, the report going to stderr', async () => {
  const result = await pull(['--date', '2025-05-17', '--sink', 'stdout', '--state', join(dir, 'stdout-state.json')]);
  assert.equal(result.code, 0, result.stderr);
  const served = await dayEvents('2025-05-17');
  assert.deepEqual(result.stdout.trimEnd().split('\n'), served.map((event) => JSON.stringify(event)));
  assert.match(result.stderr, /2025-05-17: /);
});

test('answers bad usage with exit code 2 and writes nothing', async () => {
  const cases = [
    [],
    ['--sink', 'stdout', '--date', '2025-02-30'],
    ['--sink', 'stdout', '--from', '2025-05-18', '--to', '2025-05-17'],
    ['--sink', 'stdout', '--date', '2025-05-17', '--follow'],
    ['--sink', 'ftp://example.com'],
    ['--sink', 'stdout', '--format', 'xml'],
    ['--sink', 'stdout', '--page-size', '0'],
  ];
  for (const args of cases) {
    const result = await pull([...args, '--state', join(dir, 'usage-state.json')]);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
  }
  assert.equal(existsSync(join(dir, 'usage-state.json')), false);
  const missingToken = await runCli(['pull', '--url', 'http://127.0.0.1:1', '--token-file', join(dir, 'nope'), '--sink', 'stdout'], {});
  assert.equal(missingToken.code, 2);
});

test('a refused token fails with exit code 1 and says why', async () => {
  const bad = join(dir, 'bad-token');
  // Well formed, so the server is asked, but never issued.
  writeFileSync(bad, `sct_${'A'.repeat(43)}\n`, { mode: 0o600 });
  const refused = await runCli(['pull', '--url', `http://127.0.0.1:${String(server.port)}`, '--token-file', bad, '--sink', 'stdout', '--date', '2025-05-17', '--state', join(dir, 'refused.json')], {});
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /answered 401/);
});

// `sectrail pull` the way a new user first runs it, against a real server process: the README's
// own `http://demo.localhost:<port>` (a name this machine's resolver may not know) with the org
// taken from the Host, and a token file made by `sectrail token create … > file`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { lookup } from 'node:dns';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readBootstrap } from './support/bootstrap-file.ts';
import { runCli, startServerProcess, type CliResult, type ServerProcess } from './support/processes.ts';
import { storeEnv, type StoreEnv } from './support/test-store.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO_ROOT, 'bin', 'sectrail.js');

let dir: string;
let store: StoreEnv;
let server: ServerProcess;
/** demo's bootstrap token, alone in a private file. */
let demoTokenFile: string;
/** A token of org acme, alone in a private file. */
let acmeTokenFile: string;
/** What `sectrail token create --org demo …` printed, as `> file` keeps it. */
let createdTokenFile: string;
let states = 0;

const today = new Date().toISOString().slice(0, 10);

function pull(url: string, tokenFile: string): Promise<CliResult> {
  const state = join(dir, `state-${String((states += 1))}.json`);
  return runCli(['pull', '--url', url, '--token-file', tokenFile, '--date', today, '--sink', 'stdout', '--state', state], {});
}

function events(result: CliResult): Record<string, unknown>[] {
  return result.stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The slug of the org whose creation is among the events: whose log this is. */
function createdOrg(result: CliResult): unknown {
  const created = events(result).find((event) => event['type'] === 'org.created');
  return (created?.['details'] as { org?: { slug?: unknown } } | undefined)?.org?.slug;
}

/** A command run to its end in the given directory. */
function run(file: string, args: readonly string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

function systemResolves(hostname: string): Promise<boolean> {
  return new Promise((resolve) => {
    lookup(hostname, (error) => {
      resolve(error === null);
    });
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sectrail-pull-first-run-'));
  store = await storeEnv(join(dir, 'data'));
  server = await startServerProcess(store.env);
  demoTokenFile = join(dir, 'demo.token');
  writeFileSync(demoTokenFile, `${readBootstrap(join(dir, 'data')).token}\n`, { mode: 0o600 });
  const cli = async (args: string[]) => {
    const result = await runCli(args, store.env);
    assert.equal(result.code, 0, result.stderr);
    return result.stdout;
  };
  await cli(['org', 'create', 'acme', '--name', 'Acme Corp', '--admin-email', 'ada@acme.test']);
  await cli(['org', 'enable-security-log', 'acme']);
  await cli(['service-account', 'create', '--org', 'acme', '--name', 'siem']);
  acmeTokenFile = join(dir, 'acme.token');
  writeFileSync(acmeTokenFile, `${(await cli(['token', 'create', '--org', 'acme', '--service-account', 'siem'])).trimEnd().split('\n').pop() ?? ''}\n`, { mode: 0o600 });
  createdTokenFile = join(dir, 'created.token');
  writeFileSync(createdTokenFile, await cli(['token', 'create', '--org', 'demo', '--service-account', 'siem', '--name', 'pull']), { mode: 0o600 });
});

after(async () => {
  await server.stop();
  await store.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('pulls from http://demo.localhost:<port> though this machine’s resolver does not know the name', async (t) => {
  if (await systemResolves('demo.localhost')) {
    t.skip('this machine resolves demo.localhost itself, so a pull through it could not show that the forwarder’s own resolution works');
    return;
  }
  const result = await pull(`http://demo.localhost:${String(server.port)}`, demoTokenFile);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(createdOrg(result), 'demo');
});

test('keeps demo.localhost in the Host header, so the server takes the org from it', async () => {
  // acme's token is good on acme's host (and on a bare address), and refused under demo's: the
  // server saw the name the URL gave, not an address.
  const own = await pull(`http://acme.localhost:${String(server.port)}`, acmeTokenFile);
  assert.equal(own.code, 0, own.stderr);
  assert.equal(createdOrg(own), 'acme');
  const foreign = await pull(`http://demo.localhost:${String(server.port)}`, acmeTokenFile);
  assert.equal(foreign.code, 1, foreign.stderr);
  assert.match(foreign.stderr, /answered 401/);
  assert.equal(foreign.stdout, '');
});

test('reads the token from the last line of what sectrail token create printed into the file', async () => {
  assert.ok(readFileSync(createdTokenFile, 'utf8').split('\n').length > 2, 'the file holds more than the token');
  const result = await pull(`http://127.0.0.1:${String(server.port)}`, createdTokenFile);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(createdOrg(result), 'demo');
  assert.doesNotMatch(result.stderr, /warning/, 'a private file draws no warning');
});

test('a token file that holds no token is bad usage, and no piece of it shows in the output', async () => {
  const canary = 'sct_CANARY-q7Zt3vK9xW2pL5mN8rB4yH6jD1fG0sA';
  const file = join(dir, 'canary.token');
  writeFileSync(file, `# for the SIEM\n${canary}\n`, { mode: 0o600 });
  const result = await pull(`http://127.0.0.1:${String(server.port)}`, file);
  assert.equal(result.code, 2, result.stderr);
  const output = (result.stdout + result.stderr).replaceAll(file, '');
  for (let start = 0; start + 6 <= canary.length; start += 1) {
    const piece = canary.slice(start, start + 6);
    assert.ok(!output.includes(piece), `the output quotes "${piece}" of the file: ${output}`);
  }
  assert.ok(!output.includes('for the SIEM'));
});

test('warns on stderr, and still pulls, when other users can read the token file', async () => {
  const file = join(dir, 'shared.token');
  writeFileSync(file, readFileSync(demoTokenFile));
  chmodSync(file, 0o644);
  const result = await pull(`http://127.0.0.1:${String(server.port)}`, file);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /^warning: the token file .* can be read by every user of this machine \(mode 0644\)/m);
  assert.equal(createdOrg(result), 'demo', 'stdout holds the events alone');
});

test('without --state keeps its checkpoints in sectrail-pull-state.json in the working directory, as --help says', async () => {
  const help = await run(process.execPath, [BIN, 'pull', '--help'], dir);
  assert.match(help.stdout.replace(/\s+/g, ' '), /--state <file> the checkpoint file, in the working directory .*\(default: "sectrail-pull-state.json"\)/);
  const cwd = join(dir, 'working');
  mkdirSync(cwd);
  const result = await run(process.execPath, [BIN, 'pull', '--url', `http://127.0.0.1:${String(server.port)}`, '--token-file', demoTokenFile, '--date', today, '--sink', 'file:out-{date}.ndjson'], cwd);
  assert.equal(result.code, 0, result.stderr);
  const state = JSON.parse(readFileSync(join(cwd, 'sectrail-pull-state.json'), 'utf8')) as { orgs: Record<string, { deliveries: Record<string, unknown> }> };
  assert.deepEqual(Object.values(state.orgs).map((org) => Object.keys(org.deliveries)), [['file:out-{date}.ndjson|native']]);
  assert.ok(existsSync(join(cwd, `out-${today}.ndjson`)));
});

test('git ignores the state file, its temporary files and token files where a pull leaves them in a checkout', async (t) => {
  const names = ['sectrail-pull-state.json', 'sectrail-pull-state.json.4242.7.tmp', 'siem.token', 'ops/sectrail-pull-state.json', 'ops/siem.token'];
  const checked = await run('git', ['check-ignore', '--no-index', ...names], REPO_ROOT);
  if (checked.code === 128) {
    t.skip(`not a git checkout, or no git here: ${checked.stderr.trim()}`);
    return;
  }
  assert.deepEqual(checked.stdout.trimEnd().split('\n'), names);
});

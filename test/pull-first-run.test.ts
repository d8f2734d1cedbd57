// `sectrail pull` the way a new user first runs it, against a real server process: the README's
// own `http://demo.localhost:<port>` (a name this machine's resolver may not know) with the org
// taken from the Host.
import assert from 'node:assert/strict';
import { lookup } from 'node:dns';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readBootstrap } from './support/bootstrap-file.ts';
import { runCli, startServerProcess, type CliResult, type ServerProcess } from './support/processes.ts';
import { storeEnv, type StoreEnv } from './support/test-store.ts';

let dir: string;
let store: StoreEnv;
let server: ServerProcess;
/** demo's bootstrap token, alone in a private file. */
let demoTokenFile: string;
/** A token of org acme, alone in a private file. */
let acmeTokenFile: string;
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

// docs/integrity.md's "Checking a day with `sectrail verify`", run as the doc gives it (its
// example host swapped for a local server's): on an org's first day, which has no day before it
// to chain to, and on a later day, chained to the one before.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readBootstrap } from './support/bootstrap-file.ts';
import { runAsInProject, shellBlocks } from './support/doc-script.ts';
import { runCli, startServerProcess, type ServerProcess } from './support/processes.ts';
import { storeEnv, type StoreEnv } from './support/test-store.ts';

const DOC_HOST = 'https://demo.sectrail.example.com';
const SEALING = { SECTRAIL_SEAL_GRACE_SECONDS: '0' };

interface Installation {
  readonly dir: string;
  readonly store: StoreEnv;
  server: ServerProcess;
}

let dir: string;
let firstDay: Installation;
let secondDay: Installation;

async function sealed(installation: Installation, date: string): Promise<void> {
  const [year, month, day] = date.split('-').map(Number);
  const token = readBootstrap(join(installation.dir, 'data')).token;
  // The server seals every 15 s; with no grace a day is due at its midnight.
  for (let attempt = 0; attempt < 240; attempt += 1) {
    const response = await fetch(`http://127.0.0.1:${String(installation.server.port)}/api/audit-log/security-trail/digest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ year, month, day }),
    });
    await response.body?.cancel();
    if (response.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.fail(`${date} was not sealed within 2 minutes`);
}

/** A server whose clock starts at `clockStart`, its org created then, and the day sealed. */
async function installation(name: string, clockStart: string): Promise<Installation> {
  const home = join(dir, name);
  const store = await storeEnv(join(home, 'data'));
  const server = await startServerProcess({ ...store.env, ...SEALING, SECTRAIL_CLOCK_START: clockStart });
  const made = { dir: home, store, server };
  await sealed(made, clockStart.slice(0, 10));
  return made;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sectrail-integrity-recipe-'));
  [firstDay, secondDay] = await Promise.all([
    installation('first', '2025-05-17T23:59:30Z'),
    (async () => {
      // Created on the 16th; started again just before the 17th ends, as after a day down.
      const made = await installation('second', '2025-05-16T23:59:30Z');
      await made.server.stop();
      made.server = await startServerProcess({ ...made.store.env, ...SEALING, SECTRAIL_CLOCK_START: '2025-05-17T23:59:40Z' });
      await sealed(made, '2025-05-17');
      return made;
    })(),
  ]);
});

after(async () => {
  for (const made of [firstDay, secondDay]) {
    await made?.server.stop();
    await made?.store.dispose();
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The doc's commands for 2025-05-17, in a directory holding `siem.token` as `sectrail token create` writes it. */
async function runRecipe(made: Installation): Promise<{ code: number | null; output: string }> {
  const [recipe] = shellBlocks('docs/integrity.md', 'Checking a day with `sectrail verify`');
  assert.ok(recipe?.includes(DOC_HOST) === true, 'the recipe names its example host');
  const cwd = join(made.dir, 'recipe');
  const created = await runCli(['token', 'create', '--org', 'demo', '--service-account', 'siem', '--name', 'recipe'], made.store.env);
  assert.equal(created.code, 0, created.stderr);
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'siem.token'), created.stdout, { mode: 0o600 });
  return runAsInProject(recipe.replaceAll(DOC_HOST, `http://demo.localhost:${String(made.server.port)}`), { cwd, timeoutMs: 60_000 });
}

test('the recipe verifies an org’s first day, which has no previous day to chain to', async () => {
  const run = await runRecipe(firstDay);
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /^verified: 2025-05-17, org \S+, \d+ events \(seq 1 to \d+\), signed with key \S+$/m);
});

test('the recipe verifies a later day and its chain to the day before', async () => {
  const run = await runRecipe(secondDay);
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /^verified: 2025-05-17, org \S+, \d+ events \(seq \d+ to \d+\), signed with key \S+, chained to the previous day$/m);
});

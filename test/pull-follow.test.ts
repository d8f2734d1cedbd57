// `sectrail pull --follow`: the live log into a file as it happens, stopped with SIGTERM and
// started again from its saved cursor without repeating or missing anything.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { readBootstrap, signInAdmin } from './support/bootstrap-file.ts';
import { startServerProcess } from './support/processes.ts';
import { storeEnv } from './support/test-store.ts';

const BIN = fileURLToPath(new URL('../bin/sectrail.js', import.meta.url));

test('follows the live log, stops on SIGTERM, and resumes from its cursor without repeats', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sectrail-follow-'));
  const store = await storeEnv(join(dir, 'data'));
  const server = await startServerProcess(store.env);
  try {
    const bootstrap = readBootstrap(join(dir, 'data'));
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, bootstrap.token);
    const base = `http://127.0.0.1:${String(server.port)}`;
    const session = await signInAdmin(base, bootstrap);
    const makeGroup = async (name: string) => {
      const response = await fetch(`${base}/api/groups`, { method: 'POST', headers: { ...session, 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
      assert.equal(response.status, 201);
    };
    const out = join(dir, 'live.ndjson');
    const events = () => (existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { id: string; seq: number; type: string; details: { group?: { name: string } } }) : []);
    const follow = () => spawn(process.execPath, [BIN, 'pull', '--url', base, '--token-file', tokenFile, '--follow', '--interval', '1', '--sink', `file:${out}`, '--state', join(dir, 'state.json')], { stdio: 'ignore' });
    const waitFor = async (name: string) => {
      for (let attempt = 0; attempt < 100 && !events().some((event) => event.details.group?.name === name); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(events().some((event) => event.details.group?.name === name), `${name} arrived`);
    };

    let child = follow();
    await makeGroup('first');
    await waitFor('first');
    await makeGroup('second');
    await waitFor('second');
    const stopped = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code); }));
    child.kill('SIGTERM');
    assert.equal(await stopped, 0, 'a follower stops cleanly on SIGTERM');

    await makeGroup('while-stopped');
    child = follow();
    await waitFor('while-stopped');
    await makeGroup('third');
    await waitFor('third');
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));

    const seen = events();
    assert.equal(new Set(seen.map((event) => event.id)).size, seen.length, 'no event twice');
    const seqs = seen.map((event) => event.seq);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => (seqs[0] ?? 1) + i), 'no gap, in order');
  } finally {
    await server.stop();
    await store.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

// `npm start` as people and process managers run it: a signal sent to the npm process, not to
// the server under it, stops the server, which says so in its log.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The `msg` of each JSON line the server logged. */
function messages(output: string): string[] {
  return output.split('\n').flatMap((line) => {
    try {
      return [(JSON.parse(line) as { msg?: string }).msg ?? ''];
    } catch {
      return [];
    }
  });
}

async function stopsOn(signal: 'SIGTERM' | 'SIGINT'): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sectrail-npm-start-'));
  // PORT=0: the server takes a free port and names it in its log.
  const npm = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    env: { ...process.env, SECTRAIL_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', npm_config_update_notifier: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const npmExited = new Promise<void>((resolve) => npm.once('exit', () => {
    resolve();
  }));
  let serverPid: number | null = null;
  try {
    let port: number | null = null;
    for (let waited = 0; port === null && waited < 60_000; waited += 200) {
      const listening = /\{[^\n]*"pid":(\d+)[^\n]*"msg":"Server listening at http:\/\/127\.0\.0\.1:(\d+)"/.exec(output);
      if (listening !== null) {
        serverPid = Number(listening[1]);
        port = Number(listening[2]);
      } else await sleep(200);
    }
    assert.ok(port !== null && serverPid !== null, `npm start did not serve:\n${output}`);
    assert.notEqual(serverPid, npm.pid, 'the server runs under npm');
    assert.equal((await fetch(`http://127.0.0.1:${String(port)}/healthz`)).status, 200);

    assert.ok(npm.pid !== undefined && process.kill(npm.pid, signal));
    for (let waited = 0; alive(serverPid) && waited < 10_000; waited += 100) await sleep(100);
    assert.equal(alive(serverPid), false, `the server (pid ${String(serverPid)}) still runs 10 s after npm got ${signal}:\n${output}`);
    await npmExited;
    const said = messages(output);
    assert.ok(said.includes(`received ${signal}: stopping`), output);
    assert.ok(said.indexOf('stopped') > said.indexOf(`received ${signal}: stopping`), output);
  } finally {
    // Whatever failed above, nothing started here outlives the test.
    if (serverPid !== null && alive(serverPid)) process.kill(serverPid, 'SIGKILL');
    if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('SIGTERM sent to npm start stops the server, which says it is stopping and then that it stopped', async () => {
  await stopsOn('SIGTERM');
});

test('SIGINT sent to npm start stops the server the same way', async () => {
  await stopsOn('SIGINT');
});

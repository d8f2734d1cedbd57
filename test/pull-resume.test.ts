// Killed and started again: `sectrail pull` is SIGKILLed three times while it writes a day of
// 6,000 events to a file sink, then run to the end. Every event arrives, repeats are only of
// batches in flight and identical to the first copy, and the day ends up complete and verified.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { benchDay, populate } from '../bench/populate-day.ts';
import { runCli, startServerProcess } from './support/processes.ts';
import { storeEnv } from './support/test-store.ts';

const BIN = fileURLToPath(new URL('../bin/sectrail.js', import.meta.url));
const EVENTS = 6000;
const PAGE = 50;

function lastSeqIn(statePath: string): number {
  if (!existsSync(statePath)) return 0;
  try {
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as { orgs: Record<string, { deliveries: Record<string, Record<string, { lastSeq: number }>> }> };
    const days = Object.values(state.orgs).flatMap((org) => Object.values(org.deliveries));
    return Math.max(0, ...days.flatMap((byDay) => Object.values(byDay).map((day) => day.lastSeq)));
  } catch {
    return 0;
  }
}

test('a pull killed with SIGKILL at three points and started again delivers every event, repeats only of batches in flight', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sectrail-resume-'));
  const store = await storeEnv(join(dir, 'data'));
  const day = benchDay();
  const iso = new Date(day.epochDay * 86_400_000).toISOString().slice(0, 10);
  const data = await populate(join(dir, 'data'), day, { big: EVENTS, small: 1, perTransaction: 500 }, () => undefined, store.env['DATABASE_URL'] ?? null);
  const server = await startServerProcess(store.env);
  try {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, data.big.token);
    const url = `http://127.0.0.1:${String(server.port)}`;
    for (let attempt = 0; attempt < 120; attempt += 1) {
      const response = await fetch(`${url}/api/audit-log/security-trail/digest`, {
        method: 'POST',
        headers: { authorization: `Bearer ${data.big.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ year: day.year, month: day.month, day: day.day }),
      });
      if (response.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const statePath = join(dir, 'state.json');
    const file = join(dir, 'out', `${iso}.ndjson`);
    const args = ['pull', '--url', url, '--token-file', tokenFile, '--date', iso, '--page-size', String(PAGE), '--sink', `file:${join(dir, 'out', '{date}.ndjson')}`, '--state', statePath, '--verify'];

    for (const killAt of [1000, 2500, 4500]) {
      const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => { resolve(signal); }));
      while (lastSeqIn(statePath) < killAt && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 5));
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL', `killed past seq ${String(killAt)}, before it finished`);
    }
    const last = await runCli(args.slice(0), {});
    assert.equal(last.code, 0, last.stderr);
    assert.match(last.stdout, new RegExp(`${iso}: ${String(EVENTS)} events, \\d+ new delivered, complete, verified`));

    const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line !== '');
    const byId = new Map<string, string>();
    for (const line of lines) {
      const id = (JSON.parse(line) as { id: string }).id;
      const first = byId.get(id);
      assert.ok(first === undefined || first === line, `a repeat of ${id} is identical to its first copy`);
      byId.set(id, line);
    }
    assert.equal(byId.size, EVENTS, 'every event arrived');
    assert.ok(lines.length - EVENTS <= 3 * PAGE, `${String(lines.length - EVENTS)} repeats, at most one batch per kill`);
    const offline = await runCli(['verify', '--day', file, '--digest', `${file}.digest.json`, '--keys', await keysFile(url, data.big.token, dir)], {});
    assert.equal(offline.code, 0, offline.stderr);
  } finally {
    await server.stop();
    await store.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function keysFile(url: string, token: string, dir: string): Promise<string> {
  const path = join(dir, 'keys.json');
  writeFileSync(path, await (await fetch(`${url}/api/audit-log/keys`, { headers: { authorization: `Bearer ${token}` } })).text());
  return path;
}

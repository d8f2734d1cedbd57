// Writers across midnight on a real server process whose clock starts just before it
// (SECTRAIL_CLOCK_START): every event lands in exactly one sealed day, the two days' trees hold
// every event written, and each day verifies against its digest, chained to the one before.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { verifyDay } from '../src/core/integrity/verify-day.ts';
import type { Digest } from '../src/core/integrity/digest.ts';
import type { DayPage } from './support/http-helpers.ts';
import { readBootstrap, signInAdmin } from './support/bootstrap-file.ts';
import { startServerProcess, type ServerProcess } from './support/processes.ts';
import { storeEnv } from './support/test-store.ts';

const DAYS = ['2025-05-17', '2025-05-18'] as const;

function client(server: ServerProcess, token: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`http://127.0.0.1:${String(server.port)}${path}`, {
      method,
      // A cookie stands for the credential: the request then carries no token.
      headers: { ...(headers['cookie'] === undefined ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, text: await response.text(), headers: response.headers };
  };
  const dayOf = (iso: string) => {
    const [year, month, day] = iso.split('-').map(Number);
    return { year, month, day };
  };
  return {
    call,
    async digest(iso: string): Promise<Digest | null> {
      const answer = await call('POST', '/api/audit-log/security-trail/digest', dayOf(iso));
      return answer.status === 200 ? (JSON.parse(answer.text) as Digest) : null;
    },
    async waitForDigest(iso: string): Promise<Digest> {
      // The server seals every 15 s; with no grace a day is due at midnight.
      for (let attempt = 0; attempt < 80; attempt += 1) {
        const digest = await this.digest(iso);
        if (digest !== null) return digest;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      return assert.fail(`${iso} was not sealed within 40 s`);
    },
    async day(iso: string): Promise<DayPage> {
      const answer = await call('POST', '/api/audit-log/security-trail/', dayOf(iso));
      assert.equal(answer.status, 200, answer.text);
      return JSON.parse(answer.text) as DayPage;
    },
  };
}

test('writers across midnight: every event in exactly one sealed day, tree sizes adding up, both days verified and chained', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sectrail-midnight-'));
  const store = await storeEnv(dataDir);
  const env = { ...store.env, SECTRAIL_SEAL_GRACE_SECONDS: '0', SECTRAIL_RATE_LIMIT_PER_MINUTE: '100000' };
  let server = await startServerProcess({ ...env, SECTRAIL_CLOCK_START: '2025-05-17T23:59:55Z' });
  try {
    const bootstrap = readBootstrap(dataDir);
    let api = client(server, bootstrap.token);
    const session = await signInAdmin(`http://127.0.0.1:${String(server.port)}`, bootstrap);

    // Four writers, each making groups one after another for 10 s of the server's time.
    const made: string[] = [];
    const stopAt = Date.now() + 10_000;
    await Promise.all(
      [1, 2, 3, 4].map(async (writer) => {
        for (let i = 0; Date.now() < stopAt; i += 1) {
          const answer = await api.call('POST', '/api/groups', { name: `w${String(writer)}-${String(i)}` }, session);
          assert.equal(answer.status, 201, answer.text);
          made.push((JSON.parse(answer.text) as { id: string }).id);
        }
      }),
    );
    const first = await api.waitForDigest(DAYS[0]);

    // The next day is sealed by the server started again after it ended, as after a night down.
    await server.stop();
    server = await startServerProcess({ ...env, SECTRAIL_CLOCK_START: '2025-05-19T00:00:30Z' });
    api = client(server, bootstrap.token);
    const second = await api.waitForDigest(DAYS[1]);
    const keys = JSON.parse((await api.call('GET', '/api/audit-log/keys')).text) as unknown;

    const days = await Promise.all(DAYS.map((iso) => api.day(iso)));
    assert.ok(days.every((day) => day.complete));
    const [day17, day18] = days as [DayPage, DayPage];
    assert.ok(day17.result.length > 1 && day18.result.length > 1, `the writes straddle midnight: ${String(day17.result.length)} and ${String(day18.result.length)}`);
    verifyDay({ events: day17.result, digest: first, keys });
    verifyDay({ events: day18.result, digest: second, keys, previousDigest: first });

    const all = [...day17.result, ...day18.result];
    assert.equal(first.treeSize + second.treeSize, all.length);
    assert.equal(new Set(all.map((event) => event.id)).size, all.length, 'no event is in both days');
    assert.deepEqual(all.map((event) => event.seq), Array.from({ length: all.length }, (_, i) => i + 1), 'seq 1..n over both days');
    const groups = all.filter((event) => event.type === 'group.created').map((event) => (event.details as { group: { id: string } }).group.id);
    assert.deepEqual(groups.sort(), [...made].sort(), 'every acknowledged write has its event, in one of the two days');
    for (const [iso, day] of [[DAYS[0], day17], [DAYS[1], day18]] as const) {
      assert.ok(day.result.every((event) => event.timestamp.startsWith(iso)), `every event of ${iso} is dated ${iso}`);
    }
  } finally {
    await server.stop();
    await store.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

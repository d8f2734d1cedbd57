// The README's path on PostgreSQL: servers started with DATABASE_URL bootstrap once between them,
// and the seed's curl reads the day through either of them.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTestDatabase, NO_PG_REASON, TEST_PG_URL } from './support/postgres-databases.ts';
import { curl, startServerProcess } from './support/processes.ts';

test('two servers on one PostgreSQL database bootstrap once and both serve the trail', { skip: TEST_PG_URL === '' ? NO_PG_REASON : false }, async () => {
  const database = await createTestDatabase();
  const dirs = [mkdtempSync(join(tmpdir(), 'sectrail-pg-a-')), mkdtempSync(join(tmpdir(), 'sectrail-pg-b-'))] as const;
  // Started together, on purpose: the first start must happen once between them.
  const started = await Promise.allSettled(dirs.map((dir) => startServerProcess({ SECTRAIL_DATA_DIR: dir, DATABASE_URL: database.url })));
  const servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  try {
    const failed = started.find((result) => result.status === 'rejected');
    assert.equal(failed, undefined, `a server did not start: ${String(failed?.status === 'rejected' ? failed.reason : '')}`);
    const written = dirs.map((dir) => {
      try {
        return readFileSync(join(dir, 'bootstrap.txt'), 'utf8');
      } catch {
        return null;
      }
    });
    const bootstraps = written.filter((text) => text !== null);
    assert.equal(bootstraps.length, 1, 'exactly one server bootstrapped');
    const token = /^token: (\S+)$/m.exec(bootstraps[0] ?? '')?.[1] ?? '';
    const now = new Date();
    const body = JSON.stringify({ year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate() });
    for (const server of servers) {
      const answer = await curl([
        '-H', 'Content-Type: application/json',
        '-H', `Authorization: Token token=${token}`,
        '-X', 'POST', `http://demo.localhost:${server.port}/api/audit-log/security-trail/`,
        '-d', body,
      ]);
      const lines = answer.stdout.trimEnd().split('\n');
      assert.equal(lines.pop(), '200');
      const types = (JSON.parse(lines.join('\n')) as { result: { type: string }[] }).result.map((event) => event.type);
      assert.deepEqual(types.slice(0, 3), ['org.created', 'service_account.created', 'token.created']);
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await database.drop();
  }
});

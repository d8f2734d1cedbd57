// Retention (SECTRAIL_RETENTION_DAYS): days older than the window leave the trail, and every org
// that lost events is told so in its own trail, by an event written with the purge.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readBootstrap } from './support/bootstrap-file.ts';
import { ConfigError, readConfig } from '../src/config.ts';
import { applyRetention } from '../src/platform/retention.ts';
import { ManualClock } from '../src/storage/contract/manual-clock.ts';
import { authed, ofType, storedEvents, TRAIL_URL, type DayPage, type Envelope } from './support/http-helpers.ts';
import { startServerProcess } from './support/processes.ts';
import { dayBody, OPERATOR, startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';
import { storeEnv } from './support/test-store.ts';

const DAY = 86_400_000;
const MAY_1 = Date.UTC(2025, 4, 1, 10);

let server: TestServer;
const clock = new ManualClock(MAY_1);

before(async () => {
  server = await startTestServer({}, { clock });
});
after(async () => {
  await server.close();
});

async function readDay(org: TestOrg, ms: number): Promise<DayPage> {
  const response = await server.inject(authed(org, 'POST', TRAIL_URL, dayBody(ms)));
  assert.equal(response.statusCode, 200, response.body);
  return response.json<DayPage>();
}

test('purges the days before the window, tells each org that lost events in its own trail, and keeps the rest', async () => {
  clock.set(MAY_1);
  const acme = await server.createOrg('acme');
  const written = (await storedEvents(server, acme.org.id)).length;
  clock.set(MAY_1 + 6 * DAY);
  const latecomer = await server.createOrg('latecomer');
  const kept = await storedEvents(server, latecomer.org.id);

  clock.set(MAY_1 + 10 * DAY);
  const purged = await applyRetention(server.runtime.deps, OPERATOR, 5);
  assert.deepEqual(purged.map((entry) => entry.orgId), [acme.org.id]);

  assert.deepEqual((await readDay(acme, MAY_1)).result, [], 'the purged day reads empty');
  const [event, ...others] = ofType(await storedEvents(server, acme.org.id), 'security_log.purged');
  assert.equal(others.length, 0);
  assert.ok(event);
  assert.equal(event.timestamp, new Date(MAY_1 + 10 * DAY).toISOString());
  assert.deepEqual(event.details, {
    retentionDays: 5,
    firstRetainedDate: '2025-05-06',
    firstDate: '2025-05-01',
    lastDate: '2025-05-01',
    eventCount: written,
    firstSeq: 1,
    lastSeq: written,
  });
  assert.equal(event.seq, written + 1, 'seq goes on after the purge');
  assert.deepEqual(event.user, { kind: 'operator', name: 'test' });
  assert.equal(event.category, 'access');

  assert.deepEqual(await storedEvents(server, latecomer.org.id), kept, 'an org with nothing old keeps everything and gets no event');
  assert.deepEqual(await applyRetention(server.runtime.deps, OPERATOR, 5), [], 'purging again finds nothing');
});

test('SECTRAIL_RETENTION_DAYS defaults to 400 and refuses what is not a whole number of days from 1', () => {
  assert.equal(readConfig({}).retentionDays, 400);
  assert.equal(readConfig({ SECTRAIL_RETENTION_DAYS: '30' }).retentionDays, 30);
  for (const bad of ['0', '-1', '2.5', 'forever', '36501']) {
    assert.throws(() => readConfig({ SECTRAIL_RETENTION_DAYS: bad }), (error: unknown) => error instanceof ConfigError && /SECTRAIL_RETENTION_DAYS/.test(error.message));
  }
});

test('a server applies retention when it starts and logs the purge', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sectrail-retention-'));
  const store = await storeEnv(dataDir);
  try {
    const first = await startServerProcess({ ...store.env, SECTRAIL_CLOCK_START: '2025-05-01T10:00:00Z' });
    await first.stop();
    const token = readBootstrap(dataDir).token;
    const second = await startServerProcess({ ...store.env, SECTRAIL_CLOCK_START: '2025-05-20T10:00:00Z', SECTRAIL_RETENTION_DAYS: '7' });
    try {
      const read = async (date: { year: number; month: number; day: number }): Promise<Envelope[]> => {
        const response = await fetch(`http://127.0.0.1:${second.port}${TRAIL_URL}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(date),
        });
        assert.equal(response.status, 200);
        return ((await response.json()) as DayPage).result;
      };
      let purged: Envelope[] = [];
      for (let attempt = 0; attempt < 50 && purged.length === 0; attempt += 1) {
        purged = ofType(await read({ year: 2025, month: 5, day: 20 }), 'security_log.purged');
        if (purged.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(purged.length, 1, 'the purge is in today’s trail');
      assert.equal(purged[0]?.details['firstDate'], '2025-05-01');
      assert.equal(purged[0]?.endpoint, 'cli: sectrail serve (retention)');
      assert.deepEqual(await read({ year: 2025, month: 5, day: 1 }), []);
      assert.ok(second.output.some((line) => line.includes('purged events older than the retention window')));
    } finally {
      await second.stop();
    }
  } finally {
    await store.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

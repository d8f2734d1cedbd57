// The live tail (DESIGN §4): `{}` starts at the beginning of today (UTC), the cursor walks the
// org's log forward without gaps or repeats, is bound to its org, keeps working on another server
// over the same store, and only the first call of a walk is logged as security_log.accessed.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { readConfig } from '../src/config.ts';
import { buildServer } from '../src/http/build-server.ts';
import { openRuntime } from '../src/main.ts';
import {
  assertError,
  authed,
  ofType,
  storedEvents,
  TAIL_URL,
  TRAIL_URL,
  type DayPage,
  type Envelope,
  type TailPage,
} from './support/http-helpers.ts';
import { dayBody, startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(async () => {
  await server.close();
});

async function tail(org: TestOrg, body: Record<string, unknown>, token: string = org.token): Promise<TailPage> {
  const response = await server.inject(authed(org, 'POST', TAIL_URL, body, token));
  assert.equal(response.statusCode, 200, response.body);
  const page = response.json<TailPage>();
  assert.equal(typeof page.cursor, 'string');
  assert.ok(page.cursor.length > 0);
  return page;
}

function ids(events: readonly Envelope[]): string[] {
  return events.map((event) => event.id);
}

function tailAccesses(events: readonly Envelope[]): Envelope[] {
  return ofType(events, 'security_log.accessed').filter((event) => event.details['endpoint'] === 'tail');
}

describe('starting a tail', () => {
  test("returns today's events and a cursor for {}, and logs that one read after it", async () => {
    const org = await server.createOrg('start');
    const response = await server.inject(authed(org, 'POST', TAIL_URL, {}));
    assert.equal(response.statusCode, 200, response.body);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    const page = response.json<TailPage>();
    const stored = await storedEvents(server, org.org.id);
    // Everything up to this call (its own first-use login included), then the read's own access event.
    assert.deepEqual(ids(page.result), ids(stored.slice(0, -1)));
    assert.deepEqual(
      page.result.map((event) => event.type),
      ['org.created', 'org.security_log.updated', 'service_account.created', 'service_account.created', 'token.created', 'token.created', 'login.succeeded'],
    );
    const accessed = stored.at(-1)!;
    assert.equal(accessed.type, 'security_log.accessed');
    assert.equal(accessed.requestId, response.headers['x-request-id']);
    assert.equal(accessed.endpoint, `POST ${TAIL_URL}`);
    assert.deepEqual(accessed.details, { endpoint: 'tail', date: null, pageSize: 1000, eventTypes: null, returned: page.result.length });
  });

  test("starts at the beginning of the current UTC day, leaving yesterday's events to the day endpoint", async () => {
    // A server whose clock is 3 s before midnight: the org's setup lands on one day, the tail on the next.
    const late = await startTestServer({ SECTRAIL_CLOCK_START: '2025-05-17T23:59:57.000Z' });
    try {
      const midnight = Date.parse('2025-05-18T00:00:00.000Z');
      const org = await late.createOrg('late');
      const setup = await storedEvents(late, org.org.id);
      assert.ok(setup.every((event) => Date.parse(event.timestamp) < midnight), 'the setup finished before midnight');
      while (late.runtime.deps.clock.now() < midnight + 50) await sleep(50);

      const response = await late.inject(authed(org, 'POST', TAIL_URL, {}));
      assert.equal(response.statusCode, 200, response.body);
      const page = response.json<TailPage>();
      assert.deepEqual(page.result.map((event) => event.type), ['login.succeeded']);
      assert.ok(page.result.every((event) => event.timestamp.startsWith('2025-05-18')));

      const yesterday = await late.inject(authed(org, 'POST', TRAIL_URL, { year: 2025, month: 5, day: 17 }));
      assert.equal(yesterday.statusCode, 200, yesterday.body);
      assert.deepEqual(ids(yesterday.json<DayPage>().result), ids(setup));
    } finally {
      await late.close();
    }
  });
});

describe('following the cursor', () => {
  test('returns only newer events, never repeats one, and keeps going after an empty answer', async () => {
    const org = await server.createOrg('follow');
    const first = await tail(org, {});
    const second = await tail(org, { after: first.cursor });
    assert.deepEqual(second.result.map((event) => event.type), ['security_log.accessed'], "only the first call's own access event");
    const third = await tail(org, { after: second.cursor });
    assert.deepEqual(third.result, []);
    const idle = await tail(org, { after: third.cursor });
    assert.deepEqual(idle.result, [], 'an idle log stays empty');

    const change = await server.inject(authed(org, 'POST', '/api/service-accounts', { name: 'newcomer' }, org.adminToken));
    assert.equal(change.statusCode, 201, change.body);
    const fourth = await tail(org, { after: idle.cursor });
    assert.deepEqual(fourth.result.map((event) => event.type), ['login.succeeded', 'service_account.created']);
    assert.deepEqual(fourth.result.map((event) => event.requestId), [change.headers['x-request-id'], change.headers['x-request-id']]);
    const fifth = await tail(org, { after: fourth.cursor });
    assert.deepEqual(fifth.result, []);

    const walked = [...first.result, ...second.result, ...third.result, ...idle.result, ...fourth.result, ...fifth.result];
    assert.equal(new Set(ids(walked)).size, walked.length, 'no event twice');
    assert.deepEqual(ids(walked), ids(await storedEvents(server, org.org.id)), 'every event once, in seq order');
  });

  test('pages with pageSize, yielding every event exactly once in seq order', async () => {
    const org = await server.createOrg('paged');
    const walked: Envelope[] = [];
    let page = await tail(org, { pageSize: 2 });
    for (let calls = 0; page.result.length > 0; calls += 1) {
      assert.ok(page.result.length <= 2);
      assert.ok(calls < 50, 'the walk ends');
      walked.push(...page.result);
      page = await tail(org, { after: page.cursor, pageSize: 2 });
    }
    const seqs = walked.map((event) => event.seq);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, index) => index + 1), 'gap-free from seq 1');
    assert.deepEqual(ids(walked), ids(await storedEvents(server, org.org.id)));
  });

  test('logs security_log.accessed for the first call of a walk only', async () => {
    const org = await server.createOrg('logged');
    let page = await tail(org, {});
    assert.equal(tailAccesses(await storedEvents(server, org.org.id)).length, 1);
    for (let i = 0; i < 4; i += 1) page = await tail(org, { after: page.cursor });
    await tail(org, { after: page.cursor, pageSize: 1 });
    assert.equal(tailAccesses(await storedEvents(server, org.org.id)).length, 1);
    // A new walk is a new access.
    await tail(org, {});
    assert.equal(tailAccesses(await storedEvents(server, org.org.id)).length, 2);
  });

  test('accepts the cursor on a second server over the same store, as after a restart', async () => {
    const org = await server.createOrg('restart');
    const first = await tail(org, {});
    const runtime = await openRuntime(readConfig(server.env));
    const app = await buildServer(runtime.deps, { logger: false, version: 'test' });
    try {
      const response = await app.inject(authed(org, 'POST', TAIL_URL, { after: first.cursor }));
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json<TailPage>().result.map((event) => event.type), ['security_log.accessed']);
    } finally {
      await app.close();
      await runtime.close();
    }
  });
});

describe('refused cursors and bodies', () => {
  let acme: TestOrg;
  let beta: TestOrg;

  before(async () => {
    acme = await server.createOrg('acme');
    beta = await server.createOrg('beta');
  });

  async function assertRefused(after: string): Promise<void> {
    assertError(await server.inject(authed(acme, 'POST', TAIL_URL, { after })), 400, 'INVALID_PAGE_TOKEN');
  }

  test("rejects a cursor of another org", async () => {
    await assertRefused((await tail(beta, {})).cursor);
  });

  test('rejects an edited cursor', async () => {
    const { cursor } = await tail(acme, {});
    const [body, mac] = cursor.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    await assertRefused(`${Buffer.from(JSON.stringify({ ...payload, s: 0 })).toString('base64url')}.${mac}`);
    await assertRefused(`${body}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`);
    await assertRefused(cursor.slice(0, -3));
  });

  test('rejects a day page token used as a cursor, and text that is no cursor', async () => {
    const day = await server.inject(authed(acme, 'POST', TRAIL_URL, { ...dayBody(), pageSize: 1 }));
    const pageToken = day.json<DayPage>().nextPageToken;
    assert.ok(pageToken !== null);
    await assertRefused(pageToken);
    for (const garbage of ['', '.', 'nope', 'a.b']) await assertRefused(garbage);
  });

  const badBodies: [string, unknown][] = [
    ['after as a number', { after: 5 }],
    ['after as null', { after: null }],
    ['pageSize 0', { pageSize: 0 }],
    ['pageSize 10001', { pageSize: 10_001 }],
    ['pageSize as a string', { pageSize: '5' }],
    ['an unknown field', { since: 'yesterday' }],
    ['an array body', []],
  ];
  for (const [what, body] of badBodies) {
    test(`answers 400 INVALID_REQUEST to a tail body with ${what}`, async () => {
      assertError(await server.inject(authed(acme, 'POST', TAIL_URL, body)), 400, 'INVALID_REQUEST');
    });
  }
});

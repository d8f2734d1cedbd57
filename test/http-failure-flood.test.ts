// Flood protection of failed sign-ins: however many attempts a stranger sends, the org's log grows by
// a bounded number of events a minute; the first failures of each client are written one by one,
// the rest are folded into events whose counts add up to the attempts, naming the emails tried and
// the addresses they came from; and folded counts kept in the store survive a crash.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { readConfig } from '../src/config.ts';
import { FOLD_WINDOW_MS } from '../src/core/failure-folding.ts';
import { openRuntime } from '../src/main.ts';
import { flushFailureWindows } from '../src/platform/failure-log.ts';
import { ManualClock } from '../src/storage/contract/manual-clock.ts';
import { assertError, ofType, storedEvents, TRAIL_URL, type Envelope } from './support/http-helpers.ts';
import { adminEmail, loginRequest } from './support/login-helpers.ts';
import { dayBody, startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

const clock = new ManualClock(Date.now());
let server: TestServer;
let orgs = 0;

before(async () => {
  // Request rate limits out of the way: what is measured is what the sign-in paths write.
  server = await startTestServer({ SECTRAIL_RATE_LIMIT_PER_MINUTE: '1000000' }, { clock });
});

after(async () => {
  await server.close();
});

async function freshOrg(): Promise<TestOrg> {
  orgs += 1;
  return server.createOrg(`flood-${orgs}`);
}

interface Aggregated {
  count: number;
  attemptedEmails: string[];
  otherEmailAttempts: number;
  ipAddresses: string[];
  otherAddressAttempts: number;
}

const aggregatedOf = (event: Envelope) => event.details['aggregated'] as Aggregated | undefined;

/** The org's login.failed events once every window is over and written. */
async function failuresAfterTheWindow(org: TestOrg): Promise<Envelope[]> {
  clock.advance(FOLD_WINDOW_MS);
  await flushFailureWindows(server.runtime.deps);
  return ofType(await storedEvents(server, org.org.id), 'login.failed');
}

/** How many attempts the events stand for: one each, or the count they folded. */
const attemptsIn = (events: readonly Envelope[]) => events.reduce((sum, event) => sum + (aggregatedOf(event)?.count ?? 1), 0);

const badToken = () => `sct_${randomBytes(32).toString('base64url')}`;

describe('flood protection of failed sign-ins', () => {
  test('writes at most a few dozen events for 2,000 throttled attempts from one address in a minute, and counts them all', async () => {
    const org = await freshOrg();
    const attempt = () => server.inject(loginRequest(org, { email: adminEmail(org), password: 'wrong horse battery' }, { remoteAddress: '198.51.100.20' }));
    for (let i = 0; i < 5; i += 1) assertError(await attempt(), 401, 'UNAUTHENTICATED');
    for (let i = 0; i < 2_000; i += 1) assertError(await attempt(), 429, 'RATE_LIMITED');

    const failures = await failuresAfterTheWindow(org);
    assert.ok(failures.length <= 60, `${String(failures.length)} events`);
    assert.equal(failures.length, 16, 'the 5 wrong passwords, 10 throttled one by one, and one folded event');
    assert.equal(attemptsIn(failures), 2_005);
    const throttled = failures.filter((event) => event.details['reason'] === 'throttled');
    assert.equal(throttled.filter((event) => aggregatedOf(event) === undefined).length, 10, 'the first ten are written one by one');
    const folded = throttled.filter((event) => aggregatedOf(event) !== undefined);
    assert.equal(folded.length, 1);
    assert.equal(aggregatedOf(folded[0]!)?.count, 1_990);
    assert.deepEqual(folded[0]?.details['attemptedEmail'], adminEmail(org));
    assert.deepEqual(aggregatedOf(folded[0])?.ipAddresses, ['198.51.100.20']);
    assert.equal(folded[0]?.ipAddress, '198.51.100.20');
  });

  test('folds a password spray from many addresses into bounded events that name the emails tried', async () => {
    const org = await freshOrg();
    const attempts = 100;
    for (let i = 0; i < attempts; i += 1) {
      const response = await server.inject(
        loginRequest(org, { email: `victim-${String(i)}@example.test`, password: 'Summer2025!' }, { remoteAddress: `203.0.113.${String(i + 1)}` }),
      );
      assertError(response, 401, 'UNAUTHENTICATED');
    }
    const failures = await failuresAfterTheWindow(org);
    assert.equal(failures.length, 31, 'the org\u2019s 30 one by one, then one folded event');
    assert.equal(attemptsIn(failures), attempts);
    const folded = failures.filter((event) => aggregatedOf(event) !== undefined);
    assert.equal(folded.length, 1, 'the rest of the minute folded into one event for the org');
    const aggregated = aggregatedOf(folded[0]!)!;
    assert.equal(aggregated.attemptedEmails.length, 20);
    assert.ok(aggregated.attemptedEmails.every((email) => /^victim-\d+@example\.test$/.test(email)));
    assert.equal(aggregated.count, 70);
    assert.equal(aggregated.otherEmailAttempts, 50);
    assert.equal(aggregated.ipAddresses.length, 20);
    assert.equal(folded[0]?.ipAddress, null, 'many addresses: none is named as the one');
    assert.equal(folded[0]?.details['attemptedEmail'], null);
    // The emails tried are all there: one by one, or in the samples and the count beyond them.
    const named = new Set([...failures.map((event) => event.details['attemptedEmail']), ...aggregated.attemptedEmails]);
    assert.equal(named.size - (named.has(null) ? 1 : 0) + aggregated.otherEmailAttempts, attempts);
  });

  test('folds made-up tokens sent to an org\u2019s address like any other failure', async () => {
    const org = await freshOrg();
    for (let i = 0; i < 500; i += 1) {
      const response = await server.inject({
        method: 'POST',
        url: TRAIL_URL,
        headers: { host: org.host, authorization: `Bearer ${badToken()}`, 'content-type': 'application/json' },
        payload: JSON.stringify(dayBody(clock.now())),
        remoteAddress: '198.51.100.30',
      });
      assertError(response, 401, 'UNAUTHENTICATED');
    }
    const failures = await failuresAfterTheWindow(org);
    assert.equal(failures.length, 11);
    assert.equal(attemptsIn(failures), 500);
    assert.ok(failures.every((event) => event.details['method'] === 'api_token' && event.details['reason'] === 'invalid_credentials'));
  });

  test('keeps the folded count in the store, so a server that dies does not lose it', async () => {
    const org = await freshOrg();
    for (let i = 0; i < 15; i += 1) {
      const response = await server.inject({
        method: 'GET',
        url: '/api/users',
        headers: { host: org.host, authorization: `Token token=${badToken()}` },
        remoteAddress: '198.51.100.40',
      });
      assertError(response, 401, 'UNAUTHENTICATED');
    }
    // Another server process over the same store, which never saw these attempts, writes them out.
    const later = new ManualClock(clock.now() + FOLD_WINDOW_MS);
    const other = await openRuntime(readConfig(server.env), undefined, later);
    try {
      assert.equal(ofType(await storedEvents(server, org.org.id), 'login.failed').length, 10);
      await flushFailureWindows(other.deps);
      const failures = ofType(await storedEvents(server, org.org.id), 'login.failed');
      assert.equal(failures.length, 11);
      assert.equal(aggregatedOf(failures.at(-1)!)?.count, 5);
    } finally {
      await other.close();
    }
  });
});

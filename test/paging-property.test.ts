// Walking a day's pages while events keep arriving yields every event of the day exactly once, in
// seq order: a property checked over generated page sizes, backlogs and arrival schedules.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { draftEvent } from '../src/core/events/envelope.ts';
import { startTestServer, trailRequest, type TestOrg, type TestServer } from './support/test-server.ts';

const START = '2025-05-17T08:00:00.000Z';
const DAY = { year: 2025, month: 5, day: 17 };
let server: TestServer;
let orgs = 0;

before(async () => {
  server = await startTestServer({ SECTRAIL_CLOCK_START: START, SECTRAIL_RATE_LIMIT_PER_MINUTE: '1000000' });
});
after(async () => {
  await server.close();
});

async function append(org: TestOrg, count: number): Promise<void> {
  if (count === 0) return;
  await server.runtime.store.transact(async (tx) => {
    for (let i = 0; i < count; i += 1) {
      const context = { actor: null, ipAddress: '198.51.100.4', userAgent: 'property', endpoint: 'POST /api/auth/login', requestId: null };
      tx.record(org.org.id, draftEvent('login.failed', context, { method: 'password', reason: 'unknown_user', attemptedEmail: `p${i}@x.test` }, 'failure'));
    }
  });
}

async function daySeqs(org: TestOrg): Promise<number[]> {
  const query = { orgId: org.org.id, epochDay: Date.parse(START) / 86_400_000 | 0, afterSeq: 0, eventTypes: null };
  return (await server.runtime.store.trail.page(query, 1_000_000)).map((row) => row.seq);
}

interface Page {
  result: { seq: number }[];
  nextPageToken: string | null;
}

test('walking the pages while events arrive yields each event of the day once and in order', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 120 }),
      fc.integer({ min: 1, max: 25 }),
      fc.array(fc.record({ count: fc.integer({ min: 0, max: 12 }), concurrent: fc.boolean() }), { maxLength: 40 }),
      async (backlog, pageSize, arrivals) => {
        orgs += 1;
        const org = await server.createOrg(`paging-${orgs}`);
        await append(org, backlog);
        const seen: number[] = [];
        let token: string | null = null;
        let step = 0;
        let headBeforeLast = 0;
        do {
          // Events arrive between and during the first requests, then stop so that the walk can end.
          const arrival = arrivals[step] ?? { count: 0, concurrent: false };
          step += 1;
          if (!arrival.concurrent) await append(org, arrival.count);
          headBeforeLast = (await server.runtime.store.trail.head(org.org.id)).lastSeq;
          const body = token === null ? { ...DAY, pageSize } : { ...DAY, pageToken: token };
          const pending = server.inject(trailRequest(org, body));
          if (arrival.concurrent) await append(org, arrival.count);
          const response = await pending;
          assert.equal(response.statusCode, 200, response.body);
          const page = response.json<Page>();
          assert.ok(page.result.length <= pageSize);
          seen.push(...page.result.map((event) => event.seq));
          token = page.nextPageToken;
        } while (token !== null);

        const all = await daySeqs(org);
        const last = seen[seen.length - 1] ?? 0;
        assert.deepEqual(seen, all.filter((seq) => seq <= last), 'each event once, in order, none skipped');
        assert.ok(
          all.filter((seq) => seq <= headBeforeLast).every((seq) => seen.includes(seq)),
          'every event committed before the last page was asked for is in the walk',
        );
      },
    ),
    { numRuns: 25 },
  );
});

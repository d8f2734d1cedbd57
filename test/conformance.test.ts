// The trail's reading contract under load, against the real server process on either store:
// writers make hundreds of platform changes a second over HTTP while page walkers, tail followers
// and the server's clock cross midnight UTC. Every reader must see every event exactly once, in
// seq order, each day as stored at the end; and every event must be explained by the server's
// first start or one request of the run, each acknowledged write by exactly one event.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dayFromEpochDay, epochDayOf, type CalendarDay } from '../src/core/day-window.ts';
import { TRAIL_URL, type DayPage, type Envelope } from './support/http-helpers.ts';
import { readBootstrap } from './support/bootstrap-file.ts';
import { startServerProcess } from './support/processes.ts';
import { storeEnv, TEST_STORE } from './support/test-store.ts';
import { ConformanceClient, type Credential } from './conformance/conformance-client.ts';
import { accountFor } from './conformance/event-accounting.ts';
import { PageWalker } from './conformance/page-walker.ts';
import { runWriter, type Ack } from './conformance/platform-writers.ts';
import { makeCredentials } from './conformance/run-credentials.ts';
import { RunPhase } from './conformance/run-phase.ts';
import { assertGapFreeFromOne, assertSameEvents } from './conformance/sequence-checks.ts';
import { TailFollower } from './conformance/tail-follower.ts';

/** The server's clock starts this long before midnight: its start and the setup fit before it. */
const CLOCK_START = '2025-12-31T23:59:50Z';
const MIDNIGHT_MS = Date.parse('2026-01-01T00:00:00Z');
const DAYS: readonly [CalendarDay, CalendarDay] = [dayFromEpochDay(epochDayOf(MIDNIGHT_MS) - 1), dayFromEpochDay(epochDayOf(MIDNIGHT_MS))];
/** Writers go on this long after midnight by the server's clock. */
const WRITE_PAST_MIDNIGHT_MS = 5_000;
const WRITERS = 4;
/** Each writer's pause between changes: some hundreds of events a second, which readers can follow. */
const WRITE_GAP_MS = 5;
const WALKER_PAGE_SIZES = [3, 7, 20];
const FOLLOWER_PAGE_SIZES = [5, 50, undefined];
/** Longer than any run should take: past it every actor throws, so the run ends by itself. */
const RUN_LIMIT_MS = 90_000;

async function wholeDay(client: ConformanceClient, credential: Credential, { year, month, day }: CalendarDay): Promise<DayPage> {
  return JSON.parse((await client.expect(200, TRAIL_URL, { year, month, day }, credential, 'read-start')).text) as DayPage;
}

/** The first failure of the settled actors, thrown. */
function rethrowFirst(results: readonly PromiseSettledResult<unknown>[]): void {
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

test('readers see every event exactly once and in seq order while writers write and the day rolls over', { timeout: 180_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sectrail-conformance-'));
  const store = await storeEnv(dataDir);
  const server = await startServerProcess({
    ...store.env,
    SECTRAIL_CLOCK_START: CLOCK_START,
    SECTRAIL_SEAL_GRACE_SECONDS: '0',
    SECTRAIL_RATE_LIMIT_PER_MINUTE: '1000000',
  });
  try {
    const bootstrap = readBootstrap(dataDir);
    const client = new ConformanceClient(`http://127.0.0.1:${String(server.port)}`);
    const readerCount = WALKER_PAGE_SIZES.length + FOLLOWER_PAGE_SIZES.length;
    const credentials = await makeCredentials(client, bootstrap, WRITERS, readerCount);
    const setupEnd = new Date(client.latestServerMs).toISOString();
    assert.ok(client.latestServerMs < MIDNIGHT_MS - 2_000, `the setup ended at ${setupEnd} by the server's clock: too close to midnight for a rollover in the middle`);

    const phase = new RunPhase(readerCount, RUN_LIMIT_MS);
    const reader = (index: number): Credential => credentials.readers[index] as Credential;
    // The last walker keeps at the first day until the server seals it.
    const walkers = WALKER_PAGE_SIZES.map((size, index) => {
      const untilComplete = index === WALKER_PAGE_SIZES.length - 1;
      const who = `page walker ${String(index + 1)} (pages of ${String(size)}${untilComplete ? ', first day until complete' : ''})`;
      return new PageWalker(who, client, reader(index), phase, DAYS, size, untilComplete);
    });
    const followers = FOLLOWER_PAGE_SIZES.map((size, index) => {
      const who = `tail follower ${String(index + 1)} (pages of ${String(size ?? 'the default')})`;
      return new TailFollower(who, client, reader(WALKER_PAGE_SIZES.length + index), phase, size);
    });
    const acks = new Map<string, Ack>();
    const untilServerMs = MIDNIGHT_MS + WRITE_PAST_MIDNIGHT_MS;
    const started = Date.now();
    const writing = Promise.allSettled(
      credentials.writers.map((credential, writer) => runWriter({ client, credential, writer, untilServerMs, gapMs: WRITE_GAP_MS, phase, acks })),
    ).then((results) => {
      phase.stopWrites();
      return results;
    });
    const reading = Promise.allSettled(
      [...walkers, ...followers].map((actor) =>
        actor.run().catch((error: unknown) => {
          phase.abort(error);
          throw error;
        }),
      ),
    );
    const [written, read] = await Promise.all([writing, reading]);
    const runMs = Date.now() - started;
    rethrowFirst(written);
    rethrowFirst(read);

    // The second day first: its read is logged on it after its answer, and the first day's after
    // both, so neither answer holds an event the readers could not have seen.
    const final = reader(0);
    const secondDay = await wholeDay(client, final, DAYS[1]);
    const firstDay = await wholeDay(client, final, DAYS[0]);
    assert.ok(firstDay.complete && !secondDay.complete, 'the first day is sealed, the second still open');
    const { result: first } = firstDay;
    const { result: second } = secondDay;
    const both = [...first, ...second];
    assertGapFreeFromOne('the two days as stored', both);
    for (const [{ iso }, events] of [[DAYS[0], first], [DAYS[1], second]] as const) {
      const stray = events.find((event) => !event.timestamp.startsWith(iso));
      if (stray !== undefined) assert.fail(`seq ${String(stray.seq)} is stored on ${iso} but stamped ${stray.timestamp}`);
    }

    const writesOn = (events: readonly Envelope[]) => events.filter((event) => event.requestId !== null && acks.has(event.requestId)).length;
    assert.ok(writesOn(first) > 0 && writesOn(second) > 0, `the writes straddle midnight: ${String(writesOn(first))} before it, ${String(writesOn(second))} after`);

    for (const follower of followers) {
      assertGapFreeFromOne(follower.who, follower.events);
      assertSameEvents(follower.who, follower.events, both);
    }
    for (const walker of walkers) {
      assertSameEvents(`${walker.who} on the first day`, walker.first.events, first);
      assertSameEvents(`${walker.who} on the second day`, walker.second.events, second);
    }

    // The two final reads' own events, read on from where a follower stopped: the whole log.
    const closing = followers[0] as TailFollower;
    const seenBefore = closing.events.length;
    await closing.readToEnd();
    const everything = closing.events;
    const afterReaders = everything.slice(seenBefore).map((event) => event.type);
    assert.deepEqual(afterReaders, ['security_log.accessed', 'security_log.accessed'], 'after the readers, only the final reads were logged');
    assertGapFreeFromOne('the whole log', everything);
    const accounts = accountFor(everything, client.ledger, acks);

    for (const actor of [...walkers, ...followers]) {
      assert.ok(actor.stats.whileWriting > 1, `${actor.who} read while the writes went on`);
    }

    const rate = Math.round((acks.size * 1000) / runMs);
    t.diagnostic(`store: ${TEST_STORE}; setup done at ${setupEnd} by the server's clock; run ${String(runMs)} ms (${String(rate)} acknowledged writes/s)`);
    t.diagnostic(`log: ${String(everything.length)} events, ${String(first.length)} on the first day and ${String(second.length)} on the second`);
    const explained = [
      `${String(accounts.firstStart)} from the first start`,
      `${String(accounts.setup)} from the setup`,
      `${String(accounts.writes)} writes by ${String(WRITERS)} writers (${String(writesOn(first))} before midnight)`,
      `${String(accounts.accesses)} reads logged`,
      `${String(accounts.tokenFirstUses)} token first uses`,
    ];
    t.diagnostic(`explained: ${explained.join(', ')}`);
    for (const actor of [...walkers, ...followers]) {
      const seen = actor instanceof PageWalker ? actor.first.events.length + actor.second.events.length : actor.events.length;
      const ended = actor instanceof PageWalker ? `, first day ended by: ${String(actor.firstDayEnd)}` : '';
      t.diagnostic(`${actor.who}: ${String(actor.stats.requests)} requests (${String(actor.stats.whileWriting)} while writing), ${String(seen)} events${ended}`);
    }
  } finally {
    await server.stop();
    await store.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

// Several servers on one PostgreSQL database (DESIGN §2, §4): two `sectrail serve` processes take
// writes for the same org at once while a reader pages through today and follows /tail, each
// request to whichever server comes next. Every walk is 1..k with no gap and no duplicate, every
// acknowledged write is in the log exactly once and is seen by any later read through either server,
// and the tail sees every seq once, in order.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DayPage, Envelope, TailPage } from './support/http-helpers.ts';
import { createTestDatabase, NO_PG_REASON, TEST_PG_URL } from './support/postgres-databases.ts';
import { runCli, startServerProcess, type ServerProcess } from './support/processes.ts';

const WRITERS = 4;
const WRITES_PER_WRITER = 75;
const PAGE_SIZE = 7;
const TAIL_PAGE_SIZE = 11;
/** Writers stop starting new requests after this long, so the test stays bounded on a slow machine. */
const WRITE_BUDGET_MS = 35_000;
const MS_PER_DAY = 86_400_000;

interface Answer {
  readonly status: number;
  readonly requestId: string | undefined;
  readonly body: string;
}

interface Write {
  readonly requestId: string;
  readonly type: 'service_account.created' | 'group.created';
  readonly name: string;
}

function dayOf(epochDay: number): { year: number; month: number; day: number } {
  const date = new Date(epochDay * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

const today = () => Math.floor(Date.now() / MS_PER_DAY);

/** The name an event's details give the created account or group. */
function createdName(event: Envelope): string | undefined {
  const ref = (event.details['serviceAccount'] ?? event.details['group']) as { name?: string } | undefined;
  return ref?.name;
}

test(
  'two servers on one database: concurrent writes through both, and every walk and tail is gap-free and complete',
  { skip: TEST_PG_URL === '' ? NO_PG_REASON : false, timeout: 120_000 },
  async () => {
    const database = await createTestDatabase();
    const dirs: string[] = [];
    const servers: ServerProcess[] = [];
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    try {
      dirs.push(mkdtempSync(join(tmpdir(), 'sectrail-pg2-a-')), mkdtempSync(join(tmpdir(), 'sectrail-pg2-b-')));
      const env = { DATABASE_URL: database.url, SECTRAIL_RATE_LIMIT_PER_MINUTE: '1000000' };
      // As docs/scaling.md says to run several servers: one bootstraps (two first starts at the same
      // moment can collide, a known gap that test/postgres-server.test.ts meets), and every server
      // gets the first one's secrets.key.
      servers.push(await startServerProcess({ ...env, SECTRAIL_DATA_DIR: dirs[0]! }));
      copyFileSync(join(dirs[0]!, 'secrets.key'), join(dirs[1]!, 'secrets.key'));
      servers.push(await startServerProcess({ ...env, SECTRAIL_DATA_DIR: dirs[1]!, SECTRAIL_BOOTSTRAP: '0' }));
      const ports = servers.map((server) => server.port);

      const bootstrap = readFileSync(join(dirs[0]!, 'bootstrap.txt'), 'utf8');
      const readerToken = /^token: (\S+)$/m.exec(bootstrap)?.[1];
      assert.ok(readerToken !== undefined, 'bootstrap.txt holds the reader token');

      const cliEnv = { DATABASE_URL: database.url, SECTRAIL_DATA_DIR: dirs[0]! };
      const account = await runCli(['service-account', 'create', '--org', 'demo', '--name', 'writer', '--role', 'admin'], cliEnv);
      assert.equal(account.code, 0, account.stderr);
      const issued = await runCli(
        ['token', 'create', '--org', 'demo', '--service-account', 'writer', '--scope', 'platform:admin'],
        cliEnv,
      );
      assert.equal(issued.code, 0, issued.stderr);
      const writerToken = issued.stdout.trimEnd().split('\n').pop() ?? '';
      assert.match(writerToken, /^sct_[A-Za-z0-9_-]{43}$/);

      /** One request to a server on 127.0.0.1, addressed to org demo by its Host. */
      const call = (port: number, path: string, token: string, body: unknown, requestId?: string) =>
        new Promise<Answer>((resolve, reject) => {
          const payload = JSON.stringify(body);
          const headers: http.OutgoingHttpHeaders = {
            host: `demo.localhost:${port}`,
            authorization: `Token token=${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          };
          if (requestId !== undefined) headers['x-request-id'] = requestId;
          const request = http.request({ host: '127.0.0.1', port, method: 'POST', path, headers, agent }, (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () => {
              const header = response.headers['x-request-id'];
              resolve({
                status: response.statusCode ?? 0,
                requestId: typeof header === 'string' ? header : undefined,
                body: Buffer.concat(chunks).toString('utf8'),
              });
            });
          });
          request.on('error', reject);
          request.end(payload);
        });
      let turn = 0;
      /** The reader's requests go to the servers in turn. */
      const nextPort = () => ports[(turn += 1) % ports.length]!;

      const startDay = today();
      let halted = false;
      let writersDone = false;
      /** Writes answered 201, in the order their answers came. */
      const acknowledged: Write[] = [];
      const refused: string[] = [];

      const writer = async (w: number) => {
        const stopAt = Date.now() + WRITE_BUDGET_MS;
        for (let i = 0; i < WRITES_PER_WRITER && !halted && Date.now() < stopAt; i += 1) {
          const port = ports[(w + i) % ports.length]!;
          const requestId = `two-servers-w${w}-${i}`;
          const write: Write =
            i % 2 === 0
              ? { requestId, type: 'service_account.created', name: `sa-w${w}-${i}` }
              : { requestId, type: 'group.created', name: `group-w${w}-${i}` };
          const path = write.type === 'group.created' ? '/api/groups' : '/api/service-accounts';
          const answer = await call(port, path, writerToken, { name: write.name }, requestId);
          if (answer.status !== 201) {
            refused.push(`${requestId} on :${port}: ${answer.status} ${answer.body}`);
            continue;
          }
          assert.equal(answer.requestId, requestId, 'the server keeps the caller\u2019s X-Request-Id');
          acknowledged.push(write);
        }
      };

      /** One walk of a day's pages through alternating servers. */
      const walkDay = async (epochDay: number): Promise<Envelope[]> => {
        const events: Envelope[] = [];
        let token: string | null = null;
        do {
          const body: Record<string, unknown> =
            token === null ? { ...dayOf(epochDay), pageSize: PAGE_SIZE } : { ...dayOf(epochDay), pageToken: token };
          const answer = await call(nextPort(), '/api/audit-log/security-trail/', readerToken, body);
          assert.equal(answer.status, 200, answer.body);
          const page = JSON.parse(answer.body) as DayPage;
          assert.ok(page.result.length <= PAGE_SIZE, 'a page holds at most pageSize events');
          events.push(...page.result);
          token = page.nextPageToken;
        } while (token !== null);
        return events;
      };

      const assertOneToN = (seqs: readonly number[], what: string) => {
        const expected = Array.from({ length: seqs.length }, (_, index) => index + 1);
        assert.deepEqual(seqs, expected, `${what}: seqs are 1..${seqs.length}, no gap, no duplicate`);
      };

      /** The request ids of the writes whose events are among these (by type too: a request may log more than its change). */
      const written = (events: readonly Envelope[]) =>
        new Set(events.filter((event) => event.type === 'service_account.created' || event.type === 'group.created').map((event) => event.requestId));

      let walks = 0;
      const pageWalker = async () => {
        while (!writersDone && !halted) {
          const before = acknowledged.slice();
          const events = await walkDay(startDay);
          walks += 1;
          assertOneToN(
            events.map((event) => event.seq),
            `walk ${walks}`,
          );
          // Past midnight UTC new writes go to the next day, which this walk does not read.
          if (today() === startDay) {
            const seen = written(events);
            const missing = before.filter((write) => !seen.has(write.requestId));
            assert.deepEqual(missing, [], `walk ${walks} has every write acknowledged before it began`);
          }
        }
      };

      const tailSeen: Envelope[] = [];
      let cursor: string | undefined;
      let tailPolls = 0;
      /** Polls /tail until it answers empty; every acknowledged write before that poll must have been seen. */
      const pollTail = async (): Promise<boolean> => {
        const before = acknowledged.slice();
        const body = cursor === undefined ? { pageSize: TAIL_PAGE_SIZE } : { after: cursor, pageSize: TAIL_PAGE_SIZE };
        const answer = await call(nextPort(), '/api/audit-log/security-trail/tail', readerToken, body);
        assert.equal(answer.status, 200, answer.body);
        const page = JSON.parse(answer.body) as TailPage;
        tailPolls += 1;
        assert.ok(page.result.length <= TAIL_PAGE_SIZE);
        for (const event of page.result) {
          const previous = tailSeen[tailSeen.length - 1]?.seq ?? 0;
          assert.equal(event.seq, previous + 1, `the tail gives seq ${previous + 1} next, not ${event.seq}`);
          tailSeen.push(event);
        }
        cursor = page.cursor;
        if (page.result.length > 0) return false;
        const seen = written(tailSeen);
        const missing = before.filter((write) => !seen.has(write.requestId));
        assert.deepEqual(missing, [], 'a caught-up tail has seen every write acknowledged before the poll');
        return true;
      };
      const tailFollower = async () => {
        while (!writersDone && !halted) {
          if (await pollTail()) await new Promise((resolve) => setTimeout(resolve, 5));
        }
      };

      const halting = async (work: Promise<void>) => {
        try {
          await work;
        } catch (error) {
          halted = true;
          throw error;
        }
      };
      const writers = Promise.all(Array.from({ length: WRITERS }, (_, w) => halting(writer(w)))).finally(() => {
        writersDone = true;
      });
      const outcomes = await Promise.allSettled([writers, halting(pageWalker()), halting(tailFollower())]);
      for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;

      assert.deepEqual(refused, [], 'every write is answered 201');
      assert.ok(acknowledged.length > 0, 'some writes were made');
      assert.ok(walks > 0, 'the reader walked the day while the writers wrote');

      // The final walk, over every day the test touched (two if it crossed midnight UTC).
      const final: Envelope[] = [];
      for (let epochDay = startDay; epochDay <= today(); epochDay += 1) final.push(...(await walkDay(epochDay)));
      assertOneToN(
        final.map((event) => event.seq),
        'the final walk',
      );
      assert.equal(new Set(final.map((event) => event.id)).size, final.length, 'event ids are unique');
      for (let index = 1; index < final.length; index += 1) {
        assert.ok(final[index]!.timestamp >= final[index - 1]!.timestamp, `timestamps never go backwards (seq ${index + 1})`);
      }

      // Every acknowledged write has its event, exactly once, of its type and naming what it made.
      // (A request can log more than its change: a token's first use logs login.succeeded under the same requestId.)
      const creations = final.filter((event) => event.type === 'service_account.created' || event.type === 'group.created');
      const byRequestId = new Map<string, Envelope[]>();
      for (const event of creations) {
        if (event.requestId === null) continue;
        byRequestId.set(event.requestId, [...(byRequestId.get(event.requestId) ?? []), event]);
      }
      for (const write of acknowledged) {
        const events = byRequestId.get(write.requestId) ?? [];
        assert.equal(events.length, 1, `write ${write.requestId} has exactly one event`);
        assert.equal(events[0]!.type, write.type);
        assert.equal(createdName(events[0]!), write.name);
      }
      const writerEvents = creations.filter((event) => event.requestId?.startsWith('two-servers-') === true);
      assert.equal(writerEvents.length, acknowledged.length, 'no event without an acknowledged write');

      // The tail, drained, saw the same events at the same seqs (and at most the final walk's own access event after).
      while (!(await pollTail()));
      assertOneToN(
        tailSeen.map((event) => event.seq),
        'the tail',
      );
      assert.ok(tailSeen.length >= final.length);
      assert.deepEqual(
        tailSeen.slice(0, final.length).map((event) => event.id),
        final.map((event) => event.id),
        'the tail and the final walk agree on every seq',
      );
      console.log(
        `two servers: ${acknowledged.length} writes, ${final.length} events, ${walks} walks during the writes, ${tailPolls} tail polls`,
      );
    } finally {
      agent.destroy();
      await Promise.allSettled(servers.map((server) => server.stop()));
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      await database.drop();
    }
  },
);

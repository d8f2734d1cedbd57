// Whatever a client sends, the server answers with a success or a documented error, never a 5xx,
// and neither crashes nor leaves a promise rejected unhandled. Every route the server registers is
// driven with generated bodies, headers, credentials, Hosts and content types; the routes are read
// from the server itself, so a route added later is driven too, and one never reached fails.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { call } from './support/admin-helpers.ts';
import { mutatedToken } from './support/hostile-arbitraries.ts';
import { plantFixtures } from './support/hostile-fixtures.ts';
import { hostileRequests } from './support/hostile-requests.ts';
import { documentedErrorCode, TAIL_URL, TRAIL_URL } from './support/http-helpers.ts';
import { markdownTables } from './support/markdown-table.ts';
import { recordRoutes, routeKey } from './support/route-table.ts';
import { startTestServer } from './support/test-server.ts';

const RUNS_PER_ROUTE = 100;

// ---- process-level failures: any of these during the run fails the test that was running ----

const escaped: string[] = [];
const onRejection = (reason: unknown): void => {
  escaped.push(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
};
const onException = (error: Error): void => {
  escaped.push(`uncaught exception: ${error.stack ?? error.message}`);
};

// ---- the server, its routes, and the real things in it to aim at ----

const table = recordRoutes();
// Thousands of requests from one address: the rate limit has tests of its own.
const server = await startTestServer({ SECTRAIL_RATE_LIMIT_PER_MINUTE: '1000000' });
table.stop();

after(async () => {
  await server.close();
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
});

const fixtures = await plantFixtures(server);
const { acme, today, pageTokens, cursors } = fixtures;
const { attemptFor, send } = hostileRequests(fixtures);

// ---- what the documentation promises of an error ----

const documentedStatus = new Map(
  (markdownTables(readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8')).find((candidate) => candidate.header[0] === 'code')?.rows ?? []).map(
    (row) => [(row[0] ?? '').replaceAll('`', ''), Number(row[1])] as const,
  ),
);
assert.ok(documentedStatus.size > 10, 'docs/errors.md has its table of codes');

/** Whatever the request was: no 5xx, and an error answer is exactly the documented shape, code and status. */
function assertDocumentedAnswer(response: LightMyRequestResponse, method: string, what: string): void {
  const status = response.statusCode;
  assert.ok(status < 500, `${what} answered ${status}: ${response.body.slice(0, 300)}`);
  if (status >= 300 && status < 400) {
    assert.ok(typeof response.headers.location === 'string', `${what}: a redirect names where to`);
    return;
  }
  if (status < 400) return;
  assert.match(String(response.headers['content-type']), /^application\/json/, what);
  if (status === 401) assert.equal(response.headers['www-authenticate'], 'Bearer realm="sectrail"', what);
  // A HEAD answer has the GET's headers and no body to check.
  if (method === 'HEAD') return;
  const code = documentedErrorCode(response);
  assert.equal(status, documentedStatus.get(code), `${what}: ${code} is documented with another status`);
}

let linesChecked = 0;

/** Nothing escaped to the process, and the server logged no fault of its own (pino's level 50 and up). */
function assertNothingEscaped(): void {
  assert.deepEqual(escaped, [], 'nothing escaped to the process');
  const fresh = server.logLines.slice(linesChecked);
  linesChecked += fresh.length;
  const faults = fresh.filter((line) => ((JSON.parse(line) as { level?: number }).level ?? 0) >= 50);
  assert.deepEqual(faults, [], 'the server logged no fault');
}

// ---- generated requests ----
// ---- the properties ----

// Installed once the fixtures stand, so that a failing setup still fails loudly on its own.
process.on('unhandledRejection', onRejection);
process.on('uncaughtException', onException);

test('finds the routes the server registered, from the server itself', () => {
  assert.ok(table.routes.length >= 30, `${table.routes.length} routes`);
  assert.ok(table.routes.some((route) => route.method === 'PATCH' && route.url === '/api/users/:id/role'));
});

for (const route of table.routes) {
  test(`answers generated requests to ${route.method} ${route.url} with a success or a documented error, never a 5xx`, async () => {
    await fc.assert(
      fc.asyncProperty(attemptFor(route), async (attempt) => {
        // Only this request's log lines count (a failing run leaves its own behind while shrinking).
        linesChecked = server.logLines.length;
        const response = await send(attempt);
        assertDocumentedAnswer(response, attempt.method, `${attempt.method} ${attempt.path}`);
        assertNothingEscaped();
      }),
      { numRuns: RUNS_PER_ROUTE },
    );
  });
}

// A NUL is what this matches, on purpose.
// eslint-disable-next-line no-control-regex
const NOT_TEXT = /[\u0000\p{Cs}]/u;

test('refuses every edited, truncated, foreign or made-up page token and cursor, and follows only the real ones', async () => {
  const own = { trail: pageTokens.slice(0, 2), tail: cursors.slice(0, 1) };
  const candidate = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...pageTokens, ...cursors) },
    { weight: 6, arbitrary: mutatedToken(fc.constantFrom(...pageTokens, ...cursors)) },
    { weight: 1, arbitrary: fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^[A-Za-z0-9_-]{1,200}\.[A-Za-z0-9_-]{43}$/)) },
  );
  await fc.assert(
    fc.asyncProperty(candidate, fc.constantFrom('trail', 'tail'), async (token, where) => {
      linesChecked = server.logLines.length;
      const response =
        where === 'trail'
          ? await call(server, acme, 'POST', TRAIL_URL, { ...today, pageToken: token }, acme.token)
          : await call(server, acme, 'POST', TAIL_URL, { after: token }, acme.token);
      assertDocumentedAnswer(response, 'POST', `${where} with ${token}`);
      // The first filtered page token carries its filter: sent without it, it is still that walk.
      if (own[where].includes(token)) assert.equal(response.statusCode, 200, response.body);
      // Too long, or not text (a NUL, a lone surrogate): the body itself is refused before any token is read.
      else if (token.length > 4096 || NOT_TEXT.test(token)) assert.equal(documentedErrorCode(response), 'INVALID_REQUEST');
      else assert.equal(documentedErrorCode(response), 'INVALID_PAGE_TOKEN', `${where} took ${JSON.stringify(token)}`);
      assertNothingEscaped();
    }),
    { numRuns: 300 },
  );
});

test('refuses a body holding a lone surrogate as malformed, and takes a name made of surrogate pairs', async () => {
  const before = (await call(server, acme, 'GET', '/api/groups')).json<{ result: unknown[] }>().result.length;
  for (const payload of ['{"name":"\\ud800"}', '{"name":"a\\udfffb"}', '{"name":"x\\ud800\\ud800"}']) {
    const response = await server.inject({ method: 'POST', url: '/api/groups', headers: { host: acme.host, authorization: `Token token=${acme.adminToken}`, 'content-type': 'application/json' }, payload });
    assert.equal(response.statusCode, 400, `${payload}: ${response.body}`);
    assert.equal(documentedErrorCode(response), 'INVALID_REQUEST');
  }
  const paired = await call(server, acme, 'POST', '/api/groups', { name: 'pair \ud83d\ude00' });
  assert.equal(paired.statusCode, 201, paired.body);
  assert.equal((await call(server, acme, 'GET', '/api/groups')).json<{ result: unknown[] }>().result.length, before + 1);
  assertNothingEscaped();
});

test('drove every route the server has past its authentication at least once', () => {
  const missed = table.routes.map((route) => routeKey(route.method, route.url)).filter((key) => !table.reached.has(key));
  assert.deepEqual(missed, [], 'routes no generated request reached');
  const gated = table.routes
    .map((route) => routeKey(route.method, route.url))
    .filter((key) => [...(table.reached.get(key) ?? [])].every((status) => [401, 403, 429].includes(status)));
  assert.deepEqual(gated, [], 'routes where every generated request was refused at the door');
});

test('is still up and answering after all of it', async () => {
  const response = await server.inject({ method: 'GET', url: '/healthz' });
  assert.equal(response.statusCode, 200, response.body);
  assertNothingEscaped();
});

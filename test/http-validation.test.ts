// The security-trail endpoint's input contract (DESIGN §4, §7): every malformed, impossible or
// future request gets its documented 4xx code in the one error shape, and no input gets a 5xx.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { epochDayOf } from '../src/core/day-window.ts';
import { EVENT_CATALOGUE, EVENT_TYPES, type EventType } from '../src/core/events/catalogue.ts';
import { encodePageToken } from '../src/core/page-token.ts';
import {
  assertError,
  authed,
  documentedErrorCode,
  EVENT_TYPES_URL,
  storedEvents,
  TRAIL_URL,
  type DayPage,
} from './support/http-helpers.ts';
import { recordRoutes, type RouteEntry } from './support/route-table.ts';
import { dayBody, startTestServer, trailRequest, type TestOrg, type TestServer } from './support/test-server.ts';
import { validationCases } from './support/validation-cases.ts';

const MS_PER_DAY = 86_400_000;
const BOTH_URLS = [TRAIL_URL, TRAIL_URL.slice(0, -1)] as const;
const TRAIL_400_CODES = ['INVALID_REQUEST', 'INVALID_DATE', 'DATE_IN_FUTURE', 'INVALID_PAGE_TOKEN'];

let server: TestServer;
let acme: TestOrg;
let beta: TestOrg;
let routes: RouteEntry[];

before(async () => {
  const table = recordRoutes();
  // Hundreds of requests with one token: the rate limit is not what these tests are about.
  server = await startTestServer({ SECTRAIL_RATE_LIMIT_PER_MINUTE: '1000000' });
  table.stop();
  routes = table.routes;
  acme = await server.createOrg('acme');
  beta = await server.createOrg('beta');
});

after(async () => {
  await server.close();
});

function post(body: unknown, url: string = TRAIL_URL, org: TestOrg = acme) {
  return server.inject({ ...trailRequest(org, body), url });
}

/** A body sent as is, with the given Content-Type (none when null). */
function postRaw(payload: string, contentType: string | null = 'application/json') {
  const headers: Record<string, string> = { host: acme.host, authorization: `Token token=${acme.token}` };
  if (contentType !== null) headers['content-type'] = contentType;
  return server.inject({ method: 'POST', url: TRAIL_URL, headers, payload });
}

async function assertBothUrls(body: unknown, status: number, code: string): Promise<void> {
  for (const url of BOTH_URLS) assertError(await post(body, url), status, code);
}

const today = dayBody();

describe('the request body', () => {
  const invalidRequests: [string, unknown][] = [
    ['the year is missing', { month: today.month, day: today.day }],
    ['the month is missing', { year: today.year, day: today.day }],
    ['the day is missing', { year: today.year, month: today.month }],
    ['the body is an empty object', {}],
    ['the year is the string "2025"', { ...today, year: '2025' }],
    ['the month is a numeric string', { ...today, month: String(today.month) }],
    ['the day is the float 5.5', { ...today, day: 5.5 }],
    ['the year is a float', { ...today, year: 2024.5 }],
    ['the month is null', { ...today, month: null }],
    ['the day is null', { ...today, day: null }],
    ['the year is an array', { ...today, year: [today.year] }],
    ['the day is an empty array', { ...today, day: [] }],
    ['the month is a boolean', { ...today, month: true }],
    ['the year is an object', { ...today, year: { value: today.year } }],
    ['an unknown field is sent', { ...today, page: 2 }],
    ['a field differs only in case', { ...today, Year: today.year }],
    ['pageSize is 0', { ...today, pageSize: 0 }],
    ['pageSize is 10001', { ...today, pageSize: 10_001 }],
    ['pageSize is the string "10"', { ...today, pageSize: '10' }],
    ['pageSize is 1.5', { ...today, pageSize: 1.5 }],
    ['pageSize is negative', { ...today, pageSize: -1 }],
    ['pageSize is null', { ...today, pageSize: null }],
    ['eventTypes is an empty array', { ...today, eventTypes: [] }],
    ['eventTypes names an unknown type', { ...today, eventTypes: ['nope'] }],
    ['eventTypes mixes a known and an unknown type', { ...today, eventTypes: ['login.failed', 'nope'] }],
    ['eventTypes is a string, not an array', { ...today, eventTypes: 'login.failed' }],
    ['eventTypes holds a number', { ...today, eventTypes: [1] }],
    ['eventTypes is null', { ...today, eventTypes: null }],
    ['pageToken is a number', { ...today, pageToken: 5 }],
  ];
  for (const [when, body] of invalidRequests) {
    test(`answers 400 INVALID_REQUEST when ${when}`, async () => {
      await assertBothUrls(body, 400, 'INVALID_REQUEST');
    });
  }

  const notObjects: [string, string][] = [
    ['a JSON array', '[]'],
    ['an array holding the date', JSON.stringify([today])],
    ['a JSON string', '"2025-01-01"'],
    ['a JSON number', '20250101'],
    ['JSON null', 'null'],
    ['JSON true', 'true'],
  ];
  for (const [what, payload] of notObjects) {
    test(`answers 400 INVALID_REQUEST when the body is ${what}`, async () => {
      assertError(await postRaw(payload), 400, 'INVALID_REQUEST');
    });
  }

  const malformed: [string, string][] = [
    ['truncated JSON', '{"year": 2024, "month":'],
    ['JSON with a trailing comma', '{"year": 2024, "month": 1, "day": 1,}'],
    ['single-quoted pseudo-JSON', "{'year': 2024, 'month': 1, 'day': 1}"],
    ['an empty body', ''],
    ['a body with a __proto__ key', '{"year": 2024, "month": 1, "day": 1, "__proto__": {"x": 1}}'],
    ['a body with a constructor.prototype key', '{"year": 2024, "month": 1, "day": 1, "constructor": {"prototype": {"x": 1}}}'],
  ];
  for (const [what, payload] of malformed) {
    test(`answers 400 INVALID_REQUEST for ${what}`, async () => {
      assertError(await postRaw(payload), 400, 'INVALID_REQUEST');
    });
  }

  const unsupported: [string, string | null, string][] = [
    ['text/plain', 'text/plain', JSON.stringify(today)],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded', `year=${today.year}&month=${today.month}&day=${today.day}`],
    ['multipart/form-data', 'multipart/form-data; boundary=x', '--x\r\n\r\n--x--'],
    ['no Content-Type at all', null, JSON.stringify(today)],
  ];
  for (const [what, contentType, payload] of unsupported) {
    test(`answers 415 UNSUPPORTED_MEDIA_TYPE for a body sent as ${what}`, async () => {
      assertError(await postRaw(payload, contentType), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });
  }

  test('accepts application/json with a charset parameter', async () => {
    const response = await postRaw(JSON.stringify(today), 'application/json; charset=utf-8');
    assert.equal(response.statusCode, 200, response.body);
  });

  test('answers 413 PAYLOAD_TOO_LARGE for a body one byte over 64 KiB, and reads one of exactly 64 KiB', async () => {
    const bodyOfLength = (length: number) => {
      const empty = JSON.stringify({ ...today, pad: '' });
      return JSON.stringify({ ...today, pad: 'x'.repeat(length - empty.length) });
    };
    const atLimit = bodyOfLength(64 * 1024);
    assert.equal(Buffer.byteLength(atLimit), 64 * 1024);
    // Read and parsed, then refused for its unknown field: the size itself was fine.
    assertError(await postRaw(atLimit), 400, 'INVALID_REQUEST');
    assertError(await postRaw(bodyOfLength(64 * 1024 + 1)), 413, 'PAYLOAD_TOO_LARGE');
    assertError(await postRaw(JSON.stringify({ ...today, pad: 'x'.repeat(1024 * 1024) })), 413, 'PAYLOAD_TOO_LARGE');
  });
});

/** The message of an error answer, after checking its status and code. */
function messageOf(response: Awaited<ReturnType<typeof post>>, status: number, code: string): string {
  assertError(response, status, code);
  return response.json<{ error: { message: string } }>().error.message;
}

/** What no message may be: a validator's words without the field, or only "malformed". */
function assertSaysWhatIsWrong(message: string): void {
  assert.doesNotMatch(message, /schema is false|must not have additional properties|must match a schema in anyOf|equal to constant/i, message);
  assert.doesNotMatch(message, /^(?:the request is )?malformed\.?$/i, message);
}

describe('the messages of refused requests', () => {
  test('name the field and what was expected, for every way to get each field of every body schema wrong', async () => {
    const withBodies = routes.filter((route) => route.body !== null);
    assert.ok(withBodies.length >= 15, `${withBodies.length} routes with a body`);
    let checked = 0;
    for (const route of withBodies) {
      const url = route.url.replace(/:\w+/g, 'x1');
      for (const wrong of validationCases(route.body!)) {
        const response = await server.inject({
          method: route.method,
          url,
          headers: { host: acme.host, authorization: `Token token=${acme.adminToken}`, 'content-type': 'application/json' },
          payload: JSON.stringify(wrong.body),
        });
        const message = messageOf(response, 400, 'INVALID_REQUEST');
        for (const name of wrong.names) assert.ok(message.includes(name), `${route.method} ${route.url}, ${wrong.what}: "${message}" does not name ${name}`);
        assertSaysWhatIsWrong(message);
        checked += 1;
      }
    }
    assert.ok(checked >= 150, `${checked} cases`);
  });

  test('say which fields a body needs when there is none, and that it must be an object when it is not one', async () => {
    for (const payload of ['', '[]', '"2025-01-01"', 'null']) {
      const message = messageOf(await postRaw(payload), 400, 'INVALID_REQUEST');
      for (const name of ['JSON', 'year', 'month', 'day']) assert.ok(message.includes(name), `${JSON.stringify(payload)}: ${message}`);
    }
    const none = await server.inject({ method: 'POST', url: TRAIL_URL, headers: { host: acme.host, authorization: `Token token=${acme.token}` } });
    assert.match(messageOf(none, 400, 'INVALID_REQUEST'), /needs a JSON body/);
  });

  test('say where a body is not valid JSON, without repeating any of it', async () => {
    const secret = 'canary-body-4f7d2e';
    const bodies: [string, RegExp][] = [
      [`{"year": 2024, "${secret}"}`, /^The body is not valid JSON: an unexpected character at line 1, column 36\.$/],
      [`{"year": 2024, "${secret}" 1}`, /^The body is not valid JSON: unexpected number at line 1, column 37\.$/],
      [`{"year": 2024, '${secret}': 1}`, /^The body is not valid JSON: .+ at line 1, column 16\.$/],
      [secret, /^The body is not valid JSON: an unexpected character at line 1, column 1\.$/],
      [`{"note": "${secret}",\n "year": tru}`, /^The body is not valid JSON: an unexpected character at line 2, column 13\.$/],
      [`{"note": "${secret}"`, /^The body is not valid JSON: it ends before its value is complete\.$/],
      [`{"note": "${secret}\u0001"}`, /^The body is not valid JSON: bad control character in string literal at line 1, column \d+\.$/],
    ];
    for (const [payload, expected] of bodies) {
      const message = messageOf(await postRaw(payload), 400, 'INVALID_REQUEST');
      assert.match(message, expected, payload);
      assert.ok(!message.includes(secret) && !message.includes('canary'), message);
    }
  });

  test('say that a body must be sent as JSON when its Content-Type is another', async () => {
    const message = messageOf(await postRaw(JSON.stringify(today), 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    assert.match(message, /application\/json/);
  });

  test('name a path parameter or a query parameter that is not as expected, and what it should be', async () => {
    const provider = messageOf(await server.inject({ method: 'GET', url: '/api/auth/sso/NOT%20OK/start', headers: { host: acme.host } }), 400, 'INVALID_REQUEST');
    assert.match(provider, /^provider in the path must be a string matching /);
    const org = messageOf(await server.inject({ method: 'GET', url: `/api/auth/methods?org=${'x'.repeat(64)}` }), 400, 'INVALID_REQUEST');
    assert.match(org, /^org in the query string must be a string of at most 63 characters\.$/);
  });

  test('list the choices of a field that takes one of a few values', async () => {
    const response = await server.inject({ ...authed(acme, 'POST', '/api/invitations', { email: 'bo@acme.test', role: 'owner' }, acme.adminToken) });
    assert.equal(messageOf(response, 400, 'INVALID_REQUEST'), 'role must be one of reader, writer, admin.');
  });
});

describe('the requested day', () => {
  const invalidDates: [string, { year: number; month: number; day: number }][] = [
    ['2023-02-29 (not a leap year)', { year: 2023, month: 2, day: 29 }],
    ['2100-02-29 (a century that is no leap year, also in the future)', { year: 2100, month: 2, day: 29 }],
    ['2025-04-31', { year: 2025, month: 4, day: 31 }],
    ['month 0', { year: 2024, month: 0, day: 1 }],
    ['month 13', { year: 2024, month: 13, day: 1 }],
    ['day 0', { year: 2024, month: 1, day: 0 }],
    ['day 32', { year: 2024, month: 1, day: 32 }],
    ['1969-12-31, before 1970', { year: 1969, month: 12, day: 31 }],
    ['year 0', { year: 0, month: 1, day: 1 }],
    ['a negative year', { year: -2024, month: 1, day: 1 }],
    ['a negative month', { year: 2024, month: -1, day: 1 }],
    ['a negative day', { year: 2024, month: 1, day: -5 }],
  ];
  for (const [what, body] of invalidDates) {
    test(`answers 400 INVALID_DATE for ${what}`, async () => {
      await assertBothUrls(body, 400, 'INVALID_DATE');
    });
  }

  const tomorrow = dayBody(Date.now() + MS_PER_DAY);
  const futureDates: [string, { year: number; month: number; day: number }][] = [
    ['tomorrow', tomorrow],
    ['next year', { year: today.year + 1, month: 1, day: 1 }],
    ['9999-12-31', { year: 9999, month: 12, day: 31 }],
    ['year 10000', { year: 10_000, month: 1, day: 1 }],
    ['year 1e15', { year: 1e15, month: 1, day: 1 }],
  ];
  for (const [what, body] of futureDates) {
    test(`answers 400 DATE_IN_FUTURE for ${what}`, async () => {
      await assertBothUrls(body, 400, 'DATE_IN_FUTURE');
    });
  }

  const validDays: [string, { year: number; month: number; day: number }][] = [
    ['2024-02-29, a leap day', { year: 2024, month: 2, day: 29 }],
    ['2000-02-29, a leap day of a century divisible by 400', { year: 2000, month: 2, day: 29 }],
    ['1970-01-01, the first day', { year: 1970, month: 1, day: 1 }],
    ['yesterday', dayBody(Date.now() - MS_PER_DAY)],
  ];
  for (const [what, body] of validDays) {
    test(`answers 200 with an empty day for ${what}`, async () => {
      for (const url of BOTH_URLS) {
        const response = await post(body, url);
        assert.equal(response.statusCode, 200, response.body);
        const page = response.json<DayPage>();
        assert.deepEqual(page.result, []);
        assert.equal(page.nextPageToken, null);
      }
    });
  }

  test('answers 200 for today, with and without the trailing slash, and says the day is not complete', async () => {
    for (const url of BOTH_URLS) {
      const response = await post(today, url);
      assert.equal(response.statusCode, 200, response.body);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      const page = response.json<DayPage>();
      assert.ok(page.result.length > 0);
      assert.equal(page.nextPageToken, null);
      assert.equal(page.complete, false);
    }
  });
});

describe('pageSize and eventTypes', () => {
  test('accepts pageSize 1 and pages through the day one event at a time, each exactly once, in seq order', async () => {
    const walked: number[] = [];
    let response = await post({ ...today, pageSize: 1 });
    for (;;) {
      assert.equal(response.statusCode, 200, response.body);
      const page = response.json<DayPage>();
      assert.ok(page.result.length <= 1);
      walked.push(...page.result.map((event) => event.seq));
      if (page.nextPageToken === null) break;
      response = await post({ ...today, pageToken: page.nextPageToken });
    }
    const stored = (await storedEvents(server, acme.org.id)).filter((event) => event.timestamp.startsWith(todayIso()));
    // The first page's own access event may land after the walk's end; every earlier event is walked.
    assert.ok(walked.length >= 6);
    assert.deepEqual(walked, stored.map((event) => event.seq).slice(0, walked.length));
    assert.equal(new Set(walked).size, walked.length);
  });

  test('accepts pageSize 10000 and returns the whole day with no next page', async () => {
    const response = await post({ ...today, pageSize: 10_000 });
    assert.equal(response.statusCode, 200, response.body);
    const page = response.json<DayPage>();
    assert.ok(page.result.length > 0);
    assert.equal(page.nextPageToken, null);
  });

  test('lets a later page change the page size', async () => {
    const first = (await post({ ...today, pageSize: 1 })).json<DayPage>();
    assert.ok(first.nextPageToken !== null);
    const second = await post({ ...today, pageToken: first.nextPageToken, pageSize: 3 });
    assert.equal(second.statusCode, 200, second.body);
    assert.equal(second.json<DayPage>().result.length, 3);
  });

  test('keeps only the types a valid eventTypes filter names, streamed or paged', async () => {
    const wanted = ['token.created', 'service_account.created'];
    const expected = (await storedEvents(server, acme.org.id))
      .filter((event) => wanted.includes(event.type))
      .map((event) => event.id);
    assert.ok(expected.length >= 4);
    const streamed = await post({ ...today, eventTypes: wanted });
    assert.equal(streamed.statusCode, 200, streamed.body);
    assert.deepEqual(streamed.json<DayPage>().result.map((event) => event.id), expected);

    // Paged: the filter travels in the token, so later pages need not repeat it.
    const paged: string[] = [];
    let page = (await post({ ...today, eventTypes: wanted, pageSize: 1 })).json<DayPage>();
    paged.push(...page.result.map((event) => event.id));
    while (page.nextPageToken !== null) {
      const response = await post({ ...today, pageToken: page.nextPageToken });
      assert.equal(response.statusCode, 200, response.body);
      page = response.json<DayPage>();
      paged.push(...page.result.map((event) => event.id));
    }
    assert.deepEqual(paged, expected);
  });

  test("accepts a page token with the token's own eventTypes sent again in another order", async () => {
    const first = (await post({ ...today, eventTypes: ['token.created', 'service_account.created'], pageSize: 1 })).json<DayPage>();
    assert.ok(first.nextPageToken !== null);
    const response = await post({
      ...today,
      pageToken: first.nextPageToken,
      eventTypes: ['service_account.created', 'token.created'],
    });
    assert.equal(response.statusCode, 200, response.body);
  });
});

function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

describe('page tokens', () => {
  async function realToken(org: TestOrg = acme, extra: Record<string, unknown> = {}): Promise<string> {
    const response = await post({ ...today, pageSize: 1, ...extra }, TRAIL_URL, org);
    assert.equal(response.statusCode, 200, response.body);
    const token = response.json<DayPage>().nextPageToken;
    assert.ok(token !== null, 'the day has more than one event');
    return token;
  }

  async function assertRefused(pageToken: unknown, body: Record<string, unknown> = today): Promise<void> {
    await assertBothUrls({ ...body, pageToken }, 400, 'INVALID_PAGE_TOKEN');
  }

  test('follows a page token it minted (the control for the refusals below)', async () => {
    const response = await post({ ...today, pageToken: await realToken() });
    assert.equal(response.statusCode, 200, response.body);
  });

  test('rejects a page token signed with another key', async () => {
    const forged = encodePageToken(randomBytes(32), {
      orgId: acme.org.id,
      epochDay: epochDayOf(Date.now()),
      afterSeq: 1,
      pageSize: 1,
      eventTypes: null,
    });
    await assertRefused(forged);
  });

  test('rejects a page token whose payload was edited', async () => {
    const token = await realToken();
    const [body, mac] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const edited = Buffer.from(JSON.stringify({ ...payload, s: 0, n: 10_000 })).toString('base64url');
    await assertRefused(`${edited}.${mac}`);
  });

  test('rejects a page token whose signature was edited', async () => {
    const token = await realToken();
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    await assertRefused(`${token.slice(0, -2)}${last}${token.slice(-1)}`);
  });

  test('rejects a truncated page token', async () => {
    const token = await realToken();
    await assertRefused(token.slice(0, -1));
    await assertRefused(token.slice(0, token.indexOf('.')));
    await assertRefused(token.slice(0, token.indexOf('.') + 1));
  });

  test('rejects page tokens that are not tokens at all', async () => {
    for (const garbage of ['', '.', 'abc', 'a.b', 'x'.repeat(4000)]) await assertRefused(garbage);
  });

  test('rejects a page token minted for another org', async () => {
    await assertRefused(await realToken(beta));
  });

  test('rejects a page token minted for another day', async () => {
    await assertRefused(await realToken(), dayBody(Date.now() - MS_PER_DAY));
    const yesterdays = encodePageToken(server.runtime.deps.pageTokenKey, {
      orgId: acme.org.id,
      epochDay: epochDayOf(Date.now()) - 1,
      afterSeq: 1,
      pageSize: 1,
      eventTypes: null,
    });
    await assertRefused(yesterdays);
  });

  test("rejects eventTypes that differ from the page token's", async () => {
    const filtered = await realToken(acme, { eventTypes: ['token.created', 'service_account.created'] });
    await assertRefused(filtered, { ...today, eventTypes: ['service_account.created'] });
    await assertRefused(filtered, { ...today, eventTypes: ['token.created', 'service_account.created', 'login.succeeded'] });
    const unfiltered = await realToken();
    await assertRefused(unfiltered, { ...today, eventTypes: ['token.created'] });
  });
});

describe('routes', () => {
  const unknown: [string, 'GET' | 'POST' | 'DELETE', string][] = [
    ['an unknown path', 'GET', '/api/nope'],
    ['an unknown audit-log path', 'POST', '/api/audit-log/nope'],
    ['a path below the trail', 'POST', '/api/audit-log/security-trail/nope'],
    ['the trail without its /api prefix', 'POST', '/audit-log/security-trail/'],
  ];
  for (const [what, method, url] of unknown) {
    test(`answers 404 NOT_FOUND for ${what}`, async () => {
      assertError(await server.inject(authed(acme, method, url, method === 'POST' ? today : undefined)), 404, 'NOT_FOUND');
      assertError(await server.inject({ method, url }), 404, 'NOT_FOUND');
    });
  }
});

describe('any body', () => {
  /** Sends the body and checks the answer is 200 or a documented 400 of the trail, never a 5xx. */
  async function assertHandled(payload: string): Promise<void> {
    const response = await postRaw(payload);
    assert.ok([200, 400].includes(response.statusCode), `status ${response.statusCode} for ${payload}: ${response.body}`);
    if (response.statusCode === 200) {
      assert.ok(Array.isArray(response.json<DayPage>().result));
    } else {
      const code = documentedErrorCode(response);
      assert.ok(TRAIL_400_CODES.includes(code), `code ${code} for ${payload}`);
    }
  }

  test('answers an arbitrary JSON value with 200 or a documented 400, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        await assertHandled(JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
  });

  test('answers year, month and day of arbitrary JSON types with 200 or a documented 400, never a 5xx', async () => {
    const part = (todays: number) =>
      fc.oneof(
        fc.constant(todays),
        fc.integer({ min: -40, max: 40 }),
        fc.integer({ min: 1960, max: 2200 }),
        fc.constantFrom(0, -0, 1e15, -1e15, 1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 5.5),
        fc.double(),
        fc.jsonValue(),
      );
    const extras = fc.record(
      {
        pageSize: fc.oneof(fc.integer({ min: -5, max: 10_005 }), fc.jsonValue()),
        pageToken: fc.oneof(fc.string(), fc.jsonValue()),
        eventTypes: fc.oneof(fc.subarray([...EVENT_TYPES]), fc.array(fc.string()), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    const body = fc
      .tuple(
        fc.record({ year: part(today.year), month: part(today.month), day: part(today.day) }, { requiredKeys: [] }),
        extras,
        fc.option(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 2 }), { freq: 4 }),
      )
      .map(([date, more, unknown]) => ({ ...(unknown ?? {}), ...date, ...more }));
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        await assertHandled(JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
  });

  test('answers arbitrary text sent as JSON with 200 or a documented 400, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (text) => {
        await assertHandled(text);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the catalogue and service endpoints', () => {
  test('lists every event type of the catalogue with its category, description and schema', async () => {
    const response = await server.inject(authed(acme, 'GET', EVENT_TYPES_URL));
    assert.equal(response.statusCode, 200, response.body);
    const { result } = response.json<{
      result: { type: EventType; category: string; description: string; schema: Record<string, unknown> }[];
    }>();
    assert.deepEqual(result.map((entry) => entry.type).sort(), [...EVENT_TYPES].sort());
    for (const entry of result) {
      const catalogued = EVENT_CATALOGUE[entry.type];
      assert.equal(entry.category, catalogued.category, entry.type);
      assert.equal(entry.description, catalogued.description, entry.type);
      assert.ok(entry.description.length > 0);
      assert.equal(entry.schema['type'], 'object', entry.type);
      assert.deepEqual(entry.schema, JSON.parse(JSON.stringify(catalogued.details)), entry.type);
    }
  });

  test('answers GET /healthz with 200 and no credentials', async () => {
    const response = await server.inject({ method: 'GET', url: '/healthz' });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json<{ status: string }>().status, 'ok');
  });

  test('serves an OpenAPI 3 document that describes the trail endpoints', async () => {
    const response = await server.inject({ method: 'GET', url: '/docs/json' });
    assert.equal(response.statusCode, 200, response.body);
    const document = response.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    assert.match(document.openapi, /^3\./);
    assert.ok(document.paths[TRAIL_URL]?.['post'] !== undefined, 'POST /api/audit-log/security-trail/ is described');
    assert.ok(document.paths['/api/audit-log/security-trail/tail']?.['post'] !== undefined);
    assert.ok(document.paths[EVENT_TYPES_URL]?.['get'] !== undefined);
  });
});

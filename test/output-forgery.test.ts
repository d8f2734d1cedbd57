// What people type cannot forge a line or a field of what the forwarder writes. Names, emails and
// user agents full of control characters, CR/LF, `|`, `=`, `\`, quotes and U+2028 come out of the
// native, OCSF, CEF and syslog outputs as one line (or one frame) per event, with exactly the
// format's fields, no control character, U+2028 or U+2029 raw, and read back to the value typed
// (or to it escaped by the format's own rules). Shown for any string in any field at the
// formatters, end to end for what the API takes (the characters it refuses in names are refused
// with 400, the rest are served in events and formatted as `sectrail pull` does), through the
// HTTP sinks' request bodies, and for an event whose user agent holds NEL and U+2028, pulled to
// a file and a real rsyslog and verified.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { canonicalJson } from '../src/core/canonical-json.ts';
import { EVENT_CATALOGUE, EVENT_TYPES, type EventType } from '../src/core/events/catalogue.ts';
import { toCef } from '../src/forwarder/formats/cef.ts';
import { formatterFor, type Format } from '../src/forwarder/formats/formatter.ts';
import { octetCounted, syslogFrame } from '../src/forwarder/formats/syslog-frame.ts';
import { lineFormatterFor } from '../src/forwarder/line-formatter.ts';
import { eventTexts, pageInfo } from '../src/forwarder/page-split.ts';
import { ElasticSink } from '../src/forwarder/sinks/elastic-sink.ts';
import type { Sink } from '../src/forwarder/sinks/sink.ts';
import { SplunkHecSink } from '../src/forwarder/sinks/splunk-hec-sink.ts';
import { WebhookSink } from '../src/forwarder/sinks/webhook-sink.ts';
import { createGroup } from '../src/platform/groups.ts';
import { ManualClock } from '../src/storage/contract/manual-clock.ts';
import { warm } from './support/admin-helpers.ts';
import { documentedErrorCode, storedEvents, TRAIL_URL, type DayPage, type Envelope } from './support/http-helpers.ts';
import { cefExtensionText, cefHeaderText, LINE_BREAK, octetCountedFrames, readCef, readSyslogFrame, UNSAFE, unsafeAsText } from './support/output-readers.ts';
import { runCli } from './support/processes.ts';
import { rsyslogMissing, startRsyslog, type ReceivedFrame, type Rsyslog } from './support/rsyslog.ts';
import { dayBody, startTestServer, trailRequest, type TestOrg, type TestServer } from './support/test-server.ts';

const VERSION = '0.1.0';
type Event = Record<string, unknown>;

// ---- hostile text ----

const separators = ['|', '=', '\\', '"', "'", ']', '[', '{', '}', ',', ':', ' ', '\t', '\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\u0000', '\u001b', '\u007f', '\u009b', '\u000b', '\u000c', '\u001e'];
/** Text shaped to break out of a field: a new CEF key, header field or line, a JSON member, a syslog frame or SD-PARAM. */
const forgeries = [' suser=root', ' cs3={"a":1}', '|10|', '\nCEF:0|evil|', '"}\n{"id":"x', '"},"user":{"name":"root"', '\n<13>1 - evil - - - - x', '"] [evil@1 a="b"]', '\\=', '\\n', '\\u000a', '\\|'];
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).filter((point) => point < 0xd800 || point > 0xdfff).map((point) => String.fromCodePoint(point));
const hostileText = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...separators) },
      { weight: 2, arbitrary: fc.constantFrom(...forgeries) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 0x9f }).map((code) => String.fromCharCode(code)) },
      { weight: 2, arbitrary: anyCodePoint },
      { weight: 2, arbitrary: fc.constantFrom('a', 'Z', '7', 'é', '😀') },
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));

const ref = fc.record({ kind: fc.constantFrom('user', 'service_account'), id: fc.uuid(), name: hostileText, email: fc.option(hostileText, { nil: null }) });

const eventArbitrary: fc.Arbitrary<Event> = fc.constantFrom(...EVENT_TYPES).chain((type: EventType) =>
  fc.record({
    id: fc.uuid(),
    seq: fc.integer({ min: 1, max: 2 ** 40 }),
    timestamp: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((date) => date.toISOString()),
    type: fc.constant(type),
    category: fc.constant(EVENT_CATALOGUE[type].category),
    outcome: fc.constantFrom('success', 'failure'),
    user: fc.option(ref, { nil: null }),
    ipAddress: fc.option(fc.oneof(fc.ipV4(), fc.ipV6()), { nil: null }),
    userAgent: fc.option(hostileText, { nil: null }),
    endpoint: fc.option(fc.oneof(fc.constantFrom('POST /api/groups', 'cli: sectrail org create'), hostileText), { nil: null }),
    requestId: fc.option(hostileText, { nil: null }),
    details: fc.record(
      {
        target: ref,
        group: fc.record({ id: fc.uuid(), name: hostileText }),
        resource: fc.record({ type: hostileText, id: fc.uuid(), name: hostileText }),
        token: fc.record({ id: fc.uuid(), name: hostileText }),
        serviceAccount: fc.record({ id: fc.uuid(), name: hostileText }),
        email: hostileText,
        attemptedEmail: hostileText,
        reason: hostileText,
        added: fc.array(ref, { maxLength: 2 }),
        [forgeries[0] as string]: hostileText,
      },
      { requiredKeys: [] },
    ),
  }),
).map((event) => JSON.parse(canonicalJson(event)) as Event);

/** Any text an event can hold: every code point (RFC 8785 refuses lone surrogates, so the trail never stores one), the controls, separators and forgeries often. */
const anyText = fc
  .array(
    fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...separators, ...forgeries) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 0x9f }).map((code) => String.fromCharCode(code)) },
      { weight: 1, arbitrary: fc.constantFrom('\u2028', '\u2029', '\u0085', '\u007f') },
      { weight: 3, arbitrary: anyCodePoint },
    ),
    { maxLength: 16 },
  )
  .map((parts) => parts.join(''));

const anyRef = fc.record({ kind: fc.oneof(fc.constantFrom('user', 'service_account', 'operator', 'group'), anyText), id: anyText, name: anyText, email: fc.option(anyText, { nil: null }) }, { requiredKeys: ['id'] });
const anyDetail = fc.oneof(anyText, fc.integer(), fc.boolean(), fc.constant(null), anyRef, fc.array(fc.oneof(anyText, anyRef), { maxLength: 3 }), fc.dictionary(anyText, anyText, { maxKeys: 3 }));
const DETAIL_KEYS = ['target', 'group', 'resource', 'subject', 'serviceAccount', 'token', 'owner', 'added', 'removed', 'before', 'after', 'email', 'attemptedEmail', 'reason', 'method', 'provider'];

/**
 * An envelope whose every field may hold anything (as an event stored before names were checked,
 * or written by a server other than this one, might): the usual values or any text.
 */
const anyEvent: fc.Arbitrary<Event> = fc
  .record({
    id: fc.oneof(fc.uuid(), anyText),
    seq: fc.oneof(fc.integer({ min: 1, max: 2 ** 40 }), anyText),
    timestamp: fc.oneof(fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((date) => date.toISOString()), anyText),
    type: fc.oneof(fc.constantFrom(...EVENT_TYPES), anyText),
    category: anyText,
    outcome: fc.oneof(fc.constantFrom('success', 'failure'), anyText),
    user: fc.option(anyRef, { nil: null }),
    ipAddress: fc.option(fc.oneof(fc.ipV4(), anyText), { nil: null }),
    userAgent: fc.option(anyText, { nil: null }),
    endpoint: fc.option(fc.oneof(fc.constant('cli: sectrail org create'), anyText), { nil: null }),
    requestId: fc.option(anyText, { nil: null }),
    details: fc.dictionary(fc.oneof(fc.constantFrom(...DETAIL_KEYS), anyText), anyDetail, { maxKeys: 6 }),
  })
  .map((event) => JSON.parse(canonicalJson(event)) as Event);

// ---- what every output must hold, whatever the event ----

/** The event with every string replaced by `x`: the fields a line has must not depend on what the strings hold. */
function plainCopy(value: unknown): unknown {
  if (typeof value === 'string') return 'x';
  if (Array.isArray(value)) return value.map(plainCopy);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, plainCopy(member)]));
  return value;
}

const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
/** OCSF leaves an empty string out, as it does a missing one. */
const filled = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** No control character, U+2028 or U+2029 raw: nothing any reader could take for the end of a line or a field. */
function assertClean(text: string, what: string): void {
  assert.ok(!UNSAFE.test(text), `${what} holds no control character, U+2028 or U+2029 raw: ${JSON.stringify(text)}`);
}

/** One JSON line: nothing raw that ends a line (JSON escapes C0, and the writers DEL, C1, U+2028, U+2029), one object. */
function assertJsonLine(line: string): Record<string, unknown> {
  assertClean(line, 'a JSON line');
  const parsed = JSON.parse(line) as unknown;
  assert.ok(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed), 'one JSON object');
  return parsed as Record<string, unknown>;
}

/** The native line is the event as served, escaped where it must be: it parses to the event, and canonicalises to the served text (the leaf's). */
function assertNative(event: Event, native: string, line: string): void {
  const parsed = assertJsonLine(line);
  assert.deepEqual(parsed, event, 'the native line parses back to the event');
  assert.equal(canonicalJson(parsed), native, 'and canonicalises to the text as served, so it verifies');
  if (!UNSAFE.test(native)) assert.equal(line, native, 'a served text with nothing to escape is the line, as it is');
}

function assertOcsf(event: Event, native: string, line: string): void {
  const ocsf = assertJsonLine(line);
  assert.equal(ocsf['raw_data'], native, 'raw_data is the event as served, to the character');
  const user = record(event['user']);
  if (event['user'] !== null) {
    const actor = record(record(ocsf['actor'])['user']);
    assert.equal(actor['name'], filled(user['name']) ?? filled(user['email']) ?? 'unknown', "the actor's name, intact");
    assert.equal(actor['email_addr'], filled(user['email']), "the actor's email, intact");
  }
  assert.equal(record(ocsf['http_request'])['user_agent'], filled(event['userAgent']), 'the user agent, intact');
}

function assertCef(event: Event, line: string, version: string): void {
  assert.ok(!LINE_BREAK.test(line), `one line, with no character any reader ends a line at: ${JSON.stringify(line)}`);
  assertClean(line, 'a CEF line');
  const cef = readCef(line);
  // Type, outcome and time are the server's own; every other string is made plain.
  const plain = readCef(toCef({ ...(plainCopy(event) as Event), type: event['type'], outcome: event['outcome'], timestamp: event['timestamp'] }, 'x'));
  const type = String(event['type']);
  assert.deepEqual(cef.header, ['CEF:0', 'sectrail', 'sectrail', cefHeaderText(version), cefHeaderText(type), plain.header[5], plain.header[6]], 'exactly the seven header fields');
  assert.deepEqual(cef.extension.map(([key]) => key), plain.extension.map(([key]) => key), 'exactly the extension keys of the event, in order');
  const value = new Map(cef.extension);
  const user = record(event['user']);
  const target = record(record(event['details'])['target']);
  if (text(user['name']) !== undefined) assert.equal(value.get('suser'), cefExtensionText(text(user['name']) ?? ''), 'suser reads back');
  if (text(event['userAgent']) !== undefined) assert.equal(value.get('requestClientApplication'), cefExtensionText(text(event['userAgent']) ?? ''));
  if (text(target['name']) !== undefined) assert.equal(value.get('duser'), cefExtensionText(text(target['name']) ?? ''), 'duser reads back');
  // The details travel as JSON: the `\uXXXX` CEF writes for a control is JSON's own escape of it.
  assert.deepEqual(JSON.parse(value.get('cs3') ?? ''), event['details'], 'cs3 reads back to the details');
}

/** Each line in its own frame; the stream splits into exactly these frames, and each reads back whole. */
function assertSyslog(event: Event, lines: readonly string[], hostname: string): void {
  const frames = lines.map((line) => syslogFrame(event, line, { hostname }));
  const stream = Buffer.concat(frames.map((frame) => octetCounted(frame)));
  const read = octetCountedFrames(stream);
  assert.equal(read.length, lines.length, 'one frame per line');
  const printable = (value: unknown, max: number) => (typeof value === 'string' ? value : '').replace(/[^\x21-\x7e]/g, '').slice(0, max) || '-';
  // What UTF-8 carries of a value (a lone surrogate becomes U+FFFD), each control as the `\uXXXX` text written for it.
  const wire = (value: unknown) => unsafeAsText(Buffer.from(typeof value === 'string' || typeof value === 'number' ? String(value) : '', 'utf8').toString('utf8'));
  const served = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(String(event['timestamp']));
  read.forEach((frame, index) => {
    assertClean(frame, 'a frame (so even a receiver that splits at newlines sees one per event)');
    const parsed = readSyslogFrame(frame);
    assert.equal(parsed.pri, event['outcome'] === 'failure' ? 108 : 110);
    assert.equal(parsed.timestamp, served ? event['timestamp'] : '-', 'the timestamp as served, or the NILVALUE');
    assert.equal(parsed.hostname, printable(hostname, 255), 'the host name keeps only printable ASCII');
    assert.equal(parsed.msgId, printable(event['type'], 32));
    assert.deepEqual(parsed.params, [['id', wire(event['id'])], ['seq', wire(event['seq'])], ['category', wire(event['category'])], ['outcome', wire(event['outcome'])]]);
    assert.equal(parsed.message, wire(lines[index]), 'the MSG is the line, whole');
  });
}

/** Every output of one event, from its text as served. */
function assertCannotForge(event: Event, native: string, lines: Readonly<Record<Format, string>>, version: string, hostname: string): void {
  assertNative(event, native, lines.native);
  assertOcsf(event, native, lines.ocsf);
  assertCef(event, lines.cef, version);
  assertSyslog(event, [lines.native, lines.ocsf, lines.cef], hostname);
}

describe('the formatters, with any text in names, emails, agents and details', () => {
  test('write one line per event in every format, with exactly its fields, each value reading back', () => {
    fc.assert(
      fc.property(eventArbitrary, fc.oneof(fc.constant(VERSION), hostileText), hostileText, (event, version, hostname) => {
        const native = canonicalJson(event);
        const lines = {
          native: formatterFor('native', version)(event, native),
          ocsf: formatterFor('ocsf', version)(event, native),
          cef: formatterFor('cef', version)(event, native),
        };
        assertCannotForge(event, native, lines, version, hostname);
      }),
      { numRuns: 400 },
    );
  });

  test('write every format and frame cleanly whatever every field of the event holds, the native line parsing back to the event', () => {
    fc.assert(
      fc.property(anyEvent, fc.oneof(fc.constant(VERSION), anyText), anyText, (event, version, hostname) => {
        const native = canonicalJson(event);
        const lines = {
          native: formatterFor('native', version)(event, native),
          ocsf: formatterFor('ocsf', version)(event, native),
          cef: formatterFor('cef', version)(event, native),
        };
        assertNative(event, native, lines.native);
        assert.equal(assertJsonLine(lines.ocsf)['raw_data'], native, 'raw_data is the event as served, to the character');
        // From the escaped native line as its text (a day forwarded again from a file), as clean.
        assert.equal(assertJsonLine(formatterFor('ocsf', version)(JSON.parse(lines.native) as Event, lines.native))['raw_data'], lines.native);
        assertCef(event, lines.cef, version);
        assertSyslog(event, [lines.native, lines.ocsf, lines.cef], hostname);
      }),
      { numRuns: 600 },
    );
  });

  test('format pages of such events on the formatting threads exactly as one by one', async () => {
    const formats = ['native', 'ocsf', 'cef'] as const;
    const pageFormatters = formats.map((format) => lineFormatterFor(format, VERSION, 1));
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(anyEvent, { minLength: 1, maxLength: 6 }), async (events) => {
          const natives = events.map((event) => canonicalJson(event));
          const text = `{"result":[${natives.join(',')}],"nextPageToken":null,"complete":true}`;
          for (const [at, format] of formats.entries()) {
            const lines = await pageFormatters[at]!.page({ text, info: pageInfo(text) });
            const expected = events.map((event, index) => formatterFor(format, VERSION)(event, natives[index]!));
            // Lines made as bytes decode as UTF-8 does (a lone surrogate becomes U+FFFD).
            assert.deepEqual(lines.map((line) => line.text), expected.map((line) => (format === 'native' ? line : Buffer.from(line, 'utf8').toString('utf8'))), format);
            for (const line of lines) assertClean(line.text, `a ${format} line from a page`);
          }
        }),
        { numRuns: 40 },
      );
    } finally {
      await Promise.all(pageFormatters.map((formatter) => formatter.close()));
    }
  });

  test('frame any text, controls and lone surrogates included, so that the stream splits back into exactly its frames, none raw', () => {
    const anyText = fc.string({
      unit: fc.oneof(fc.constantFrom('"', '\\', ']', '[', '=', ' ', '\n', '<', '>'), fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code))),
      maxLength: 60,
    });
    fc.assert(
      fc.property(fc.array(fc.record({ id: anyText, seq: fc.oneof(fc.nat(), anyText), category: anyText, outcome: anyText, type: anyText, message: anyText }), { minLength: 1, maxLength: 4 }), anyText, (events, hostname) => {
        const frames = events.map((event) => syslogFrame(event, event.message, { hostname }));
        const read = octetCountedFrames(Buffer.concat(frames.map((frame) => octetCounted(frame))));
        // What UTF-8 can carry of each frame: a lone surrogate becomes U+FFFD on the wire.
        assert.deepEqual(read, frames.map((frame) => Buffer.from(frame, 'utf8').toString('utf8')));
        read.forEach((frame, index) => {
          const event = events[index]!;
          assertClean(frame, 'a frame');
          const parsed = readSyslogFrame(frame);
          // A control character reads back as the `\uXXXX` text written for it.
          const wire = (value: string | number) => unsafeAsText(Buffer.from(String(value), 'utf8').toString('utf8'));
          assert.deepEqual(parsed.params, [['id', wire(event.id)], ['seq', wire(event.seq)], ['category', wire(event.category)], ['outcome', wire(event.outcome)]]);
          assert.equal(parsed.message, wire(event.message));
        });
      }),
      { numRuns: 300 },
    );
  });

  test('escape CEF and strip syslog header fields exactly as their rules say', () => {
    const event: Event = {
      id: 'i', seq: 1, timestamp: '2025-05-17T00:00:00.000Z', type: 'login.failed', category: 'user_access', outcome: 'failure',
      user: { kind: 'user', id: 'u', name: 'a|b=c\\d\ne\u2028f\u0085g', email: null }, ipAddress: null, userAgent: 'x\ry\u0007\tz\u007f', endpoint: null, requestId: null, details: {},
    };
    const line = toCef(event, '1|2\n3\t4');
    assert.ok(line.startsWith('CEF:0|sectrail|sectrail|1\\|2 3\\u00094|login.failed|login failed|5|'), line);
    assert.ok(line.includes(' suser=a|b\\=c\\\\d\\ne\\u2028f\\u0085g '), line);
    assert.ok(line.includes(' requestClientApplication=x\\ry\\u0007\\u0009z\\u007f '), line);
    const frame = syslogFrame(event, 'm', { hostname: 'h o\u00e9st\n' });
    assert.ok(frame.startsWith('<108>1 2025-05-17T00:00:00.000Z host sectrail - login.failed [sectrail@32473 id="i" seq="1" category="user_access" outcome="failure"] m'), frame);
    assert.equal(syslogFrame({ ...event, id: 'a"b\\c]d' }, 'm', { hostname: '' }).split('[')[1]?.split(' ')[1], 'id="a\\"b\\\\c\\]d"');
    assert.equal(syslogFrame({ ...event, id: 'a\u0085b\\\n' }, 'm', { hostname: '' }).split('[')[1]?.split(' ')[1], 'id="a\\u0085b\\\\\\u000a"');
    assert.ok(syslogFrame({ ...event, timestamp: '2025-05-17 00:00\u2028' }, 'm\u2028', { hostname: 'h' }).startsWith('<108>1 - h sectrail - login.failed '), 'a timestamp off the grammar is the NILVALUE');
    assert.ok(syslogFrame(event, 'a\u2028b\u0085', { hostname: 'h' }).endsWith('] a\\u2028b\\u0085'), 'the MSG, escaped');
  });
});

// ---- the HTTP sinks, which wrap each line in a request body of their own ----

/** Takes any POST and answers as HEC, Elasticsearch's _bulk (every item created) and a webhook do; keeps each body as it came. */
async function bodyCapture(): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server = createServer((incoming, answer) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      bodies.push(body);
      const documents = body.split('\n').filter((line) => line !== '').length / 2;
      answer.writeHead(200, { 'content-type': 'application/json' });
      answer.end(incoming.url === '/_bulk' ? JSON.stringify({ errors: false, items: Array.from({ length: documents }, () => ({ create: { status: 201 } })) }) : '{"text":"Success","code":0}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`, bodies, close: () => new Promise((resolve) => { server.close(() => { resolve(); }); }) };
}

describe('the HTTP sinks', () => {
  test('send Splunk HEC, Elasticsearch and webhook bodies with no control character, U+2028 or U+2029 raw, each event reading back', async () => {
    const hostile = 'Eve \u0085\u2028\u2029\u007f\u009b[2J\t"x"';
    const event = JSON.parse(canonicalJson({
      id: '01a2152d-d198-7118-8eab-71ae2c801846', seq: 7, timestamp: '2025-05-17T08:12:33.123Z', type: 'user.role.updated', category: 'role_privilege', outcome: 'success',
      user: { kind: 'user', id: 'u-1', name: hostile, email: 'eve@acme.test' }, ipAddress: '203.0.113.7', userAgent: hostile, endpoint: 'PATCH /api/users/:id/role', requestId: 'r-1',
      details: { target: { id: 'u-2', name: hostile, email: 'bo@acme.test' }, before: 'reader', after: 'admin' },
    })) as Event;
    const native = canonicalJson(event);
    const text = `{"result":[${native}],"nextPageToken":null,"complete":true}`;
    const capture = await bodyCapture();
    const retry = { attempts: 1, baseDelayMs: 1 };
    try {
      for (const format of ['native', 'ocsf', 'cef'] as const) {
        const formatter = lineFormatterFor(format, VERSION, 1);
        const lines = await formatter.page({ text, info: pageInfo(text) });
        await formatter.close();
        const line = lines[0]!;
        const sinks: [string, Sink][] = [
          ['splunk-hec', new SplunkHecSink(capture.url, 'token', format, retry)],
          ['elastic', new ElasticSink(capture.url, 'sectrail', format, null, retry)],
          ['webhook', new WebhookSink(`${capture.url}/hook`, 'secret', format, retry)],
        ];
        for (const [name, sink] of sinks) {
          capture.bodies.length = 0;
          await sink.deliver(lines);
          const body = capture.bodies[0] ?? '';
          // NDJSON bodies (HEC, _bulk) are lines apart; each line, like a webhook's whole body, is clean.
          for (const part of body.split('\n')) assertClean(part, `${name} (${format}) body`);
          const objects = body.split('\n').filter((part) => part !== '').map((part) => JSON.parse(part) as Record<string, unknown>);
          const delivered = name === 'splunk-hec' ? objects[0]?.['event'] : name === 'elastic' ? objects[1] : (objects[0]?.['events'] as unknown[])[0];
          const expected: unknown = format === 'native' ? event : format === 'ocsf' ? (JSON.parse(line.text) as unknown) : name === 'elastic' ? { message: line.text, '@timestamp': event['timestamp'] } : line.text;
          assert.deepEqual(delivered, expected, `${name} (${format}) delivers the event as formatted`);
        }
      }
    } finally {
      await capture.close();
    }
  });
});

// ---- end to end: through the API, served, and formatted as `sectrail pull` formats a page ----

let server: TestServer;
let acme: TestOrg;

before(async () => {
  server = await startTestServer({ SECTRAIL_RATE_LIMIT_PER_MINUTE: '1000000' });
  acme = await server.createOrg('acme');
  // Its first use writes login.succeeded: done here, so that no test below sees it.
  await warm(server, acme, acme.adminToken);
});

after(async () => {
  await server.close();
});

function post(method: 'POST' | 'PATCH', url: string, body: unknown, userAgent: string, token: string | null = acme.adminToken): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { host: acme.host, 'content-type': 'application/json', 'user-agent': userAgent };
  if (token !== null) headers['authorization'] = `Token token=${token}`;
  return server.inject({ method, url, headers, payload: JSON.stringify(body) });
}

/** What the API refuses in names and emails: C0 and C1 controls, DEL, U+2028 and U+2029. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const REFUSED_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Printable text the API keeps as typed: every separator but the controls and line breaks it refuses. */
const keptText = (maxLength: number) =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom('|', '=', '\\', '"', "'", ']', '[', '{', '}', '<13>', ' suser=root', '"}{"id":"x', 'CEF:0|', '\\n', '\\u2028', ' ') },
        { weight: 2, arbitrary: anyCodePoint.filter((char) => !REFUSED_IN_NAMES.test(char)) },
        { weight: 2, arbitrary: fc.constantFrom('a', 'Z', 'é', '😀') },
      ),
      { minLength: 1, maxLength: 12 },
    )
    .map((parts) => clip(`n${parts.join('')}`, maxLength - 1) + 'z');

/** At most `max` UTF-16 units of the text, never half a surrogate pair. */
function clip(value: string, max: number): string {
  let kept = '';
  for (const char of value) {
    if (kept.length + char.length > max) break;
    kept += char;
  }
  return kept;
}
/** An email local part the API keeps: no `@`, no whitespace, no control; lowercased on the way in. */
const keptLocalPart = keptText(40).map((value) => value.replace(/[@\s]/g, '').toLowerCase());
/** A User-Agent as HTTP carries it: latin1, so C1 controls such as NEL (0x85) get through, but no CR or LF. */
const userAgentText = fc
  .array(fc.oneof(fc.constantFrom('|', '=', '\\', '"', ']', ' suser=root', '\t', 'Mozilla/5.0'), fc.integer({ min: 0x80, max: 0xff }).map((code) => String.fromCharCode(code))), { minLength: 1, maxLength: 12 })
  .map((parts) => parts.join(''));

/** The strings anywhere in a value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

let unique = 0;

describe('end to end, for what the API takes', () => {
  test('serves what people typed in events that every format writes as one line with its fields intact', async () => {
    const lineFormatters = { native: lineFormatterFor('native', VERSION, 1), ocsf: lineFormatterFor('ocsf', VERSION, 1), cef: lineFormatterFor('cef', VERSION, 1) };
    try {
      await fc.assert(
        fc.asyncProperty(keptText(90), keptLocalPart, keptText(90), keptText(60), userAgentText, async (name, local, groupName, otherName, userAgent) => {
          unique += 1;
          const email = `${local}${unique}@acme.test`;
          const invited = await post('POST', '/api/invitations', { email, role: 'reader' }, userAgent);
          assert.equal(invited.statusCode, 201, invited.body);
          const secret = invited.json<{ acceptUrl: string }>().acceptUrl.split('/').at(-1) ?? '';
          const accepted = await post('POST', `/api/invitations/${secret}/accept`, { name, password: 'correct horse battery' }, userAgent, null);
          assert.equal(accepted.statusCode, 201, accepted.body);
          const userId = accepted.json<{ userId: string }>().userId;
          const responses = [
            invited,
            accepted,
            await post('POST', '/api/groups', { name: `${groupName}${unique}` }, userAgent),
            await post('POST', '/api/resources', { type: 'project', name: otherName }, userAgent),
            await post('POST', '/api/tokens', { name: otherName, scopes: ['security-log:read'] }, userAgent),
            await post('POST', '/api/service-accounts', { name: `${otherName}${unique}` }, userAgent),
            await post('PATCH', `/api/users/${userId}/role`, { role: 'writer' }, userAgent),
          ];
          for (const response of responses.slice(2)) assert.ok([200, 201].includes(response.statusCode), response.body);

          const page = await post('POST', TRAIL_URL, dayBody(), 'siem', acme.token);
          assert.equal(page.statusCode, 200, page.body);
          const served = { text: page.body, info: pageInfo(page.body) };
          const servedTexts = eventTexts(page.body, served.info);
          const formatted = { native: await lineFormatters.native.page(served), ocsf: await lineFormatters.ocsf.page(served), cef: await lineFormatters.cef.page(served) };
          const requestIds = new Set(responses.map((response) => String(response.headers['x-request-id'])));
          const ours = formatted.native.filter((line) => requestIds.has(String(line.event['requestId'])));
          assert.deepEqual(ours.map((line) => line.event['type']).sort(), ['group.created', 'invitation.accepted', 'invitation.created', 'resource.created', 'service_account.created', 'token.created', 'user.role.updated']);

          for (const line of ours) {
            const event = line.event;
            const at = formatted.native.indexOf(line);
            const lines = { native: line.text, ocsf: formatted.ocsf[at]?.text ?? '', cef: formatted.cef[at]?.text ?? '' };
            assertCannotForge(event, servedTexts[at] ?? '', lines, VERSION, 'siem.example');
            assert.equal(event['userAgent'], userAgent, 'the user agent as sent');
            const typed = { 'invitation.created': [email], 'invitation.accepted': [name, email], 'group.created': [`${groupName}${unique}`], 'resource.created': [otherName], 'token.created': [otherName], 'service_account.created': [`${otherName}${unique}`], 'user.role.updated': [name, email] }[String(event['type'])] ?? [];
            for (const value of typed) assert.ok(strings(event).includes(value), `${String(event['type'])} holds ${JSON.stringify(value)} as typed`);
          }
          const acceptedEvent = ours.find((line) => line.event['type'] === 'invitation.accepted')?.event ?? {};
          assert.deepEqual(acceptedEvent['user'], { kind: 'user', id: userId, name, email }, 'the new member is the actor, named as they typed');
          const roleLine = ours.find((line) => line.event['type'] === 'user.role.updated');
          const roleCef = new Map(readCef(formatted.cef[formatted.native.indexOf(roleLine!)]?.text ?? '').extension);
          assert.equal(roleCef.get('duser'), name, 'the member named in CEF as typed');
        }),
        { numRuns: 12 },
      );
    } finally {
      await Promise.all(Object.values(lineFormatters).map((formatter) => formatter.close()));
    }
  });

  test('refuses names and emails holding control characters, CR/LF, NEL or U+2028 with 400, writing nothing', async () => {
    const refused = fc.constantFrom('\n', '\r', '\r\n', '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029', '\t', '\u000b');
    const cases: readonly [string, (bad: string) => { method: 'POST'; url: string; body: unknown; token: string | null }][] = [
      ['a group name', (bad) => ({ method: 'POST', url: '/api/groups', body: { name: `ops${bad}admin` }, token: acme.adminToken })],
      ['a resource name', (bad) => ({ method: 'POST', url: '/api/resources', body: { type: 'project', name: `web${bad}x` }, token: acme.adminToken })],
      ['a token name', (bad) => ({ method: 'POST', url: '/api/tokens', body: { name: `t${bad}x`, scopes: ['security-log:read'] }, token: acme.adminToken })],
      ['a service account name', (bad) => ({ method: 'POST', url: '/api/service-accounts', body: { name: `sa${bad}x${String(unique++)}` }, token: acme.adminToken })],
      ['an invited email', (bad) => ({ method: 'POST', url: '/api/invitations', body: { email: `a${bad}b${String(unique++)}@acme.test`, role: 'reader' }, token: acme.adminToken })],
    ];
    const secret = async (): Promise<string> => {
      const invited = await post('POST', '/api/invitations', { email: `refused${String(unique++)}@acme.test`, role: 'reader' }, 'x');
      return invited.json<{ acceptUrl: string }>().acceptUrl.split('/').at(-1) ?? '';
    };
    const invitation = await secret();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: cases.length }), refused, async (which, bad) => {
        const before = (await storedEvents(server, acme.org.id)).length;
        const request =
          which === cases.length
            ? { method: 'POST' as const, url: `/api/invitations/${invitation}/accept`, body: { name: `Eve${bad}Admin`, password: 'correct horse battery' }, token: null }
            : cases[which]![1](bad);
        const response = await post(request.method, request.url, request.body, 'x', request.token);
        assert.equal(response.statusCode, 400, `${which === cases.length ? 'an accepted name' : cases[which]![0]} with ${JSON.stringify(bad)}: ${response.body}`);
        assert.equal(documentedErrorCode(response), 'INVALID_REQUEST');
        assert.equal((await storedEvents(server, acme.org.id)).length, before, 'nothing written');
      }),
      { numRuns: 60 },
    );
  });
});

// ---- end to end: a user agent with NEL and U+2028, pulled to a file and to rsyslog, and verified ----

/** A user agent sent over HTTP: Node's client writes it as UTF-8, and the server reads header bytes as Latin-1. */
const HTTP_AGENT = 'curl/8.5 \u0085{"id":"forged"} \u009b[2J';
/** So NEL (bytes C2 85) arrives as `Â` and NEL: a C1 control still, as in any UTF-8 agent whose bytes include 0x80 to 0x9f. */
const HTTP_AGENT_RECEIVED = Buffer.from(HTTP_AGENT, 'utf8').toString('latin1');
/** A user agent HTTP cannot carry (U+2028 is no Latin-1 character), as another writer of the log might have stored it. */
const STORED_AGENT = 'Mozilla/5.0 \u0085<13>1 - evil - - - - x\u2028{"id":"forged"}\u2029\u007f';

/** A POST over a real socket, the user agent sent as Latin-1 bytes, as a client would. */
function postOverHttp(base: string, path: string, headers: Record<string, string>, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${base}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' } }, (answer) => {
      answer.resume();
      answer.on('end', () => { resolve(answer.statusCode ?? 0); });
    });
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(body));
  });
}

describe('an event whose user agent holds NEL and U+2028, pulled to a file and to a real rsyslog', { skip: rsyslogMissing() ?? false }, () => {
  const clock = new ManualClock(Date.UTC(2025, 4, 17, 9));
  let trail: TestServer;
  let globex: TestOrg;
  let rsyslog: Rsyslog;
  let dir: string;
  let base: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sectrail-clean-output-'));
    rsyslog = await startRsyslog();
    trail = await startTestServer({}, { clock });
    globex = await trail.createOrg('globex');
    base = await trail.app.listen({ host: '127.0.0.1', port: 0 });
    const status = await postOverHttp(base, '/api/groups', { host: globex.host, authorization: `Token token=${globex.adminToken}`, 'user-agent': HTTP_AGENT }, { name: 'day shift' });
    assert.equal(status, 201);
    await createGroup(trail.runtime.deps, { actor: { kind: 'operator', name: 'test' }, ipAddress: '203.0.113.7', userAgent: STORED_AGENT, endpoint: 'POST /api/groups', requestId: null }, globex.org.id, 'night shift');
    clock.set(Date.UTC(2025, 4, 18, 0, 10));
    assert.ok((await trail.seal()).some((digest) => digest.orgId === globex.org.id && digest.date === '2025-05-17'));
  });

  after(async () => {
    await trail.close();
    await rsyslog.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function receivedAtLeast(input: 'tcp' | 'udp', count: number): Promise<ReceivedFrame[]> {
    for (let attempt = 0; attempt < 50 && rsyslog.received(input).length < count; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    return rsyslog.received(input);
  }

  test('writes the agent escaped, reads back exactly as stored, and verifies against the signed digest', async () => {
    const served = JSON.parse((await trail.inject(trailRequest(globex, { year: 2025, month: 5, day: 17 }))).body) as DayPage;
    const agents = served.result.map((event) => event.userAgent);
    assert.ok(agents.includes(HTTP_AGENT_RECEIVED) && agents.includes(STORED_AGENT), `the trail keeps both agents exactly as they came: ${JSON.stringify(agents)}`);
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${globex.token}\n`, { mode: 0o600 });
    const keysFile = join(dir, 'keys.json');
    writeFileSync(keysFile, (await trail.inject({ method: 'GET', url: '/api/audit-log/keys', headers: { host: globex.host, authorization: `Token token=${globex.token}` } })).body);

    const pulled = await runCli(
      [
        'pull', '--url', base, '--token-file', tokenFile, '--date', '2025-05-17', '--state', join(dir, 'state.json'), '--verify',
        '--sink', `file:${join(dir, '{date}.ndjson')}`,
        '--sink', `syslog+tcp://127.0.0.1:${String(rsyslog.tcpPort)}`,
        '--sink', `syslog+udp://127.0.0.1:${String(rsyslog.udpPort)}`,
      ],
      {},
    );
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.match(pulled.stdout, /verified against its digest/);

    const dayFile = join(dir, '2025-05-17.ndjson');
    const lines = readFileSync(dayFile, 'utf8').split('\n').filter((line) => line !== '');
    for (const line of lines) assertClean(line, 'a line of the day file');
    assert.deepEqual(lines.map((line) => JSON.parse(line) as Envelope), served.result, 'each line parses back to the event as served');
    const night = lines.find((line) => line.includes('night shift')) ?? '';
    assert.ok(night.includes('\\u0085') && night.includes('\\u2028') && night.includes('\\u2029') && night.includes('\\u007f'), `written as JSON escapes: ${night}`);

    const verify = (day: string) => runCli(['verify', '--day', day, '--digest', `${dayFile}.digest.json`, '--keys', keysFile], {});
    const fromFile = await verify(dayFile);
    assert.equal(fromFile.code, 0, fromFile.stdout + fromFile.stderr);
    assert.match(fromFile.stdout, new RegExp(`^verified: 2025-05-17, org ${globex.org.id}, ${String(served.result.length)} events`));
    // The trail's JSON answer, with the characters raw as the trail serves them, verifies alike.
    const answerFile = join(dir, 'answer.json');
    writeFileSync(answerFile, JSON.stringify(served));
    assert.equal((await verify(answerFile)).code, 0);
    // So does a file topped up across versions, the same events once escaped and once raw: each counts once.
    writeFileSync(join(dir, 'mixed.ndjson'), `${[...lines, ...served.result.map((event) => canonicalJson(event))].join('\n')}\n`);
    assert.equal((await verify(join(dir, 'mixed.ndjson'))).code, 0);
    // An edited agent does not.
    writeFileSync(join(dir, 'edited.ndjson'), `${lines.map((line) => line.replace('\\u2028', '\\u2029')).join('\n')}\n`);
    assert.equal((await verify(join(dir, 'edited.ndjson'))).code, 1);

    for (const input of ['tcp', 'udp'] as const) {
      const frames = await receivedAtLeast(input, served.result.length);
      assert.equal(frames.length, served.result.length, `${input}: one frame per event`);
      frames.forEach((frame, index) => {
        assertClean(frame.msg, `${input}: the message rsyslog received`);
        assert.deepEqual(JSON.parse(frame.msg), served.result[index], `${input}: the message is the event`);
      });
    }
  });
});

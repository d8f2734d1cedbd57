// A request whose headers or body have not fully arrived within the request timeout is answered
// 408 REQUEST_TIMEOUT in the JSON error shape and its connection closed, promptly; a long answer
// read slowly is never cut by that timeout. Real sockets against a listening server, with a short
// timeout injected through the server options (the product's 30 s is checked separately).
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { draftEvent } from '../src/core/events/envelope.ts';
import { REQUEST_TIMEOUT_MS } from '../src/http/request-timeout.ts';
import { TRAIL_URL } from './support/http-helpers.ts';
import { dayBody, startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

const TIMEOUT_MS = 400;
/** Generous for a loaded machine, and far below the 30 s a request could wait on Node's default check interval. */
const PROMPT_MS = TIMEOUT_MS + 2_000;
const BULK_EVENTS = 8_000;
const LONG_USER_AGENT = `slow-reader ${'x'.repeat(2_000)}`;

let server: TestServer;
let acme: TestOrg;
let port: number;

before(async () => {
  server = await startTestServer({ SECTRAIL_RATE_LIMIT_PER_MINUTE: '1000000' }, { requestTimeoutMs: TIMEOUT_MS });
  acme = await server.createOrg('acme');
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  port = (server.app.server.address() as AddressInfo).port;
});

after(async () => {
  await server.close();
});

interface RawAnswer {
  readonly text: string;
  /** From the first byte sent to the connection's close. */
  readonly closedAfterMs: number;
}

/** Opens a connection, sends `bytes` (perhaps an unfinished request), and reads until the server closes it. */
function sendAndWait(bytes: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let start = 0;
    socket.on('connect', () => {
      start = performance.now();
      if (bytes !== '') socket.write(bytes);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      resolve({ text: Buffer.concat(chunks).toString('utf8'), closedAfterMs: performance.now() - start });
    });
  });
}

function assertTimedOut(answer: RawAnswer): void {
  const [head = '', body = ''] = answer.text.split('\r\n\r\n');
  assert.match(head, /^HTTP\/1\.1 408 /, answer.text);
  assert.match(head, /\r\nConnection: close/i);
  assert.match(head, /\r\nContent-Type: application\/json/i);
  const error = (JSON.parse(body) as { error: { code: string; message: string } }).error;
  assert.equal(error.code, 'REQUEST_TIMEOUT');
  assert.ok(answer.closedAfterMs >= TIMEOUT_MS * 0.9, `closed after ${Math.round(answer.closedAfterMs)} ms, before the timeout`);
  assert.ok(answer.closedAfterMs < PROMPT_MS, `closed after ${Math.round(answer.closedAfterMs)} ms, not promptly after ${TIMEOUT_MS} ms`);
}

function headersOf(body: string, extra = ''): string {
  return (
    `POST ${TRAIL_URL} HTTP/1.1\r\nHost: ${acme.host}\r\nAuthorization: Token token=${acme.token}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n`
  );
}

test('answers 408 REQUEST_TIMEOUT and closes the connection when the body stops halfway', async () => {
  const body = JSON.stringify(dayBody());
  assertTimedOut(await sendAndWait(headersOf(body) + body.slice(0, Math.floor(body.length / 2))));
});

test('answers 408 REQUEST_TIMEOUT and closes the connection when the headers never finish', async () => {
  assertTimedOut(await sendAndWait(`POST ${TRAIL_URL} HTTP/1.1\r\nHost: ${acme.host}\r\nContent-Ty`));
});

test('answers 408 REQUEST_TIMEOUT and closes a connection that sends nothing at all', async () => {
  assertTimedOut(await sendAndWait(''));
});

test('answers a request that arrives in full before the timeout as usual', async () => {
  const body = JSON.stringify(dayBody());
  const answer = await sendAndWait(headersOf(body, 'Connection: close\r\n') + body);
  assert.match(answer.text, /^HTTP\/1\.1 200 /, answer.text.slice(0, 300));
});

test('streams a large day to a slow reader for longer than the timeout without cutting it', async () => {
  const bulk = await server.createOrg('bulk');
  await server.runtime.store.transact(async (tx) => {
    const context = { actor: null, ipAddress: '198.51.100.4', userAgent: LONG_USER_AGENT, endpoint: 'POST /api/auth/login', requestId: null };
    for (let i = 0; i < BULK_EVENTS; i += 1) {
      tx.record(bulk.org.id, draftEvent('login.failed', context, { method: 'password', reason: 'unknown_user', attemptedEmail: `p${i}@bulk.test` }, 'failure'));
    }
  });
  const body = JSON.stringify(dayBody());
  const started = performance.now();
  const answer = await new Promise<{ status: number; text: string; requestId: string }>((resolve, reject) => {
    const call = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: TRAIL_URL,
        agent: false,
        headers: { host: bulk.host, authorization: `Token token=${bulk.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          // Reads a little, then stops reading for three timeouts, and again after each few chunks.
          if (chunks.length % 50 === 1) {
            response.pause();
            setTimeout(() => response.resume(), chunks.length === 1 ? TIMEOUT_MS * 3 : 20);
          }
        });
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), requestId: String(response.headers['x-request-id']) });
        });
        response.on('error', reject);
      },
    );
    call.on('error', reject);
    call.end(body);
  });
  assert.equal(answer.status, 200);
  const page = JSON.parse(answer.text) as { result: unknown[]; nextPageToken: string | null };
  assert.ok(page.result.length >= BULK_EVENTS, `${page.result.length} events`);
  assert.ok(performance.now() - started > TIMEOUT_MS * 3);
  // The server was still writing the answer well after the timeout: it did not fit in the buffers.
  const completed = server.logLines
    .map((line) => JSON.parse(line) as { reqId?: string; msg?: string; responseTime?: number })
    .find((line) => line.reqId === answer.requestId && line.msg === 'request completed');
  assert.ok(completed?.responseTime !== undefined && completed.responseTime > TIMEOUT_MS * 2, `responseTime ${String(completed?.responseTime)}`);
});

test('builds the server with the 30 s request timeout by default, checked at least every second', async () => {
  assert.equal(REQUEST_TIMEOUT_MS, 30_000);
  const plain = await startTestServer();
  try {
    const raw = plain.app.server;
    assert.equal(raw.requestTimeout, 30_000);
    assert.equal(raw.headersTimeout, 30_000);
    const interval = (raw as typeof raw & { connectionsCheckingInterval: number }).connectionsCheckingInterval;
    assert.ok(interval > 0 && interval <= 1_000, `checked every ${interval} ms`);
  } finally {
    await plain.close();
  }
});

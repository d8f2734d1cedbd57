// A whole day is one long answer whose cost grows with the day: a caller may have two streaming at
// once, and the server eight; one more is refused with 429 and Retry-After, and a slot is given
// back when its answer ends, a client hanging up included. Paged reads are not bounded this way.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { draftEvent } from '../src/core/events/envelope.ts';
import { extraToken } from './support/http-helpers.ts';
import { dayBody, OPERATOR, startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

let server: TestServer;
let acme: TestOrg;
let port: number;
const open: http.ClientRequest[] = [];

before(async () => {
  server = await startTestServer({ SECTRAIL_RATE_LIMIT_PER_MINUTE: '100000' });
  acme = await server.createOrg('acme');
  // A day of several megabytes: more than the socket buffers hold, so an unread answer stays open.
  const events = Array.from({ length: 30_000 }, (_, i) =>
    draftEvent('resource.created', { ...OPERATOR, userAgent: 'x'.repeat(200) }, { resource: { type: 'project', id: `p-${String(i)}`, name: `Project ${String(i)}` } }),
  );
  await server.runtime.store.transact(async (tx) => {
    for (const event of events) tx.record(acme.org.id, event);
  });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  port = (server.app.server.address() as AddressInfo).port;
});

after(async () => {
  for (const request of open) request.destroy();
  await server.close();
});

/** Asks for today's whole day and resolves with the status once the answer starts; the body is left unread. */
function holdDay(token: string, body: unknown = dayBody()): Promise<{ status: number; headers: http.IncomingHttpHeaders; request: http.ClientRequest }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/audit-log/security-trail/',
        headers: { host: acme.host, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (response) => {
        response.pause();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, request });
      },
    );
    request.on('error', reject);
    open.push(request);
    request.end(JSON.stringify(body));
  });
}

describe('whole days streaming at once', () => {
  test('refuses a third whole day to one caller while two stream, and takes the slot back when a client hangs up', async () => {
    const first = await holdDay(acme.token);
    const second = await holdDay(acme.token);
    assert.deepEqual([first.status, second.status], [200, 200]);
    const third = await holdDay(acme.token);
    assert.equal(third.status, 429);
    assert.equal(third.headers['retry-after'], '1');
    const paged = await holdDay(acme.token, { ...dayBody(), pageSize: 10 });
    assert.equal(paged.status, 200, 'a page is not a whole day');
    const other = await extraToken(server, acme, { accountName: 'other-reader', role: 'reader', scopes: ['security-log:read'] });
    assert.equal((await holdDay(other.secret)).status, 200, 'another caller has slots of its own');

    first.request.destroy();
    let again = await holdDay(acme.token);
    for (let tries = 0; again.status === 429 && tries < 50; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await holdDay(acme.token);
    }
    assert.equal(again.status, 200, 'the slot came back when the client hung up');
  });
});

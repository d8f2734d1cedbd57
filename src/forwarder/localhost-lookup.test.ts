// `localhost` and its subdomains resolve to loopback without asking the system resolver (which on
// many machines does not know `demo.localhost`); every other name is the system resolver's.
import assert from 'node:assert/strict';
import { type LookupAddress, type LookupOptions } from 'node:dns';
import { test } from 'node:test';
import { isLocalhostName, localhostLookup } from './localhost-lookup.ts';

function resolve(hostname: string, options: LookupOptions): Promise<{ address: string | LookupAddress[]; family: number | undefined }> {
  return new Promise((done, fail) => {
    localhostLookup(hostname, options, (error, address, family) => {
      if (error === null) done({ address, family });
      else fail(error);
    });
  });
}

test('names localhost and every name under it, in any case and with a trailing dot, and nothing else', () => {
  for (const name of ['localhost', 'demo.localhost', 'DEMO.Localhost', 'a.b.localhost', 'demo.localhost.']) assert.equal(isLocalhostName(name), true, name);
  for (const name of ['localhost.example.com', 'demolocalhost', 'demo-localhost', 'localhostx', 'example.com', '127.0.0.1', '']) assert.equal(isLocalhostName(name), false, name);
});

test('answers demo.localhost with 127.0.0.1 first, then ::1, as dns.lookup would shape it', async () => {
  assert.deepEqual(await resolve('demo.localhost', {}), { address: '127.0.0.1', family: 4 });
  assert.deepEqual(await resolve('demo.localhost', { all: true }), {
    address: [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }],
    family: undefined,
  });
});

test('keeps to the family asked for', async () => {
  assert.deepEqual(await resolve('demo.localhost', { family: 6 }), { address: '::1', family: 6 });
  assert.deepEqual(await resolve('Demo.LOCALHOST.', { family: 4, all: true }), { address: [{ address: '127.0.0.1', family: 4 }], family: undefined });
});

test('leaves any other name to the system resolver', async () => {
  // An address literal is answered by the system resolver without the network.
  assert.deepEqual(await resolve('192.0.2.7', {}), { address: '192.0.2.7', family: 4 });
  assert.deepEqual(await resolve('192.0.2.7', { all: true }), { address: [{ address: '192.0.2.7', family: 4 }], family: undefined });
  // A reserved name no resolver knows (RFC 6761): the system's failure comes back, not loopback.
  await assert.rejects(resolve('localhost.invalid', {}), (error: NodeJS.ErrnoException) => typeof error.code === 'string');
});

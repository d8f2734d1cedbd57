// Explains every event of the log by what made it: the server's first start, or a request of the
// run (found by its X-Request-Id in the ledger). An acknowledged write has exactly one event, the
// first read of a walk exactly one security_log.accessed, each token's first use one
// login.succeeded; an event made by no request of the run, or by one that should have made none,
// is unexplained.
import assert from 'node:assert/strict';
import type { Envelope } from '../support/http-helpers.ts';
import type { LedgerEntry } from './conformance-client.ts';
import { objectIdOf, type Ack } from './platform-writers.ts';

const FIRST_START = 'cli: sectrail serve (first start)';

export interface Accounts {
  readonly firstStart: number;
  readonly writes: number;
  readonly accesses: number;
  readonly tokenFirstUses: number;
  /** Sign-ins and tokens made before the run. */
  readonly setup: number;
}

function once(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

export function accountFor(events: readonly Envelope[], ledger: ReadonlyMap<string, LedgerEntry>, acks: ReadonlyMap<string, Ack>): Accounts {
  const writes = new Map<string, number>();
  const accesses = new Map<string, number>();
  const firstUses = new Map<string, number>();
  let firstStart = 0;
  let setup = 0;
  for (const event of events) {
    const what = `seq ${String(event.seq)} (${event.type}, request ${String(event.requestId)})`;
    if (event.requestId === null) {
      assert.equal(event.endpoint, FIRST_START, `${what} came from no request, and not from the first start`);
      firstStart += 1;
      continue;
    }
    const entry = ledger.get(event.requestId);
    assert.ok(entry !== undefined, `${what} came from a request this run did not send`);
    if (event.type === 'login.succeeded' && event.details['method'] === 'api_token') {
      assert.ok(entry.token !== null, `${what}: a token's first use, on a request without one`);
      once(firstUses, String(event.details['tokenId']));
      continue;
    }
    switch (entry.purpose) {
      case 'write': {
        const ack = acks.get(event.requestId);
        assert.ok(ack !== undefined, `${what} is the event of a write that was not acknowledged`);
        assert.equal(event.type, ack.type, `${what} is not the event of its write`);
        assert.equal(objectIdOf(event), ack.objectId, `${what} names another object than its write made`);
        once(writes, event.requestId);
        break;
      }
      case 'read-start':
        assert.equal(event.type, 'security_log.accessed', `${what}: a read made a change`);
        once(accesses, event.requestId);
        break;
      case 'sign-in':
        assert.equal(event.type, 'login.succeeded', `${what}: a sign-in made something else`);
        setup += 1;
        break;
      case 'token':
        assert.equal(event.type, 'token.created', `${what}: a token's creation made something else`);
        setup += 1;
        break;
      case 'read':
        assert.fail(`${what}: following a page token or cursor logged an event`);
    }
  }
  const unwritten = [...acks.keys()].filter((requestId) => writes.get(requestId) !== 1);
  assert.deepEqual(unwritten, [], 'every acknowledged write has exactly one event');
  const started = [...ledger].filter(([, entry]) => entry.purpose === 'read-start' && entry.status === 200).map(([requestId]) => requestId);
  assert.deepEqual(started.filter((requestId) => accesses.get(requestId) !== 1), [], 'every read that began a walk is logged exactly once');
  assert.equal(accesses.size, started.length, 'only reads that began a walk and were answered are logged');
  const tokens = new Set([...ledger.values()].map((entry) => entry.token).filter((token) => token !== null));
  assert.ok([...firstUses.values()].every((count) => count === 1), "each token's first use is logged once");
  assert.equal(firstUses.size, tokens.size, 'each token used has its first use logged');
  return { firstStart, writes: writes.size, accesses: accesses.size, tokenFirstUses: firstUses.size, setup };
}

// Proofs answered from what sealing kept: the same proofs as the whole day's tree gives, one chunk
// of events read per proof, days sealed before tree nodes were kept, and events changed behind
// the server's back refused rather than proved.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Digest } from '../src/core/integrity/digest.ts';
import { eventLeafHash } from '../src/core/integrity/leaf.ts';
import { inclusionPath } from '../src/core/integrity/merkle.ts';
import { proofMatchesDigest, type InclusionProof } from '../src/core/integrity/proof.ts';
import type { Store, TrailReader } from '../src/core/ports/store.ts';
import { proveEvent } from '../src/platform/day-proofs.ts';
import { sealDueDays } from '../src/platform/sealing.ts';
import { loginEvent } from '../src/storage/contract/contract-fixtures.ts';
import { ManualClock } from '../src/storage/contract/manual-clock.ts';
import { assertError, authed, TRAIL_URL, type DayPage } from './support/http-helpers.ts';
import { startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

const PROOF_URL = '/api/audit-log/security-trail/proof';
const MAY_17 = Date.UTC(2025, 4, 17, 10);
const SEALED = Date.UTC(2025, 4, 18, 0, 5);
const DATE = { year: 2025, month: 5, day: 17 };
const CHUNK = 4;

type Event = DayPage['result'][number];

let server: TestServer;
// acme's day is proved; globex's is changed behind the server's back.
let acme: TestOrg;
let globex: TestOrg;
let digest: Digest;
let events: Event[];
const clock = new ManualClock(MAY_17);
const EPOCH_DAY = Math.floor(MAY_17 / 86_400_000);

before(async () => {
  server = await startTestServer({}, { clock });
  acme = await server.createOrg('acme');
  globex = await server.createOrg('globex');
  await server.runtime.store.transact(async (tx) => {
    for (let i = 0; i < 23; i += 1) {
      tx.record(acme.org.id, loginEvent(`someone-${String(i)}@acme.test`));
      tx.record(globex.org.id, loginEvent(`someone-${String(i)}@globex.test`));
    }
  });
  clock.set(SEALED);
  const deps = server.runtime.deps;
  const sealed = await sealDueDays({ store: deps.store, clock, signer: server.signer, sealGraceSeconds: 300, chunkSize: CHUNK });
  digest = sealed.find((made) => made.orgId === acme.org.id) as Digest;
  events = await dayOf(acme);
});
after(async () => {
  await server.close();
});

async function dayOf(org: TestOrg): Promise<Event[]> {
  return (await server.inject(authed(org, 'POST', TRAIL_URL, DATE))).json<DayPage>().result;
}

async function proof(eventId: string, org: TestOrg = acme): Promise<InclusionProof> {
  const response = await server.inject(authed(org, 'POST', PROOF_URL, { eventId }));
  assert.equal(response.statusCode, 200, response.body);
  return response.json<InclusionProof>();
}

const at = (day: readonly Event[], index: number) => day[index] as Event;

/** The proof as the day's whole tree gives it. */
function fullTreeProof(index: number): Omit<InclusionProof, 'eventId'> {
  const leaves = events.map((event) => eventLeafHash(JSON.stringify(event), acme.org.id));
  const event = at(events, index);
  return {
    date: digest.date,
    seq: event.seq,
    leafIndex: index,
    treeSize: events.length,
    leafHash: (leaves[index] as Buffer).toString('hex'),
    auditPath: inclusionPath(leaves, index).map((hash) => hash.toString('hex')),
    root: digest.root,
  };
}

/** Runs SQL on the server's database behind its back, as someone holding the database could. */
async function behindTheServersBack(statements: readonly { sql: string; params: readonly unknown[] }[]): Promise<void> {
  const url = server.env['DATABASE_URL'];
  if (url === undefined) {
    const db = new Database(`${server.dataDir}/sectrail.db`);
    try {
      for (const { sql, params } of statements) db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url, options: '-c sectrail.org_id=*' });
  await client.connect();
  try {
    for (const { sql, params } of statements) {
      let n = 0;
      await client.query(sql.replace(/\?/g, () => `$${String((n += 1))}`), [...params]);
    }
  } finally {
    await client.end();
  }
}

/** A store that counts the events its trail reads hand out. */
function counting(store: Store): { readonly store: Store; readonly read: () => number } {
  let rows = 0;
  const trail: TrailReader = {
    page: async (query, limit) => {
      const page = await store.trail.page(query, limit);
      rows += page.length;
      return page;
    },
    async *streamDay(query) {
      for await (const batch of store.trail.streamDay(query)) {
        rows += batch.length;
        yield batch;
      }
    },
    after: (orgId, afterSeq, limit) => store.trail.after(orgId, afterSeq, limit),
    head: (orgId) => store.trail.head(orgId),
    lastSeqBeforeDay: (orgId, epochDay) => store.trail.lastSeqBeforeDay(orgId, epochDay),
    eventById: (orgId, eventId) => store.trail.eventById(orgId, eventId),
  };
  const wrapped: Store = {
    kind: store.kind,
    warnings: store.warnings,
    transact: (work) => store.transact(work),
    trail,
    platform: store.platform,
    alone: (name, work) => store.alone(name, work),
    close: () => store.close(),
  };
  return { store: wrapped, read: () => rows };
}

test('gives for every event the proof the whole day’s tree gives, partial last chunk included', async () => {
  assert.ok(events.length > 5 * CHUNK && events.length % CHUNK !== 0, `${String(events.length)} events make several chunks and a partial one`);
  assert.equal(digest.treeSize, events.length);
  for (const [index, event] of events.entries()) {
    const given = await proof(event.id);
    assert.deepEqual(given, { eventId: event.id, ...fullTreeProof(index) });
    assert.ok(proofMatchesDigest(given, digest));
  }
});

test('reads one chunk of the day’s events for a proof, not the whole day', async () => {
  for (const index of [0, 9, events.length - 1]) {
    const { store, read } = counting(server.runtime.store);
    const given = await proveEvent(store, acme.org.id, at(events, index).id);
    assert.ok(proofMatchesDigest(given, digest));
    assert.ok(read() <= CHUNK, `read ${String(read())} events to prove event ${String(index)}`);
  }
});

test('proves an event of a day sealed before tree nodes were kept, and keeps them from then on', async () => {
  assert.equal((await server.runtime.store.platform.dayTreeNodes(acme.org.id, EPOCH_DAY, []))?.chunkSize, CHUNK);
  await behindTheServersBack([{ sql: 'DELETE FROM day_tree_nodes WHERE org_id = ?', params: [acme.org.id] }]);
  assert.equal(await server.runtime.store.platform.dayTreeNodes(acme.org.id, EPOCH_DAY, []), null);

  // Asked at once, while the nodes are being computed: every answer is still the whole tree's.
  const indexes = [3, 4, 17];
  const given = await Promise.all(indexes.map((index) => proof(at(events, index).id)));
  assert.deepEqual(given, indexes.map((index) => ({ eventId: at(events, index).id, ...fullTreeProof(index) })));
  const kept = await server.runtime.store.platform.dayTreeNodes(acme.org.id, EPOCH_DAY, []);
  assert.ok(kept !== null, 'computed once and stored');
  const { store, read } = counting(server.runtime.store);
  await proveEvent(store, acme.org.id, at(events, 5).id);
  assert.ok(read() <= kept.chunkSize, 'later proofs read one chunk');
});

test('refuses, as a fault of its own, to prove from events changed since the day was sealed', async () => {
  const day = await dayOf(globex);
  const changed = at(day, 9);
  const forged = JSON.stringify(changed).replace('someone-', 'nobody-');
  assert.notEqual(forged, JSON.stringify(changed));
  const row = [globex.org.id, changed.seq, EPOCH_DAY, Date.parse(changed.timestamp), changed.id, changed.type, forged];
  await behindTheServersBack([
    { sql: 'DELETE FROM events WHERE id = ?', params: [changed.id] },
    { sql: 'INSERT INTO events (org_id, seq, day, ts, id, type, envelope) VALUES (?, ?, ?, ?, ?, ?, ?)', params: row },
  ]);
  const logged = server.logLines.length;
  const refused = async (index: number) => {
    assertError(await server.inject(authed(globex, 'POST', PROOF_URL, { eventId: at(day, index).id })), 500, 'INTERNAL');
  };
  // The changed event, and another of its chunk (whose path holds the changed leaf's hash).
  await refused(9);
  await refused(8);
  assert.ok(server.logLines.slice(logged).some((line) => line.includes('no longer make the signed root')), 'the fault is logged');
  const other = await proof(at(day, 0).id, globex);
  assert.ok(proofMatchesDigest(other, JSON.parse((await server.runtime.store.platform.digestJson(globex.org.id, EPOCH_DAY)) ?? '{}') as Digest), 'an event of another chunk is still proved');

  // Without stored tree nodes, the day is hashed again and found changed: nothing is proved from it.
  await behindTheServersBack([{ sql: 'DELETE FROM day_tree_nodes WHERE org_id = ?', params: [globex.org.id] }]);
  await refused(0);
  assert.ok(server.logLines.slice(logged).some((line) => line.includes('no longer make the sealed tree')), 'the fault is logged');
  assert.equal(await server.runtime.store.platform.dayTreeNodes(globex.org.id, EPOCH_DAY, []), null, 'nothing stored from a changed day');
});

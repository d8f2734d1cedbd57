// Sealed days (DESIGN §9) through the server, with a clock moved by hand: when a day is sealed,
// what its digest and proofs say, empty days, the chain, days missed while down, and that no event
// is ever stamped into a sealed day.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readConfig } from '../src/config.ts';
import { digestHash, signatureValid, type Digest } from '../src/core/integrity/digest.ts';
import { leafOfEnvelope } from '../src/core/integrity/leaf.ts';
import { leafHash } from '../src/core/integrity/merkle.ts';
import { proofMatchesDigest, type InclusionProof } from '../src/core/integrity/proof.ts';
import { verifyDay } from '../src/core/integrity/verify-day.ts';
import { openRuntime } from '../src/main.ts';
import { sealDueDays } from '../src/platform/sealing.ts';
import { ManualClock } from '../src/storage/contract/manual-clock.ts';
import { assertError, authed, storedEvents, TRAIL_URL, type DayPage, type Envelope } from './support/http-helpers.ts';
import { startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

const DIGEST_URL = '/api/audit-log/security-trail/digest';
const PROOF_URL = '/api/audit-log/security-trail/proof';
const KEYS_URL = '/api/audit-log/keys';
const MAY_17 = Date.UTC(2025, 4, 17, 10);
const MIDNIGHT = Date.UTC(2025, 4, 18);
const GRACE_MS = 300_000;
const date = (iso: string) => {
  const [year, month, day] = iso.split('-').map(Number);
  return { year, month, day };
};

let server: TestServer;
let acme: TestOrg;
const clock = new ManualClock(MAY_17);

before(async () => {
  server = await startTestServer({}, { clock });
  acme = await server.createOrg('acme');
});
after(async () => {
  await server.close();
});

async function day(iso: string): Promise<DayPage> {
  const response = await server.inject(authed(acme, 'POST', TRAIL_URL, date(iso)));
  assert.equal(response.statusCode, 200, response.body);
  return response.json<DayPage>();
}

async function digestOf(iso: string): Promise<Digest> {
  const response = await server.inject(authed(acme, 'POST', DIGEST_URL, date(iso)));
  assert.equal(response.statusCode, 200, response.body);
  return response.json<Digest>();
}

async function keys(): Promise<unknown> {
  const response = await server.inject(authed(acme, 'GET', KEYS_URL));
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

async function write(at: number): Promise<void> {
  clock.set(at);
  const response = await server.inject(authed(acme, 'POST', '/api/groups', { name: `g-${String(at)}` }, acme.adminToken));
  assert.equal(response.statusCode, 201, response.body);
}

test('seals a day once it has ended and the grace period passed, not before, and then reports it complete', async () => {
  await write(MIDNIGHT - 1);
  await write(MIDNIGHT);
  clock.set(MIDNIGHT + GRACE_MS - 1);
  assert.deepEqual(await server.seal(), []);
  assert.equal((await day('2025-05-17')).complete, false);
  assertError(await server.inject(authed(acme, 'POST', DIGEST_URL, date('2025-05-17'))), 404, 'NOT_FOUND');

  clock.set(MIDNIGHT + GRACE_MS);
  const sealed = await server.seal();
  assert.deepEqual(sealed.map((digest) => [digest.orgId, digest.date]), [[acme.org.id, '2025-05-17']]);
  const page = await day('2025-05-17');
  assert.equal(page.complete, true);
  assert.equal(page.result.at(-1)?.timestamp, '2025-05-17T23:59:59.999Z', 'the last millisecond is in the day');

  const digest = await digestOf('2025-05-17');
  assert.deepEqual(digest, sealed[0]);
  assert.equal(digest.treeSize, page.result.length);
  assert.deepEqual([digest.firstSeq, digest.lastSeq], [1, page.result.length]);
  assert.equal(digest.prevDigestHash, null, 'the org’s first day');
  assert.equal(digest.sealedAt, new Date(MIDNIGHT + GRACE_MS).toISOString());
  assert.deepEqual(verifyDay({ events: page.result, digest, keys: await keys() }).treeSize, page.result.length);
  assert.deepEqual(await server.seal(), [], 'sealing again does nothing');
});

test('publishes the signing key, and the digest’s signature is that key’s over the nine fields', async () => {
  const published = (await keys()) as { result: { keyId: string; algorithm: string; publicKey: string; validFrom: string; validUntil: null }[] };
  assert.equal(published.result.length, 1);
  const [key] = published.result;
  assert.equal(key?.keyId, server.signer.keyId);
  assert.equal(key?.algorithm, 'Ed25519');
  assert.equal(Buffer.from(key?.publicKey ?? '', 'base64').length, 32);
  const digest = await digestOf('2025-05-17');
  assert.ok(signatureValid(digest, Buffer.from(key?.publicKey ?? '', 'base64')));
  assert.ok(!signatureValid({ ...digest, treeSize: digest.treeSize + 1 }, Buffer.from(key?.publicKey ?? '', 'base64')));
});

test('proves each event of a sealed day, from the served envelope to the signed root', async () => {
  const page = await day('2025-05-17');
  const digest = await digestOf('2025-05-17');
  for (const event of page.result) {
    const response = await server.inject(authed(acme, 'POST', PROOF_URL, { eventId: event.id }));
    assert.equal(response.statusCode, 200, response.body);
    const proof = response.json<InclusionProof>();
    assert.equal(proof.seq, event.seq);
    assert.equal(proof.leafHash, leafHash(leafOfEnvelope(event as unknown as Record<string, unknown>, acme.org.id)).toString('hex'));
    assert.ok(proofMatchesDigest(proof, digest), `event ${String(event.seq)}`);
  }
  const today = (await day('2025-05-18')).result[0] as Envelope;
  assertError(await server.inject(authed(acme, 'POST', PROOF_URL, { eventId: today.id })), 404, 'NOT_FOUND');
  assertError(await server.inject(authed(acme, 'POST', PROOF_URL, { eventId: '01a2152d-d198-7118-8eab-71ae2c801846' })), 404, 'NOT_FOUND');
  assertError(await server.inject(authed(acme, 'POST', PROOF_URL, { eventId: '' })), 400, 'INVALID_REQUEST');
  assertError(await server.inject(authed(acme, 'POST', DIGEST_URL, { year: 2025, month: 2, day: 30 })), 400, 'INVALID_DATE');
  assertError(await server.inject(authed(acme, 'POST', DIGEST_URL, { year: 2025, month: 5, day: 17, extra: 1 })), 400, 'INVALID_REQUEST');
});

test('seals empty days too, each chained to the day before, and never stamps an event into a sealed day', async () => {
  clock.set(MIDNIGHT + 2 * 86_400_000 + GRACE_MS);
  const sealed = await server.seal();
  assert.deepEqual(sealed.map((digest) => digest.date), ['2025-05-18', '2025-05-19']);
  const [may18, may19] = sealed as [Digest, Digest];
  const may17 = await digestOf('2025-05-17');
  assert.equal(may18.prevDigestHash, digestHash(may17));
  assert.equal(may18.firstSeq, may17.lastSeq + 1);
  assert.deepEqual([may19.treeSize, may19.firstSeq, may19.lastSeq], [0, may18.lastSeq + 1, may18.lastSeq], 'an empty day');
  assert.equal(may19.prevDigestHash, digestHash(may18));
  verifyDay({ events: [], digest: may19, keys: await keys(), previousDigest: may18 });

  // A clock turned back into sealed days: the event goes to the first day still open.
  await write(MAY_17 + 3_600_000);
  const events = await storedEvents(server, acme.org.id);
  assert.equal(events.at(-1)?.type, 'group.created');
  assert.equal(events.at(-1)?.timestamp.slice(0, 10), '2025-05-20', 'stamped after the last sealed day, not on 17 May');
  clock.set(MIDNIGHT + 2 * 86_400_000 + GRACE_MS);
  assert.equal((await day('2025-05-19')).result.length, 0, 'the sealed empty day stays empty');
});

test('a server opened again on the store seals the days missed meanwhile, in order, with the same key', async () => {
  clock.set(MIDNIGHT + 5 * 86_400_000 + GRACE_MS);
  const runtime = await openRuntime(readConfig(server.env), undefined, clock);
  try {
    const sealed = await sealDueDays({ store: runtime.store, clock, signer: server.signer, sealGraceSeconds: 300 });
    assert.deepEqual(sealed.map((digest) => digest.date), ['2025-05-20', '2025-05-21', '2025-05-22']);
    const may20 = (await storedEvents(server, acme.org.id)).filter((event) => event.timestamp.startsWith('2025-05-20'));
    assert.ok(may20.length >= 2, 'the group made with the clock turned back, and the read logged that day');
    assert.equal(sealed[0]?.treeSize, may20.length);
    assert.deepEqual(await sealDueDays({ store: runtime.store, clock, signer: server.signer, sealGraceSeconds: 300 }), []);
  } finally {
    await runtime.close();
  }
});

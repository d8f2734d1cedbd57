// `sectrail verify` as a security team runs it: files downloaded from the endpoints, checked
// offline by the real command. The untouched day verifies; every kind of tampering fails with
// exit 1 and a message naming what broke; bad usage exits 2.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { keyIdOf, rawEd25519PublicKey, signedText, type Digest } from '../src/core/integrity/digest.ts';
import { ManualClock } from '../src/storage/contract/manual-clock.ts';
import { authed, TRAIL_URL, type DayPage, type Envelope } from './support/http-helpers.ts';
import { runCli, type CliResult } from './support/processes.ts';
import { startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

const DAY_MS = 86_400_000;
const MAY_17 = Date.UTC(2025, 4, 17, 9);

let server: TestServer;
let dir: string;
let acme: TestOrg;
let globex: TestOrg;
const clock = new ManualClock(MAY_17);
const files = new Map<string, string>();
let may17: Envelope[];
let digest17: Digest;

const date = (iso: string) => {
  const [year, month, day] = iso.split('-').map(Number);
  return { year, month, day };
};

async function fetchJson(org: TestOrg, method: 'GET' | 'POST', url: string, body?: unknown): Promise<string> {
  const response = await server.inject(authed(org, method, url, body));
  assert.equal(response.statusCode, 200, response.body);
  return response.body;
}

/** Writes a file for the command and remembers its path by name. */
function put(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  files.set(name, path);
  return path;
}

const path = (name: string): string => files.get(name) ?? assert.fail(`no file ${name}`);
const dayJson = (events: readonly unknown[]) => JSON.stringify({ result: events, nextPageToken: null, complete: true });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sectrail-verify-'));
  server = await startTestServer({}, { clock });
  acme = await server.createOrg('acme');
  globex = await server.createOrg('globex');
  for (const [hour, name] of [[10, 'ops'], [14, 'sre'], [23, 'night']] as const) {
    clock.set(Date.UTC(2025, 4, 17, hour));
    for (const org of [acme, globex]) await server.inject(authed(org, 'POST', '/api/groups', { name }, org.adminToken));
  }
  clock.set(MAY_17 + DAY_MS);
  await server.inject(authed(acme, 'POST', '/api/groups', { name: 'next-day' }, acme.adminToken));
  clock.set(Date.UTC(2025, 4, 20, 0, 10));
  assert.ok((await server.seal()).length >= 6);

  const day17 = await fetchJson(acme, 'POST', TRAIL_URL, date('2025-05-17'));
  may17 = (JSON.parse(day17) as DayPage).result;
  assert.ok(may17.length >= 8, `${String(may17.length)} events`);
  assert.equal((JSON.parse(day17) as DayPage).complete, true);
  put('day17.json', day17);
  put('digest17.json', await fetchJson(acme, 'POST', `${TRAIL_URL}digest`, date('2025-05-17')));
  digest17 = JSON.parse(await fetchJson(acme, 'POST', `${TRAIL_URL}digest`, date('2025-05-17'))) as Digest;
  put('day18.json', await fetchJson(acme, 'POST', TRAIL_URL, date('2025-05-18')));
  put('digest18.json', await fetchJson(acme, 'POST', `${TRAIL_URL}digest`, date('2025-05-18')));
  put('day19.json', await fetchJson(acme, 'POST', TRAIL_URL, date('2025-05-19')));
  put('digest19.json', await fetchJson(acme, 'POST', `${TRAIL_URL}digest`, date('2025-05-19')));
  put('keys.json', await fetchJson(acme, 'GET', '/api/audit-log/keys'));
  put('globex17.json', await fetchJson(globex, 'POST', TRAIL_URL, date('2025-05-17')));
  put('globex-digest17.json', await fetchJson(globex, 'POST', `${TRAIL_URL}digest`, date('2025-05-17')));
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function verify(day: string, digest = path('digest17.json'), keys = path('keys.json'), extra: string[] = []): Promise<CliResult> {
  return runCli(['verify', '--day', day, '--digest', digest, '--keys', keys, ...extra], {});
}

function assertFails(result: CliResult, message: RegExp, name: string): void {
  assert.equal(result.code, 1, `${name}: ${result.stdout}${result.stderr}`);
  assert.match(result.stderr, message, name);
  assert.doesNotMatch(result.stdout, /verified/, name);
}

test('the untouched day verifies, as the trail’s answer and as NDJSON with repeated lines, and chains to the day before', async () => {
  const plain = await verify(path('day17.json'));
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, new RegExp(`verified: 2025-05-17, org ${acme.org.id}, ${String(may17.length)} events \\(seq 1 to ${String(may17.length)}\\)`));
  const lines = may17.map((event) => JSON.stringify(event));
  const ndjson = put('day17.ndjson', `${[...lines, lines[2], lines[0]].join('\n')}\n`);
  assert.equal((await verify(ndjson)).code, 0);
  const chained = await verify(path('day18.json'), path('digest18.json'), path('keys.json'), ['--previous-digest', path('digest17.json')]);
  assert.equal(chained.code, 0, chained.stderr);
  assert.match(chained.stdout, /chained to the previous day/);
  const empty = await verify(path('day19.json'), path('digest19.json'), path('keys.json'), ['--previous-digest', path('digest18.json')]);
  assert.equal(empty.code, 0, empty.stderr);
  assert.match(empty.stdout, /0 events/);
});

test('fails on any edit, deletion, insertion, reordering or duplicate of events', async () => {
  const edited = may17.map((event, i) => (i === 3 ? { ...event, details: { ...event.details, name: 'renamed' } } : event));
  const renamed = may17.map((event, i) => (i === 1 ? { ...event, user: null } : event));
  const redated = may17.map((event, i) => (i === 2 ? { ...event, timestamp: '2025-05-18T00:00:00.000Z' } : event));
  const first = may17[0] as Envelope;
  const last = may17.at(-1) as Envelope;
  const cases: [string, unknown[], RegExp][] = [
    ['edited details', edited, /do not rebuild the digest's Merkle root: an event was edited/],
    ['edited actor', renamed, /Merkle root/],
    ['moved to another day', redated, /dated 2025-05-18, not 2025-05-17/],
    ['deleted in the middle', may17.filter((_, i) => i !== 4), /seq 5 is missing before seq 6: an event was deleted/],
    ['deleted at the end', may17.slice(0, -1), /signs \d+ events .* and the day has \d+/],
    ['deleted at the start', may17.slice(1), /seq 1 is missing before seq 2/],
    ['inserted at the end', [...may17, { ...last, id: '01a2152d-d198-7118-8eab-71ae2c801846', seq: last.seq + 1 }], /beyond the digest's last seq .*: it was inserted/],
    ['inserted in the middle', [first, { ...first, id: '01a2152d-d198-7118-8eab-71ae2c801847' }, ...may17.slice(1)], /out of order, or one is repeated with another id/],
    ['reordered', [may17[1], may17[0], ...may17.slice(2)], /out of order/],
    ['two seqs swapped with their events', may17.map((event, i) => (i === 0 ? { ...event, seq: 2 } : i === 1 ? { ...event, seq: 1 } : event)).sort((a, b) => a.seq - b.seq), /Merkle root/],
    ['a duplicate id with other content', [...may17, { ...first, outcome: 'failure' }], /two different events share the id/],
  ];
  const results = await Promise.all(cases.map(([name, events]) => verify(put(`${name.replaceAll(' ', '-')}.json`, dayJson(events)))));
  results.forEach((result, i) => {
    const [name, , message] = cases[i] as [string, unknown[], RegExp];
    assertFails(result, message, name);
  });
});

test('fails on an edited digest, a foreign key, a dropped day, another org’s day, and a page instead of the day', async () => {
  const other = generateKeyPairSync('ed25519');
  const otherRaw = rawEd25519PublicKey(other.publicKey);
  const forged = { ...digest17, root: digest17.root.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) };
  const resigned = { ...forged, signature: sign(null, Buffer.from(signedText(forged)), other.privateKey).toString('base64') };
  const foreign = { ...resigned, keyId: keyIdOf(otherRaw) };
  const keysWithOther = JSON.stringify({ result: [{ keyId: digest17.keyId, algorithm: 'Ed25519', publicKey: otherRaw.toString('base64'), validFrom: '2020-01-01T00:00:00.000Z', validUntil: null }] });
  const expiredKeys = JSON.parse(await fetchJson(acme, 'GET', '/api/audit-log/keys')) as { result: Record<string, unknown>[] };
  const expired = JSON.stringify({ result: expiredKeys.result.map((key) => ({ ...key, validUntil: '2025-05-01T00:00:00.000Z' })) });
  const cases: [string, Promise<CliResult>, RegExp][] = [
    ['edited root', verify(path('day17.json'), put('forged.json', JSON.stringify(forged))), /signature does not verify with key/],
    ['edited treeSize', verify(path('day17.json'), put('size.json', JSON.stringify({ ...digest17, treeSize: digest17.treeSize - 1, lastSeq: digest17.lastSeq - 1 }))), /signature does not verify/],
    ['edited sealedAt', verify(path('day17.json'), put('sealed.json', JSON.stringify({ ...digest17, sealedAt: new Date(Date.parse(digest17.sealedAt) + 1000).toISOString() }))), /signature does not verify/],
    ['re-signed with a key not published', verify(path('day17.json'), put('foreign.json', JSON.stringify(foreign))), /which the keys file does not list \(a foreign key\)/],
    ['a keys file naming another key under the real id', verify(path('day17.json'), path('digest17.json'), put('other-keys.json', keysWithOther)), /signature does not verify with key/],
    ['a key outside its validity window', verify(path('day17.json'), path('digest17.json'), put('expired-keys.json', expired)), /outside key .* validity/],
    ['no keys', verify(path('day17.json'), path('digest17.json'), put('no-keys.json', '{"result":[]}')), /lists no key/],
    ['a dropped day in the chain', verify(path('day19.json'), path('digest19.json'), path('keys.json'), ['--previous-digest', path('digest17.json')]), /is for 2025-05-17, not 2025-05-18, the day before: a day is missing/],
    ['another org’s day under this org’s digest', verify(path('globex17.json')), /Merkle root: an event was edited, or this is another org's day/],
    ['another org’s digest as the previous one', verify(path('day18.json'), path('digest18.json'), path('keys.json'), ['--previous-digest', path('globex-digest17.json')]), /another org's/],
    ['one page of several', verify(put('page.json', JSON.stringify({ result: may17.slice(0, 2), nextPageToken: 'x', complete: true }))), /one page of several/],
    ['an empty day file', verify(put('empty.json', '')), /is empty: there is nothing to verify/],
    ['a day file that is not JSON', verify(put('garbage.json', 'not json\n')), /line 1 of the day file .* is not JSON/],
  ];
  const results = await Promise.all(cases.map(([, run]) => run));
  results.forEach((result, i) => {
    const [name, , message] = cases[i] as [string, Promise<CliResult>, RegExp];
    assertFails(result, message, name);
  });
});

test('answers bad usage with exit code 2', async () => {
  assert.equal((await runCli(['verify', '--day', path('day17.json')], {})).code, 2);
  const missing = await verify(join(dir, 'no-such-file.json'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read the day file .*no-such-file\.json: ENOENT/);
});

// The offline check of a downloaded day (DESIGN §9), shared by `sectrail verify` and anyone who
// embeds it: the digest's signature with a key valid when it was sealed, every event on the
// digest's date and in seq order without gap, the Merkle root rebuilt from the events, and with
// the previous day's digest, the chain. Any mismatch throws a VerificationFailure naming it.
import { canonicalJson } from '../canonical-json.ts';
import { dayBefore } from '../day-window.ts';
import { announcementText, digestHash, DIGEST_FIELDS, ed25519Valid, signatureValid, type Digest, type PublishedKey } from './digest.ts';
import { leafOfEnvelope } from './leaf.ts';
import { leafHash, MerkleRootBuilder } from './merkle.ts';

export class VerificationFailure extends Error {
  override readonly name = 'VerificationFailure';
}

const fail = (message: string): never => {
  throw new VerificationFailure(message);
};

const HEX_HASH = /^[0-9a-f]{64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** The digest's fields checked for shape, or a failure naming the first bad one. */
export function parseDigest(value: unknown, what = 'the digest'): Digest {
  if (!isRecord(value)) return fail(`${what} is not a JSON object`);
  const extra = Object.keys(value).filter((key) => !(DIGEST_FIELDS as readonly string[]).includes(key) && key !== 'signature');
  if (extra.length > 0) fail(`${what} has fields a digest does not have: ${extra.join(', ')}`);
  const checks: [string, boolean][] = [
    ['orgId', typeof value['orgId'] === 'string' && value['orgId'] !== ''],
    ['date', typeof value['date'] === 'string' && DATE.test(value['date'])],
    ['treeSize', isCount(value['treeSize'])],
    ['firstSeq', isCount(value['firstSeq']) && (value['firstSeq']) >= 1],
    ['lastSeq', isCount(value['lastSeq'])],
    ['root', typeof value['root'] === 'string' && HEX_HASH.test(value['root'])],
    ['prevDigestHash', value['prevDigestHash'] === null || (typeof value['prevDigestHash'] === 'string' && HEX_HASH.test(value['prevDigestHash']))],
    ['keyId', typeof value['keyId'] === 'string' && value['keyId'] !== ''],
    ['sealedAt', typeof value['sealedAt'] === 'string' && !Number.isNaN(Date.parse(value['sealedAt']))],
    ['signature', typeof value['signature'] === 'string' && value['signature'] !== ''],
  ];
  for (const [field, ok] of checks) if (!ok) fail(`${what} has no valid ${field}`);
  const digest = value as unknown as Digest;
  if (digest.lastSeq - digest.firstSeq + 1 !== digest.treeSize) fail(`${what} is inconsistent: treeSize ${String(digest.treeSize)} is not lastSeq − firstSeq + 1`);
  return digest;
}

/** The published keys (`GET /api/audit-log/keys` answers `{result: [...]}`), checked for shape. */
export function parseKeys(value: unknown): PublishedKey[] {
  const list = isRecord(value) ? value['result'] : value;
  if (!Array.isArray(list)) return fail('the keys file is not the keys endpoint’s answer ({"result": [...]})');
  if (list.length === 0) fail('the keys file lists no key');
  return list.map((key, index) => {
    if (!isRecord(key) || typeof key['keyId'] !== 'string' || key['algorithm'] !== 'Ed25519' || typeof key['publicKey'] !== 'string') {
      return fail(`key ${String(index + 1)} of the keys file is malformed`);
    }
    if (typeof key['validFrom'] !== 'string' || (key['validUntil'] !== null && typeof key['validUntil'] !== 'string')) {
      return fail(`key ${key['keyId']} has no valid validity window`);
    }
    return key as unknown as PublishedKey;
  }).map((key, _, all) => {
    checkAnnouncement(key, all);
    return key;
  });
}

/** A rotated-in key's announcement must name it and be signed by the key it names as previous. */
function checkAnnouncement(key: PublishedKey, all: readonly PublishedKey[]): void {
  const announcement = key.announcement as unknown;
  if (announcement === undefined) return;
  if (!isRecord(announcement) || announcement['keyId'] !== key.keyId || announcement['publicKey'] !== key.publicKey) {
    fail(`key ${key.keyId}'s rotation announcement does not name it`);
  }
  const { previousKeyId, announcedAt, signature } = announcement as Record<string, unknown>;
  const previous = all.find((candidate) => candidate.keyId === previousKeyId);
  if (previous === undefined || typeof announcedAt !== 'string' || typeof signature !== 'string') {
    return fail(`key ${key.keyId}'s rotation announcement names no key of the file as the one before it`);
  }
  const text = announcementText({ keyId: key.keyId, publicKey: key.publicKey, previousKeyId: previous.keyId, announcedAt });
  if (!ed25519Valid(text, signature, Buffer.from(previous.publicKey, 'base64'))) {
    fail(`key ${key.keyId}'s rotation announcement is not signed by key ${previous.keyId}`);
  }
}

/** Checks the digest's signature with the key it names, valid at its sealedAt. */
export function verifyDigestSignature(digest: Digest, keys: readonly PublishedKey[], what = 'the digest'): void {
  const key = keys.find((candidate) => candidate.keyId === digest.keyId);
  if (key === undefined) fail(`${what} is signed with key ${digest.keyId}, which the keys file does not list (a foreign key)`);
  const known = key as PublishedKey;
  const sealedAt = Date.parse(digest.sealedAt);
  const from = Date.parse(known.validFrom);
  const until = known.validUntil === null ? Number.POSITIVE_INFINITY : Date.parse(known.validUntil);
  if (!(sealedAt >= from && sealedAt < until)) {
    fail(`${what} was sealed at ${digest.sealedAt}, outside key ${known.keyId}'s validity (${known.validFrom} to ${known.validUntil ?? 'now'})`);
  }
  if (!signatureValid(digest, Buffer.from(known.publicKey, 'base64'))) {
    fail(`${what}'s signature does not verify with key ${known.keyId}: the digest was edited, or signed by someone else`);
  }
}

/**
 * Removes exact repeats (same id, same content), as a resumed forwarder may write; the first copy
 * keeps its place. Two different events with one id fail.
 */
export function withoutRepeats(events: readonly unknown[]): Record<string, unknown>[] {
  const seen = new Map<string, string>();
  const unique: Record<string, unknown>[] = [];
  events.forEach((event, index) => {
    if (!isRecord(event) || typeof event['id'] !== 'string') fail(`entry ${String(index + 1)} of the day is not an event with an id`);
    const record = event as Record<string, unknown>;
    const id = record['id'] as string;
    const text = canonicalJson(record);
    const earlier = seen.get(id);
    if (earlier === undefined) {
      seen.set(id, text);
      unique.push(record);
    } else if (earlier !== text) {
      fail(`two different events share the id ${id} (one of them was edited)`);
    }
  });
  return unique;
}

export interface VerifiedDay {
  readonly orgId: string;
  readonly date: string;
  readonly treeSize: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly keyId: string;
  readonly chained: boolean;
}

export interface DayEvidence {
  /** The day's events as downloaded, in the order given (repeats allowed, see withoutRepeats). */
  readonly events: readonly unknown[];
  readonly digest: unknown;
  readonly keys: unknown;
  readonly previousDigest?: unknown;
}

function dateOf(timestamp: unknown): string | null {
  if (typeof timestamp !== 'string') return null;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10);
}

function checkChain(digest: Digest, previous: Digest, keys: readonly PublishedKey[]): void {
  verifyDigestSignature(previous, keys, 'the previous digest');
  if (previous.orgId !== digest.orgId) fail(`the previous digest is another org's (${previous.orgId}, not ${digest.orgId})`);
  const expected = dayBefore(digest.date);
  if (previous.date !== expected) fail(`the previous digest is for ${previous.date}, not ${expected}, the day before: a day is missing from the chain`);
  if (digest.prevDigestHash !== digestHash(previous)) fail('the digest does not chain to the previous digest given: its prevDigestHash names another digest');
  if (previous.lastSeq + 1 !== digest.firstSeq) {
    fail(`the previous day ends at seq ${String(previous.lastSeq)} and this one starts at seq ${String(digest.firstSeq)}: events fell between them`);
  }
}

/**
 * Checks a day's events one by one as they arrive (a forwarder does not hold a whole day), then
 * the totals and the root at finish(). The digest, its signature and the chain are checked first.
 */
export class DayVerifier {
  private readonly digest: Digest;
  private readonly builder = new MerkleRootBuilder();
  private previousSeq: number | null = null;
  private expected: number;
  private count = 0;
  private gap: string | null = null;

  constructor(evidence: Omit<DayEvidence, 'events'>) {
    const keys = parseKeys(evidence.keys);
    this.digest = parseDigest(evidence.digest);
    verifyDigestSignature(this.digest, keys);
    if (evidence.previousDigest !== undefined) checkChain(this.digest, parseDigest(evidence.previousDigest, 'the previous digest'), keys);
    this.chained = evidence.previousDigest !== undefined;
    this.expected = this.digest.firstSeq;
  }

  private readonly chained: boolean;

  /** The next event of the day, in the order given. */
  add(value: unknown): void {
    if (!isRecord(value) || typeof value['id'] !== 'string') return fail(`entry ${String(this.count + 1)} of the day is not an event with an id`);
    const event = value;
    const digest = this.digest;
    const seq = event['seq'];
    const id = String(event['id']);
    if (!Number.isSafeInteger(seq)) fail(`event ${id} has no integer seq`);
    const at = seq as number;
    const date = dateOf(event['timestamp']);
    if (date !== digest.date) fail(`event seq ${String(at)} (${id}) is dated ${date ?? 'nothing valid'}, not ${digest.date}: it does not belong to this day`);
    if (at > digest.lastSeq) fail(`event seq ${String(at)} (${id}) is beyond the digest's last seq ${String(digest.lastSeq)}: it was inserted`);
    if (this.previousSeq !== null && at <= this.previousSeq) {
      fail(`event seq ${String(at)} (${id}) comes after seq ${String(this.previousSeq)}: the events are out of order, or one is repeated with another id`);
    }
    // A gap is named at finish(): an event arriving later out of order explains it better.
    if (at !== this.expected) this.gap ??= `seq ${String(this.expected)} is missing before seq ${String(at)}: an event was deleted`;
    this.previousSeq = at;
    this.expected = at + 1;
    this.count += 1;
    this.builder.addLeafHash(leafHash(leafOfEnvelope(event, digest.orgId)));
  }

  /** After the last event: the count and the rebuilt root must be the digest's. */
  finish(): VerifiedDay {
    const digest = this.digest;
    if (this.gap !== null) fail(this.gap);
    if (this.count !== digest.treeSize) {
      const what = this.count < digest.treeSize ? 'events were deleted' : 'events were inserted';
      fail(`the digest signs ${String(digest.treeSize)} events (seq ${String(digest.firstSeq)} to ${String(digest.lastSeq)}) and the day has ${String(this.count)}: ${what}`);
    }
    if (this.builder.root().toString('hex') !== digest.root) {
      fail("the events do not rebuild the digest's Merkle root: an event was edited, or this is another org's day");
    }
    return {
      orgId: digest.orgId,
      date: digest.date,
      treeSize: digest.treeSize,
      firstSeq: digest.firstSeq,
      lastSeq: digest.lastSeq,
      keyId: digest.keyId,
      chained: this.chained,
    };
  }
}

/** Verifies a day against its digest and the published keys (and the chain, with the previous digest). */
export function verifyDay(evidence: DayEvidence): VerifiedDay {
  const verifier = new DayVerifier(evidence);
  for (const event of withoutRepeats(evidence.events)) verifier.add(event);
  return verifier.finish();
}

// Sealing: once a UTC day has ended and SECTRAIL_SEAL_GRACE_SECONDS have passed, each org's day,
// empty or not, from the org's creation day on, gets a digest signed with the installation's key
// and chained to the day before. First the org's days are closed through that day (no event can
// be stamped into it after that), then its events are read and hashed, then the digest and the
// nodes of the day's tree that proofs are answered from are stored unless another server stored
// them first. A day missed while the server was down is sealed when it comes back, in order.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { dayFromEpochDay, epochDayOf, isDayClosed } from '../core/day-window.ts';
import { ChunkedRootBuilder, nodesAboveChunks } from '../core/integrity/chunked-tree.ts';
import { digestHash, signedText, type Digest, type DigestFields, type KeyAnnouncement, type PublishedKey } from '../core/integrity/digest.ts';
import { eventLeafHash } from '../core/integrity/leaf.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { DaySigner } from '../core/ports/day-signer.ts';
import type { DayTreeNodes, SigningKeyRecord } from '../core/ports/platform-records.ts';
import type { Store } from '../core/ports/store.ts';

/**
 * Leaves per chunk of a sealed day's tree: a proof reads and hashes the events of one chunk. 128
 * keeps that near a millisecond while the nodes kept stay at half a byte per event (measured with
 * bench/proof-chunk-sizes.ts; see docs/decisions).
 */
export const PROOF_CHUNK_SIZE = 128;

export interface SealingDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly signer: DaySigner;
  readonly sealGraceSeconds: number;
  /** Leaves per chunk of the stored tree nodes; PROOF_CHUNK_SIZE unless a test asks for smaller. */
  readonly chunkSize?: number;
}

export async function storedDigest(store: Store, orgId: string, epochDay: number): Promise<Digest | null> {
  const json = await store.platform.digestJson(orgId, epochDay);
  return json === null ? null : (JSON.parse(json) as Digest);
}

export interface DayTree {
  readonly treeSize: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly root: string;
  readonly nodes: DayTreeNodes;
}

/** Hashes the org's day as stored, checking that its seqs run on without gap from `firstSeq`. */
export async function treeOfDay(store: Store, orgId: string, epochDay: number, firstSeq: number | null, chunkSize: number): Promise<DayTree> {
  const builder = new ChunkedRootBuilder(chunkSize);
  let expected = firstSeq;
  let first: number | null = null;
  for await (const batch of store.trail.streamDay({ orgId, epochDay, afterSeq: 0, eventTypes: null })) {
    for (const row of batch) {
      if (expected !== null && row.seq !== expected) {
        throw new Error(`org ${orgId}, ${dayFromEpochDay(epochDay).iso}: seq ${String(row.seq)} where ${String(expected)} was due; the day is not sealed`);
      }
      first ??= row.seq;
      expected = row.seq + 1;
      builder.addLeafHash(eventLeafHash(row.json, orgId));
    }
    // Hashing a big day takes seconds: let the requests that came meanwhile be answered between batches.
    await nextTurn();
  }
  const start = first ?? firstSeq ?? (await store.trail.lastSeqBeforeDay(orgId, epochDay)) + 1;
  return {
    treeSize: builder.size,
    firstSeq: start,
    lastSeq: start + builder.size - 1,
    root: builder.root().toString('hex'),
    nodes: { chunkSize, nodes: nodesAboveChunks(builder.chunkRoots()) },
  };
}

/** Seals one day of one org (its previous day must be sealed, unless it is the org's first). */
export async function sealDay(deps: SealingDeps, orgId: string, epochDay: number, first: boolean): Promise<Digest> {
  const existing = await storedDigest(deps.store, orgId, epochDay);
  if (existing !== null) return existing;
  const previous = first ? null : await storedDigest(deps.store, orgId, epochDay - 1);
  if (!first && previous === null) throw new Error(`org ${orgId}: ${dayFromEpochDay(epochDay - 1).iso} is not sealed, so ${dayFromEpochDay(epochDay).iso} cannot be`);
  // Waits for the org's appends under way; none after it can land on this day.
  await deps.store.transact((tx) => tx.closeDaysThrough(orgId, epochDay));
  const { nodes, ...tree } = await treeOfDay(deps.store, orgId, epochDay, previous === null ? null : previous.lastSeq + 1, deps.chunkSize ?? PROOF_CHUNK_SIZE);
  const fields: DigestFields = {
    orgId,
    date: dayFromEpochDay(epochDay).iso,
    ...tree,
    prevDigestHash: previous === null ? null : digestHash(previous),
    keyId: deps.signer.keyId,
    sealedAt: new Date(deps.clock.now()).toISOString(),
  };
  const digest: Digest = { ...fields, signature: deps.signer.sign(signedText(fields)) };
  const stored = await deps.store.transact(async (tx) => {
    const saved = await tx.saveDigest(orgId, epochDay, JSON.stringify(digest));
    // One record with the digest: stored only by the call that stored the digest.
    if (saved) await tx.saveDayTreeNodes(orgId, epochDay, nodes);
    return saved;
  });
  // Another server sealed it meanwhile: theirs is the digest.
  return stored ? digest : ((await storedDigest(deps.store, orgId, epochDay)) ?? digest);
}

/** Seals every day that is due, for every org; returns the digests made by this call. */
export async function sealDueDays(deps: SealingDeps): Promise<Digest[]> {
  const keyId = deps.signer.keyId;
  const record = (await deps.store.platform.signingKeys()).find((key) => key.keyId === keyId);
  if (record === undefined) await publishSigningKey(deps);
  else if (record.validUntil !== null) {
    throw new Error(`this server's signing key ${keyId} was retired at ${new Date(record.validUntil).toISOString()}: give it the current key file (SECTRAIL_SIGNING_KEY) and it seals again`);
  }
  const now = deps.clock.now();
  const due = (day: number) => isDayClosed(dayFromEpochDay(day), now, deps.sealGraceSeconds);
  const made: Digest[] = [];
  for (const org of await deps.store.platform.sealProgress()) {
    const firstDay = epochDayOf(org.createdAt);
    for (let day = org.lastSealedDay === null ? firstDay : org.lastSealedDay + 1; due(day); day += 1) {
      made.push(await sealDay(deps, org.orgId, day, day === firstDay));
    }
  }
  return made;
}

/** Records the signer's key as in use from now (ending the previous key's window when it changed). */
export async function publishSigningKey(deps: Pick<SealingDeps, 'store' | 'clock' | 'signer'>): Promise<void> {
  await deps.store.transact((tx) => tx.useSigningKey({ keyId: deps.signer.keyId, publicKey: deps.signer.publicKey, announcement: null }, deps.clock.now()));
}

export function publishedKey(record: SigningKeyRecord): PublishedKey {
  return {
    keyId: record.keyId,
    algorithm: 'Ed25519',
    publicKey: record.publicKey,
    validFrom: new Date(record.validFrom).toISOString(),
    validUntil: record.validUntil === null ? null : new Date(record.validUntil).toISOString(),
    ...(record.announcement === null ? {} : { announcement: JSON.parse(record.announcement) as KeyAnnouncement }),
  };
}

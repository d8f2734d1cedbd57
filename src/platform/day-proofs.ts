// Reading what sealing produced: a sealed day's digest, an event's inclusion proof in its day's
// tree, and the published signing keys. Same caller and scope as the trail (see authorization.ts).
import { calendarDay, dayFromEpochDay } from '../core/day-window.ts';
import { notFound } from '../core/errors.ts';
import { chunkedInclusionPath, chunkOf } from '../core/integrity/chunked-tree.ts';
import type { Digest, PublishedKey } from '../core/integrity/digest.ts';
import { eventLeafHash } from '../core/integrity/leaf.ts';
import { verifyInclusion } from '../core/integrity/merkle.ts';
import type { InclusionProof } from '../core/integrity/proof.ts';
import type { Store } from '../core/ports/store.ts';
import type { Principal } from '../core/principal.ts';
import { proofNodes } from './day-tree-nodes.ts';
import type { PlatformDeps } from './platform-deps.ts';
import { publishedKey, storedDigest } from './sealing.ts';

export async function readDigest(deps: PlatformDeps, principal: Principal, date: { year: number; month: number; day: number }): Promise<Digest> {
  const day = calendarDay(date.year, date.month, date.day, deps.clock.now());
  const digest = await storedDigest(deps.store, principal.org.id, day.epochDay);
  if (digest === null) throw notFound(`A digest of ${day.iso} (a day is sealed after it ends and SECTRAIL_SEAL_GRACE_SECONDS pass)`);
  return digest;
}

export async function readProof(deps: PlatformDeps, principal: Principal, eventId: string): Promise<InclusionProof> {
  return proveEvent(deps.store, principal.org.id, eventId);
}

/**
 * The inclusion proof of one event of the org, from the tree nodes sealing kept and the events of
 * the event's chunk alone. The proof is checked against the signed root before it is given: events
 * that no longer match what was sealed are a server fault, never a wrong proof.
 */
export async function proveEvent(store: Store, orgId: string, eventId: string): Promise<InclusionProof> {
  const event = await store.trail.eventById(orgId, eventId);
  if (event === null) throw notFound('An event with this id');
  const digest = await storedDigest(store, orgId, event.epochDay);
  if (digest === null) throw notFound(`A proof of this event (its day, ${dayFromEpochDay(event.epochDay).iso}, is not sealed yet)`);
  const refuse = (what: string) => new Error(`org ${orgId}, ${digest.date}, seq ${String(event.seq)}: ${what}; no proof is given`);
  const leafIndex = event.seq - digest.firstSeq;
  if (leafIndex < 0 || leafIndex >= digest.treeSize) throw refuse(`outside the sealed seqs ${String(digest.firstSeq)} to ${String(digest.lastSeq)}`);
  const tree = await proofNodes(store, orgId, event.epochDay, digest, leafIndex);
  const { start, count } = chunkOf(leafIndex, digest.treeSize, tree.chunkSize);
  const firstSeq = digest.firstSeq + start;
  const query = { orgId, epochDay: event.epochDay, afterSeq: firstSeq - 1, throughSeq: firstSeq + count - 1, eventTypes: null };
  const rows = await store.trail.page(query, count);
  if (rows.length !== count || rows.some((row, i) => row.seq !== firstSeq + i)) throw refuse(`${String(rows.length)} of the ${String(count)} events of its chunk are stored`);
  const leaves = rows.map((row) => eventLeafHash(row.json, orgId));
  const leaf = leaves[leafIndex - start] as Buffer;
  const auditPath = chunkedInclusionPath(leaves, tree.nodes, tree.chunkSize, digest.treeSize, leafIndex);
  if (!verifyInclusion(leaf, leafIndex, digest.treeSize, auditPath, Buffer.from(digest.root, 'hex'))) {
    throw refuse('the stored events of its chunk, or the stored tree nodes, no longer make the signed root');
  }
  return {
    eventId,
    date: digest.date,
    seq: event.seq,
    leafIndex,
    treeSize: digest.treeSize,
    leafHash: leaf.toString('hex'),
    auditPath: auditPath.map((hash) => hash.toString('hex')),
    root: digest.root,
  };
}

export async function publishedKeys(deps: PlatformDeps): Promise<PublishedKey[]> {
  return (await deps.store.platform.signingKeys()).map(publishedKey);
}

// Reading what sealing produced: a sealed day's digest, an event's inclusion proof in its day's
// tree, and the published signing keys. Same caller and scope as the trail (see authorization.ts).
import { calendarDay, dayFromEpochDay } from '../core/day-window.ts';
import { notFound } from '../core/errors.ts';
import type { Digest, PublishedKey } from '../core/integrity/digest.ts';
import { eventLeafHash } from '../core/integrity/leaf.ts';
import { inclusionPath } from '../core/integrity/merkle.ts';
import type { InclusionProof } from '../core/integrity/proof.ts';
import type { Principal } from '../core/principal.ts';
import type { PlatformDeps } from './platform-deps.ts';
import { publishedKey, storedDigest } from './sealing.ts';

export async function readDigest(deps: PlatformDeps, principal: Principal, date: { year: number; month: number; day: number }): Promise<Digest> {
  const day = calendarDay(date.year, date.month, date.day, deps.clock.now());
  const digest = await storedDigest(deps.store, principal.org.id, day.epochDay);
  if (digest === null) throw notFound(`A digest of ${day.iso} (a day is sealed after it ends and SECTRAIL_SEAL_GRACE_SECONDS pass)`);
  return digest;
}

export async function readProof(deps: PlatformDeps, principal: Principal, eventId: string): Promise<InclusionProof> {
  const orgId = principal.org.id;
  const event = await deps.store.trail.eventById(orgId, eventId);
  if (event === null) throw notFound('An event with this id');
  const digest = await storedDigest(deps.store, orgId, event.epochDay);
  if (digest === null) throw notFound(`A proof of this event (its day, ${dayFromEpochDay(event.epochDay).iso}, is not sealed yet)`);
  const leaves: Buffer[] = [];
  for await (const batch of deps.store.trail.streamDay({ orgId, epochDay: event.epochDay, afterSeq: 0, eventTypes: null })) {
    for (const row of batch) leaves.push(eventLeafHash(row.json, orgId));
  }
  const leafIndex = event.seq - digest.firstSeq;
  const leaf = leaves[leafIndex];
  // The day as stored no longer matches its digest: refuse to prove anything from it.
  if (leaves.length !== digest.treeSize || leaf === undefined) throw new Error(`org ${orgId}, ${digest.date}: ${String(leaves.length)} events stored, ${String(digest.treeSize)} sealed`);
  return {
    eventId,
    date: digest.date,
    seq: event.seq,
    leafIndex,
    treeSize: digest.treeSize,
    leafHash: leaf.toString('hex'),
    auditPath: inclusionPath(leaves, leafIndex).map((hash) => hash.toString('hex')),
    root: digest.root,
  };
}

export async function publishedKeys(deps: PlatformDeps): Promise<PublishedKey[]> {
  return (await deps.store.platform.signingKeys()).map(publishedKey);
}

// The tree nodes a proof is answered from: kept by sealing, or, for a day sealed before they were
// kept, computed once from its events on the first proof asked of it, checked against its digest,
// and stored.
import { keptNodeCount, nodePositions, nodesAt } from '../core/integrity/chunked-tree.ts';
import type { Digest } from '../core/integrity/digest.ts';
import type { DayTreeNodes } from '../core/ports/platform-records.ts';
import type { Store } from '../core/ports/store.ts';
import { PROOF_CHUNK_SIZE, treeOfDay } from './sealing.ts';

interface Backfills {
  /** Days being computed, by org and day, so that a burst of proofs of one day hashes it once. */
  readonly running: Map<string, Promise<DayTreeNodes | null>>;
  /** The last computation queued: one day at a time, so old days cannot take the server's CPU. */
  tail: Promise<unknown>;
}

const backfills = new WeakMap<Store, Backfills>();

function backfillsOf(store: Store): Backfills {
  let found = backfills.get(store);
  if (found === undefined) {
    found = { running: new Map(), tail: Promise.resolve() };
    backfills.set(store, found);
  }
  return found;
}

/**
 * Hashes the sealed day again and stores its nodes; null when they were stored meanwhile (queued
 * behind a computation of the same day). Refuses, a server fault, when the events no longer make
 * the digest.
 */
async function computeTreeNodes(store: Store, orgId: string, epochDay: number, digest: Digest): Promise<DayTreeNodes | null> {
  if ((await store.platform.dayTreeNodes(orgId, epochDay, [])) !== null) return null;
  const tree = await treeOfDay(store, orgId, epochDay, digest.firstSeq, PROOF_CHUNK_SIZE);
  if (tree.treeSize !== digest.treeSize || tree.root !== digest.root) {
    throw new Error(`org ${orgId}, ${digest.date}: the stored events (${String(tree.treeSize)}) no longer make the sealed tree (${String(digest.treeSize)}); no proof is given from them`);
  }
  await store.transact((tx) => tx.saveDayTreeNodes(orgId, epochDay, tree.nodes));
  return tree.nodes;
}

/** The day's tree nodes, computed and stored unless they are (one day at a time, once per day). */
function backfill(store: Store, orgId: string, epochDay: number, digest: Digest): Promise<DayTreeNodes | null> {
  const state = backfillsOf(store);
  const key = `${orgId}/${String(epochDay)}`;
  let running = state.running.get(key);
  if (running === undefined) {
    running = state.tail.then(() => computeTreeNodes(store, orgId, epochDay, digest));
    state.tail = running.catch(() => undefined);
    const started = running;
    const done = () => {
      if (state.running.get(key) === started) state.running.delete(key);
    };
    void started.then(done, done);
    state.running.set(key, started);
  }
  return running;
}

export interface ProofNodes {
  readonly chunkSize: number;
  /** The kept nodes the proof needs, by position. */
  readonly nodes: ReadonlyMap<number, Buffer>;
}

/**
 * The kept nodes the proof of leaf `leafIndex` of the sealed day needs: read by position, in the
 * chunk size this server keeps or, when the day was kept in another, in that one.
 */
export async function proofNodes(store: Store, orgId: string, epochDay: number, digest: Digest, leafIndex: number): Promise<ProofNodes> {
  // Twice at most: once in this server's chunk size, once in the one the day was kept in; and once
  // more when the nodes were found stored after all while queued to compute them.
  for (let chunkSize = PROOF_CHUNK_SIZE, tries = 0; tries < 3; tries += 1) {
    const positions = nodePositions(digest.treeSize, chunkSize, leafIndex);
    const kept = await store.platform.dayTreeNodes(orgId, epochDay, positions);
    if (kept === null) {
      const tree = await backfill(store, orgId, epochDay, digest);
      if (tree !== null) return { chunkSize: tree.chunkSize, nodes: nodesAt(tree.nodes, nodePositions(digest.treeSize, tree.chunkSize, leafIndex)) };
      continue;
    }
    if (kept.chunkSize === chunkSize) {
      if (kept.nodeCount !== keptNodeCount(digest.treeSize, chunkSize)) {
        throw new Error(`org ${orgId}, ${digest.date}: ${String(kept.nodeCount)} tree nodes kept for ${String(digest.treeSize)} events; no proof is given from them`);
      }
      return { chunkSize, nodes: new Map(positions.map((position, i) => [position, kept.nodes[i] as Buffer])) };
    }
    chunkSize = kept.chunkSize;
  }
  throw new Error(`org ${orgId}, ${digest.date}: the tree nodes kept could not be read in their chunk size`);
}

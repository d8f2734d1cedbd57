// The chunk roots a proof is answered from: stored by sealing, or, for a day sealed before they
// were kept, computed once from its events on the first proof asked of it, checked against its
// digest, and stored.
import type { Digest } from '../core/integrity/digest.ts';
import type { DayChunkRoots } from '../core/ports/platform-records.ts';
import type { Store } from '../core/ports/store.ts';
import { PROOF_CHUNK_SIZE, treeOfDay } from './sealing.ts';

interface Backfills {
  /** Days being computed, by org and day, so that a burst of proofs of one day hashes it once. */
  readonly running: Map<string, Promise<DayChunkRoots>>;
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

/** Hashes the sealed day again; refuses (a server fault) when the events no longer make its digest. */
async function computeChunkRoots(store: Store, orgId: string, epochDay: number, digest: Digest): Promise<DayChunkRoots> {
  // Queued behind a computation of the same day that has finished since.
  const stored = await store.platform.dayChunkRoots(orgId, epochDay);
  if (stored !== null) return stored;
  const tree = await treeOfDay(store, orgId, epochDay, digest.firstSeq, PROOF_CHUNK_SIZE);
  if (tree.treeSize !== digest.treeSize || tree.root !== digest.root) {
    throw new Error(`org ${orgId}, ${digest.date}: the stored events (${String(tree.treeSize)}) no longer make the sealed tree (${String(digest.treeSize)}); no proof is given from them`);
  }
  await store.transact((tx) => tx.saveDayChunkRoots(orgId, epochDay, tree.chunks));
  return tree.chunks;
}

/** The day's chunk roots; for a day sealed before they were kept, computed and stored first. */
export async function sealedChunkRoots(store: Store, orgId: string, epochDay: number, digest: Digest): Promise<DayChunkRoots> {
  const stored = await store.platform.dayChunkRoots(orgId, epochDay);
  if (stored !== null) return stored;
  const state = backfillsOf(store);
  const key = `${orgId}/${String(epochDay)}`;
  let running = state.running.get(key);
  if (running === undefined) {
    running = state.tail.then(() => computeChunkRoots(store, orgId, epochDay, digest));
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

// Writing failed sign-ins to the org's log with flood protection (core/failure-folding.ts): in the
// failure's own transaction, the failure is written or folded into its window, kept in the store so
// that servers sharing it share the budget and a crash loses no count. A window's folded failures
// are written as one event when the window is over: by the next failure of its key, by the sweep
// the server runs every few seconds, or when the server stops.
import {
  foldedEvent,
  foldKeys,
  FOLD_WINDOW_MS,
  isWindowOver,
  placeFailure,
  withFolded,
  withWritten,
  type FailureDraft,
  type FailureFold,
} from '../core/failure-folding.ts';
import type { Transaction } from '../core/ports/store.ts';
import type { PlatformDeps } from './platform-deps.ts';

/** Keys read per batch, and batches per sweep: a backlog is written a bounded slice at a time. */
const SWEEP_BATCH = 100;
const SWEEP_BATCHES = 100;

/** The key's live window; one that is over is written out (when it folded anything) and forgotten. */
async function liveWindow(tx: Transaction, orgId: string, key: string, now: number): Promise<FailureFold | null> {
  const fold = await tx.failureFold(orgId, key);
  if (fold === null || !isWindowOver(fold, now)) return fold;
  await tx.deleteFailureFold(orgId, key);
  if (fold.folded !== null) tx.record(orgId, foldedEvent(fold.folded));
  return null;
}

/** Records a failed sign-in in the caller's transaction: written as it is, or folded into its window. */
export async function recordFailure(tx: Transaction, orgId: string, draft: FailureDraft, now: number): Promise<void> {
  const keys = foldKeys(draft);
  // Always in this order (client, any client, org), so that two transactions cannot deadlock.
  const client = await liveWindow(tx, orgId, keys.client, now);
  const anyClient = await liveWindow(tx, orgId, keys.anyClient, now);
  const org = await liveWindow(tx, orgId, keys.org, now);
  switch (placeFailure(client, org)) {
    case 'write':
      tx.record(orgId, draft);
      await tx.saveFailureFold(withWritten(client, orgId, keys.client, now));
      await tx.saveFailureFold(withWritten(org, orgId, keys.org, now));
      return;
    case 'client':
      await tx.saveFailureFold(withFolded(client, orgId, keys.client, draft, now));
      return;
    case 'anyClient':
      await tx.saveFailureFold(withFolded(anyClient, orgId, keys.anyClient, draft, now));
  }
}

/** Records a failed sign-in in a transaction of its own (a refusal that changes nothing else). */
export async function logFailure(deps: PlatformDeps, orgId: string, draft: FailureDraft): Promise<void> {
  await deps.store.transact((tx) => recordFailure(tx, orgId, draft, deps.clock.now()));
}

/**
 * Writes out the windows that started before `startedBefore` (those that are over by default, or
 * every window when the server stops): one transaction per key, each taking its key as a failure
 * would, so that a sweep on one server and failures on another never write a window twice.
 */
export async function flushFailureWindows(
  deps: PlatformDeps,
  // Over at `now` means started at or before now - FOLD_WINDOW_MS (see isWindowOver).
  startedBefore = deps.clock.now() - FOLD_WINDOW_MS + 1,
): Promise<number> {
  let flushed = 0;
  for (let batch = 0; batch < SWEEP_BATCHES; batch += 1) {
    const due = await deps.store.transact((tx) => tx.failureFoldsStartedBefore(startedBefore, SWEEP_BATCH));
    for (const { orgId, key } of due) {
      await deps.store.transact(async (tx) => {
        const fold = await tx.failureFold(orgId, key);
        if (fold === null || fold.windowStart >= startedBefore) return;
        await tx.deleteFailureFold(orgId, key);
        if (fold.folded !== null) tx.record(orgId, foldedEvent(fold.folded));
        flushed += 1;
      });
    }
    if (due.length < SWEEP_BATCH) break;
  }
  return flushed;
}

// Retention: the days older than SECTRAIL_RETENTION_DAYS leave the trail, and each org that lost
// events gets a `security_log.purged` event in the same transaction, saying which days and seqs
// went, so a purge is never mistaken for tampering. The server applies it at start and hourly
// (main.ts, with a PeriodicTask).
import { dayFromEpochDay } from '../core/day-window.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { Store } from '../core/ports/store.ts';
import { firstRetainedDay, type PurgedEvents } from '../core/retention.ts';

export interface RetentionDeps {
  readonly store: Store;
  readonly clock: Clock;
}

/** Purges every day before the retention window, logging it per org; what went, per org. */
export async function applyRetention(deps: RetentionDeps, context: RequestContext, retentionDays: number): Promise<PurgedEvents[]> {
  const firstKept = firstRetainedDay(deps.clock.now(), retentionDays);
  return deps.store.transact(async (tx) => {
    const purged = await tx.purgeEventsBefore(firstKept);
    for (const entry of purged) {
      tx.record(
        entry.orgId,
        draftEvent('security_log.purged', context, {
          retentionDays,
          firstRetainedDate: dayFromEpochDay(firstKept).iso,
          firstDate: dayFromEpochDay(entry.firstEpochDay).iso,
          lastDate: dayFromEpochDay(entry.lastEpochDay).iso,
          eventCount: entry.count,
          firstSeq: entry.firstSeq,
          lastSeq: entry.lastSeq,
        }),
      );
    }
    return purged;
  });
}

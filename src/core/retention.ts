// How long the trail keeps events: SECTRAIL_RETENTION_DAYS whole UTC days before today, then the
// older days go, each purge logged in the trail of every org that lost events.
import { epochDayOf } from './day-window.ts';

export const DEFAULT_RETENTION_DAYS = 400;
export const MAX_RETENTION_DAYS = 36_500;

/** What a purge removed from one org's trail. */
export interface PurgedEvents {
  readonly orgId: string;
  readonly count: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly firstEpochDay: number;
  readonly lastEpochDay: number;
}

/**
 * The first day kept at `nowMs`: today and the `retentionDays` days before it stay, every earlier
 * day goes. With 400, an event of 1 January is kept through 5 February of the next year.
 */
export function firstRetainedDay(nowMs: number, retentionDays: number): number {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new RangeError(`retention of ${String(retentionDays)} days`);
  return epochDayOf(nowMs) - retentionDays;
}

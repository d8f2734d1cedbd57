// The status line `sectrail pull` keeps on a terminal: a bar over the days asked for, the day being
// pulled, its events so far and the rate. Days are the unit: how many events a day holds is not
// known until its walk ends.
export interface PullProgress {
  /** The day being pulled, `YYYY-MM-DD`. */
  readonly date: string;
  /** Days finished before this one. */
  readonly daysDone: number;
  readonly days: number;
  /** Events of this day walked so far. */
  readonly events: number;
  /** Milliseconds since this day's walk began. */
  readonly elapsedMs: number;
}

const BAR_WIDTH = 24;

export function progressLine(progress: PullProgress): string {
  const days = Math.max(1, progress.days);
  const done = Math.min(days, Math.max(0, progress.daysDone));
  const filled = Math.round((done / days) * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
  const count = progress.events.toLocaleString('en-US');
  const rate = progress.elapsedMs > 0 ? `, ${Math.round((progress.events * 1000) / progress.elapsedMs).toLocaleString('en-US')} events/s` : '';
  return `${bar} day ${String(done + 1 > days ? days : done + 1)} of ${String(days)}: ${progress.date}, ${count} events${rate}`;
}

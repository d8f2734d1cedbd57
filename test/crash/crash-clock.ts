// The servers' clock across restarts (SECTRAIL_CLOCK_START). Each server starts its clock at an
// instant no earlier than any its predecessor could have reached, so time never runs backwards
// across a crash; now and then the next one starts just before midnight, so that days end, get
// sealed and are checked during the run.
const DAY_MS = 86_400_000;

export class CrashClock {
  private startMs: number;
  private startedAtRealMs: number;

  constructor(firstInstant: string) {
    this.startMs = Date.parse(firstInstant);
    if (Number.isNaN(this.startMs)) throw new Error(`not an instant: ${firstInstant}`);
    this.startedAtRealMs = Date.now();
  }

  /**
   * An upper bound of the running server's clock: it took its offset after it was spawned,
   * so it reads at most this.
   */
  now(): number {
    return this.startMs + (Date.now() - this.startedAtRealMs);
  }

  /** The ISO instant the next process starts at; before midnight by `beforeMidnightMs` when given. */
  next(beforeMidnightMs: number | null = null): string {
    let start = this.now() + 1;
    if (beforeMidnightMs !== null) start = Math.max(start, nextMidnight(start) - beforeMidnightMs);
    this.startMs = start;
    this.startedAtRealMs = Date.now();
    return new Date(start).toISOString();
  }

  /** The next process starts `afterMidnightMs` into the next day (or later, never backwards). */
  nextDay(afterMidnightMs: number): string {
    const start = Math.max(this.now() + 1, nextMidnight(this.now()) + afterMidnightMs);
    this.startMs = start;
    this.startedAtRealMs = Date.now();
    return new Date(start).toISOString();
  }
}

export function nextMidnight(ms: number): number {
  return (Math.floor(ms / DAY_MS) + 1) * DAY_MS;
}

/** The UTC dates from `first` to `last` (YYYY-MM-DD), inclusive. */
export function datesBetween(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let ms = Date.parse(`${first}T00:00:00Z`); ms <= Date.parse(`${last}T00:00:00Z`); ms += DAY_MS) {
    dates.push(new Date(ms).toISOString().slice(0, 10));
  }
  return dates;
}

export function dayBody(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number);
  if (year === undefined || month === undefined || day === undefined) throw new Error(`not a date: ${date}`);
  return { year, month, day };
}

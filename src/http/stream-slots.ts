// How many whole days may stream at once: a few per caller and a bound for the server. A whole day
// is one long answer whose cost grows with the day (and, on PostgreSQL, holds a trail connection
// while it flows), so a caller asking for many at once is refused rather than let it take the
// server's reads from everyone else.
export class StreamSlots {
  private readonly held = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly perCaller: number,
    private readonly overall: number,
  ) {}

  /** Takes a slot for the caller, and returns the function that gives it back (once); null when none is free. */
  take(caller: string): (() => void) | null {
    const mine = this.held.get(caller) ?? 0;
    if (mine >= this.perCaller || this.total >= this.overall) return null;
    this.held.set(caller, mine + 1);
    this.total += 1;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.total -= 1;
      const left = (this.held.get(caller) ?? 1) - 1;
      if (left === 0) this.held.delete(caller);
      else this.held.set(caller, left);
    };
  }
}

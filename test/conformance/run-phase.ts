// The phases every actor of a conformance run shares. Readers follow the log while writes go on,
// catch up after they stop, then meet at a barrier: once every reader is there no read can start
// (and log its own access) any more, so one last read each sees the same, final log.
export class RunPhase {
  private stopped = false;
  private arrived = 0;
  private release: () => void = () => {};
  private abandon: (error: unknown) => void = () => {};
  private readonly released: Promise<void>;
  private readonly deadline: number;

  constructor(
    private readonly readers: number,
    limitMs: number,
  ) {
    this.deadline = Date.now() + limitMs;
    this.released = new Promise((resolve, reject) => {
      this.release = resolve;
      this.abandon = reject;
    });
    // A barrier nobody reaches because a reader failed is not a second failure to report.
    this.released.catch(() => {});
  }

  /** True once every writer has had its last answer. */
  get writesStopped(): boolean {
    return this.stopped;
  }

  stopWrites(): void {
    this.stopped = true;
  }

  /** Called by each reader once caught up after the writes; resolves when all of them are. */
  async arrive(): Promise<void> {
    this.arrived += 1;
    if (this.arrived === this.readers) this.release();
    await this.released;
  }

  /** A reader failed: the others stop waiting for it. */
  abort(error: unknown): void {
    this.abandon(error);
  }

  /** Throws once the run has taken longer than it may, so that it always ends by itself. */
  checkTime(who: string): void {
    if (Date.now() > this.deadline) throw new Error(`${who} was still going when the run's time ran out`);
  }
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

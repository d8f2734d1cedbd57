// Work the server does on its own, now and then every so often (sealing, retention): a run never
// overlaps the previous one, a failed run is reported and tried again at the next tick, and
// stop() waits for a run under way.
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Runs now, then every interval; resolves when the first run is done. */
  start(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
    return this.runOnce();
  }

  /** One run; a run already under way is joined, not doubled. */
  runOnce(): Promise<void> {
    this.running ??= this.work()
      .catch(this.onError)
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

// Steps of the demo: each prints one numbered line once it has done what it says; the first that
// fails stops the run with its number, what it was doing and the HTTP answer it got.

export class DemoStepError extends Error {
  override readonly name = 'DemoStepError';
}

export class DemoRun {
  private count = 0;

  constructor(private readonly out: (line: string) => void) {}

  /** Runs one step and answers what it produced; `note` may say in a few words how it went. */
  async step<T>(label: string, work: () => Promise<T>, note?: (value: T) => string): Promise<T> {
    this.count += 1;
    let value: T;
    try {
      value = await work();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DemoStepError(`step ${this.count} failed: ${label}\n  ${reason}`, { cause: error });
    }
    this.say(`${String(this.count).padStart(3)}. ${label}${note === undefined ? '' : `: ${note(value)}`}`);
    return value;
  }

  say(line: string): void {
    this.out(line);
  }
}

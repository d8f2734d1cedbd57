// Runs async tasks one at a time, in the order they were queued: a single connection can hold only
// one transaction, and an awaited step inside it must not let another transaction interleave.
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  async idle(): Promise<void> {
    await this.tail;
  }
}

// The forwarder's state file: per (sink, format), per day, the last seq delivered and whether the
// day was complete (sealed) when delivered; and for --follow, the tail cursor. Written atomically
// (a temporary file, fsynced, renamed over the old one, the directory fsynced) after each batch a
// sink acknowledged, so a run killed at any moment resumes from what was durably delivered.
import { readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { invalidRequest } from '../core/errors.ts';

export interface DayCheckpoint {
  readonly lastSeq: number;
  readonly complete: boolean;
}

interface StateFile {
  readonly version: 1;
  readonly deliveries: Record<string, Record<string, DayCheckpoint>>;
  readonly follow: Record<string, { readonly cursor: string; readonly lastSeq: number }>;
}

export class Checkpoints {
  private constructor(
    private readonly path: string,
    private readonly state: StateFile,
  ) {}

  static load(path: string): Checkpoints {
    const absolute = resolve(path);
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Checkpoints(absolute, { version: 1, deliveries: {}, follow: {} });
      throw invalidRequest(`cannot read the state file ${absolute}: ${(error as Error).message}`);
    }
    let state: StateFile;
    try {
      state = JSON.parse(text) as StateFile;
    } catch {
      throw invalidRequest(`the state file ${absolute} is not JSON: move it away to start over`);
    }
    if (state.version !== 1 || typeof state.deliveries !== 'object' || typeof state.follow !== 'object') {
      throw invalidRequest(`the state file ${absolute} is not a sectrail pull state file`);
    }
    return new Checkpoints(absolute, state);
  }

  day(sinkKey: string, date: string): DayCheckpoint | undefined {
    return this.state.deliveries[sinkKey]?.[date];
  }

  delivered(sinkKey: string, date: string, checkpoint: DayCheckpoint): void {
    (this.state.deliveries[sinkKey] ??= {})[date] = checkpoint;
  }

  followCursor(sinkKey: string): { cursor: string; lastSeq: number } | undefined {
    return this.state.follow[sinkKey];
  }

  followed(sinkKey: string, cursor: string, lastSeq: number): void {
    this.state.follow[sinkKey] = { cursor, lastSeq };
  }

  private saving: Promise<void> = Promise.resolve();
  private saves = 0;

  /**
   * Replaces the file atomically and durably with the state as it is now, off the main thread;
   * saves happen one after another, in the order they were asked for.
   */
  persist(): Promise<void> {
    const text = `${JSON.stringify(this.state)}\n`;
    const temporary = `${this.path}.${String(process.pid)}.${String((this.saves += 1))}.tmp`;
    // A save that failed (its caller was told) does not stop the ones after it.
    this.saving = this.saving.catch(() => undefined).then(async () => {
      const file = await open(temporary, 'w', 0o600);
      try {
        await file.writeFile(text);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, this.path);
      const directory = await open(dirname(this.path), 'r');
      try {
        await directory.sync();
      } finally {
        await directory.close();
      }
    });
    return this.saving;
  }
}

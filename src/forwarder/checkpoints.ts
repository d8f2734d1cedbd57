// The forwarder's state file: per org, per (sink, format), per day, the last seq delivered and
// whether the day was complete (sealed) when delivered; and for --follow, the tail cursor. Per org,
// so that pulling two orgs into the same sink from one directory never mixes their checkpoints (an
// org's seq says nothing about another's). Written atomically
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

/** One org's checkpoints. */
interface OrgState {
  readonly deliveries: Record<string, Record<string, DayCheckpoint>>;
  readonly follow: Record<string, { readonly cursor: string; readonly lastSeq: number }>;
}

/** Version 1 kept one OrgState for whatever org the token named; version 2 keys them by org id. */
type StoredState = ({ readonly version: 1 } & OrgState) | { readonly version: 2; readonly orgs: Record<string, OrgState> };

interface StateFile {
  readonly version: 2;
  readonly orgs: Record<string, OrgState>;
}

function parsed(absolute: string, text: string): StateFile | null {
  let state: StoredState;
  try {
    state = JSON.parse(text) as StoredState;
  } catch {
    throw invalidRequest(`the state file ${absolute} is not JSON: move it away to start over`);
  }
  if (state.version === 2 && typeof state.orgs === 'object' && state.orgs !== null) return state;
  if (state.version === 1 && typeof state.deliveries === 'object' && typeof state.follow === 'object') return null;
  throw invalidRequest(`the state file ${absolute} is not a sectrail pull state file`);
}

export class Checkpoints {
  private readonly org: OrgState;

  private constructor(
    private readonly path: string,
    private readonly state: StateFile,
    orgId: string,
  ) {
    this.org = state.orgs[orgId] ??= { deliveries: {}, follow: {} };
  }

  /**
   * The checkpoints of one org in the file (an empty state when there is no file). A file written
   * before checkpoints were kept per org holds one org's: they are taken as this org's, the org
   * that file was used with.
   */
  static load(path: string, orgId: string): Checkpoints {
    const absolute = resolve(path);
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Checkpoints(absolute, { version: 2, orgs: {} }, orgId);
      throw invalidRequest(`cannot read the state file ${absolute}: ${(error as Error).message}`);
    }
    const state = parsed(absolute, text);
    if (state !== null) return new Checkpoints(absolute, state, orgId);
    const legacy = JSON.parse(text) as OrgState;
    return new Checkpoints(absolute, { version: 2, orgs: { [orgId]: { deliveries: legacy.deliveries, follow: legacy.follow } } }, orgId);
  }

  day(sinkKey: string, date: string): DayCheckpoint | undefined {
    return this.org.deliveries[sinkKey]?.[date];
  }

  delivered(sinkKey: string, date: string, checkpoint: DayCheckpoint): void {
    (this.org.deliveries[sinkKey] ??= {})[date] = checkpoint;
  }

  followCursor(sinkKey: string): { cursor: string; lastSeq: number } | undefined {
    return this.org.follow[sinkKey];
  }

  followed(sinkKey: string, cursor: string, lastSeq: number): void {
    this.org.follow[sinkKey] = { cursor, lastSeq };
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

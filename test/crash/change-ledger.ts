// Every change request the clients sent, by its X-Request-Id, and how it ended: acknowledged (a
// 2xx answer), dropped (no answer: in flight at the kill), or refused (any other status). The
// checks hold each one against the log.
import type { ChangeEventType } from './trail-event.ts';

export type Outcome = 'acked' | 'dropped' | 'refused';

export interface LedgerEntry {
  readonly requestId: string;
  readonly orgSlug: string;
  readonly eventType: ChangeEventType;
  readonly outcome: Outcome;
  /** The HTTP status, for answered requests. */
  readonly status: number | null;
  /** For a dropped request: whether it failed before the server was killed (it should not). */
  readonly droppedWhileUp: boolean;
  /** The id of what an acknowledged creation made, from its answer. */
  readonly createdId: string | null;
  readonly note: string;
}

export class ChangeLedger {
  private readonly entries = new Map<string, LedgerEntry>();
  /** Entries not yet checked against the log. */
  private pending: LedgerEntry[] = [];

  add(entry: LedgerEntry): void {
    if (this.entries.has(entry.requestId)) throw new Error(`request id ${entry.requestId} used twice`);
    this.entries.set(entry.requestId, entry);
    this.pending.push(entry);
  }

  get(requestId: string): LedgerEntry | undefined {
    return this.entries.get(requestId);
  }

  /** The entries added since the last call. */
  takePending(): LedgerEntry[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  all(): LedgerEntry[] {
    return [...this.entries.values()];
  }
}

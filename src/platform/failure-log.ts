// Flood protection for failure events: the first few failures per (org, reason, ip) in a window are
// written one by one; the rest of the window is folded into one event carrying their count, written
// when the window closes. Nothing is dropped silently.
import type { EventDraft } from '../core/events/envelope.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { Store } from '../core/ports/store.ts';

export interface FailureLogOptions {
  readonly windowMs?: number;
  readonly individuallyPerWindow?: number;
  /** Reports a failure to write (the caller's answer to the client does not wait on it). */
  readonly onError: (error: unknown) => void;
}

interface Window {
  readonly startedAt: number;
  written: number;
  folded: number;
  firstFoldedAt: number;
  lastFoldedAt: number;
  last: { orgId: string; draft: EventDraft<'login.failed'> } | null;
  timer: NodeJS.Timeout | null;
}

export class FailureLog {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;
  private readonly individually: number;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: FailureLogOptions,
  ) {
    this.windowMs = options.windowMs ?? 60_000;
    this.individually = options.individuallyPerWindow ?? 10;
  }

  /** Writes the failure now, or folds it into its window's summary. Resolves once it is durable or folded. */
  async record(orgId: string, draft: EventDraft<'login.failed'>): Promise<void> {
    const key = `${orgId}\u0000${draft.details.reason}\u0000${draft.context.ipAddress ?? ''}`;
    const now = this.clock.now();
    let window = this.windows.get(key);
    if (window === undefined || now - window.startedAt >= this.windowMs) {
      if (window !== undefined) await this.flush(key);
      window = { startedAt: now, written: 0, folded: 0, firstFoldedAt: 0, lastFoldedAt: 0, last: null, timer: null };
      this.windows.set(key, window);
    }
    if (window.written < this.individually) {
      window.written += 1;
      await this.store.transact(async (tx) => { tx.record(orgId, draft); });
      return;
    }
    if (window.folded === 0) window.firstFoldedAt = now;
    window.folded += 1;
    window.lastFoldedAt = now;
    window.last = { orgId, draft };
    window.timer ??= setTimeout(() => {
      this.flush(key).catch(this.options.onError);
    }, this.windowMs).unref();
  }

  private async flush(key: string): Promise<void> {
    const window = this.windows.get(key);
    this.windows.delete(key);
    if (window === undefined) return;
    if (window.timer !== null) clearTimeout(window.timer);
    if (window.last === null) return;
    const { orgId, draft } = window.last;
    const iso = (ms: number) => new Date(ms).toISOString();
    const summary: EventDraft<'login.failed'> =
      window.folded === 1
        ? draft
        : {
            ...draft,
            details: {
              ...draft.details,
              aggregated: { count: window.folded, firstAt: iso(window.firstFoldedAt), lastAt: iso(window.lastFoldedAt) },
            },
          };
    await this.store.transact(async (tx) => { tx.record(orgId, summary); });
  }

  /** Writes every pending summary; called on shutdown so nothing folded is lost. */
  async flushAll(): Promise<void> {
    for (const key of [...this.windows.keys()]) await this.flush(key);
  }
}

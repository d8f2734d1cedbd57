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
  private lastSweep = 0;

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
    const now = this.clock.now();
    await this.sweep(now);
    const reason = `${orgId}\u0000${draft.details.reason}`;
    const perAddress = await this.window(`${reason}\u0000${draft.context.ipAddress ?? ''}`, now);
    // Spread over many addresses, failures of one org and reason are folded all the same, into one
    // summary for the org: a botnet cannot flood an org's log any more than one address can.
    const perOrg = await this.window(`${reason}\u0000*`, now);
    const orgBudget = this.individually * 6;
    if (perAddress.written < this.individually && perOrg.written < orgBudget) {
      perAddress.written += 1;
      perOrg.written += 1;
      await this.store.transact(async (tx) => {
        tx.record(orgId, draft);
      });
      return;
    }
    const [key, window] = perAddress.written < this.individually ? [`${reason}\u0000*`, perOrg] : [`${reason}\u0000${draft.context.ipAddress ?? ''}`, perAddress];
    if (window.folded === 0) window.firstFoldedAt = now;
    window.folded += 1;
    window.lastFoldedAt = now;
    window.last = { orgId, draft };
    window.timer ??= setTimeout(() => {
      this.flush(key).catch(this.options.onError);
    }, this.windowMs).unref();
  }

  /** The key's current window; a new one when the last has ended, whose summary is written first. */
  private async window(key: string, now: number): Promise<Window> {
    let window = this.windows.get(key);
    if (window === undefined || now - window.startedAt >= this.windowMs) {
      if (window !== undefined) await this.flush(key);
      window = { startedAt: now, written: 0, folded: 0, firstFoldedAt: 0, lastFoldedAt: 0, last: null, timer: null };
      this.windows.set(key, window);
    }
    return window;
  }

  /** Ends every window older than the window length, writing the summaries of those that folded. */
  private async sweep(now: number): Promise<void> {
    if (now - this.lastSweep < this.windowMs / 4) return;
    this.lastSweep = now;
    for (const [key, window] of [...this.windows]) {
      if (now - window.startedAt >= this.windowMs) await this.flush(key);
    }
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

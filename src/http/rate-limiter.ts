// Fixed-window request counting per key (a token, or a client address). Windows are dropped as they
// expire, and at most `maxKeys` are kept: beyond that the oldest window goes first, so however many
// addresses a stranger sends from, memory stays bounded (the evicted caller merely starts afresh).
export interface RateDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window resets. */
  readonly resetSeconds: number;
}

interface Window {
  startedAt: number;
  count: number;
}

export class FixedWindowRateLimiter {
  private readonly windows = new Map<string, Window>();
  private lastSweep = 0;

  constructor(
    readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly maxKeys = 100_000,
  ) {}

  /** How many windows are kept now. */
  get size(): number {
    return this.windows.size;
  }

  private window(key: string, now: number): Window {
    if (now - this.lastSweep >= this.windowMs) this.sweep(now);
    let window = this.windows.get(key);
    if (window === undefined || now - window.startedAt >= this.windowMs) {
      // Re-inserted, so the map's order stays the order windows started in.
      this.windows.delete(key);
      if (this.windows.size >= this.maxKeys) this.evictOldest();
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    return window;
  }

  private decision(window: Window, now: number, allowed: boolean): RateDecision {
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, this.limit - window.count),
      resetSeconds: Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000)),
    };
  }

  /** Counts one request against the key. */
  take(key: string, now: number): RateDecision {
    const window = this.window(key, now);
    if (window.count >= this.limit) return this.decision(window, now, false);
    window.count += 1;
    return this.decision(window, now, true);
  }

  /** The key's standing without counting a request. */
  peek(key: string, now: number): RateDecision {
    const window = this.window(key, now);
    return this.decision(window, now, window.count < this.limit);
  }

  /** The first key is the window that started first (expired ones included): O(1), no sweep. */
  private evictOldest(): void {
    const oldest = this.windows.keys().next();
    if (oldest.done !== true) this.windows.delete(oldest.value);
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= this.windowMs) this.windows.delete(key);
    }
  }
}

// The server's clock. SECTRAIL_CLOCK_START (tests and demos) starts it at a given instant, after
// which it runs at real speed.
import type { Clock } from '../core/ports/clock.ts';

export class SystemClock implements Clock {
  private readonly offsetMs: number;

  constructor(startAtMs?: number) {
    this.offsetMs = startAtMs === undefined ? 0 : startAtMs - Date.now();
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }
}

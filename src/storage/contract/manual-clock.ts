// A clock that tests move by hand, to put events on both sides of midnight or turn time back.
import type { Clock } from '../../core/ports/clock.ts';

export class ManualClock implements Clock {
  constructor(private ms: number) {}

  now(): number {
    return this.ms;
  }

  set(ms: number): void {
    this.ms = ms;
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}

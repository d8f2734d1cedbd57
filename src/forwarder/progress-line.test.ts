// The terminal's status line fills its bar with the days finished, names the day under way, and
// never overflows its bar whatever the counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { progressLine } from './progress-line.ts';

test('shows the days finished as a bar, the day under way, its events and the rate', () => {
  assert.equal(
    progressLine({ date: '2025-05-03', daysDone: 2, days: 8, events: 12_345, elapsedMs: 2000 }),
    '[######------------------] day 3 of 8: 2025-05-03, 12,345 events, 6,173 events/s',
  );
  assert.equal(progressLine({ date: '2025-05-01', daysDone: 0, days: 1, events: 0, elapsedMs: 0 }), '[------------------------] day 1 of 1: 2025-05-01, 0 events');
});

test('keeps its bar 24 wide and its day within the range', () => {
  fc.assert(
    fc.property(fc.nat({ max: 1000 }), fc.nat({ max: 1000 }), fc.nat(), fc.nat(), (daysDone, days, events, elapsedMs) => {
      const line = progressLine({ date: '2025-05-01', daysDone, days, events, elapsedMs });
      const match = /^\[([#-]{24})\] day (\d+) of (\d+): /.exec(line);
      assert.ok(match, line);
      assert.ok(Number(match[2]) >= 1 && Number(match[2]) <= Number(match[3]), line);
    }),
  );
});

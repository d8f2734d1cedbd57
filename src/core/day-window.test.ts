import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { calendarDay, dayFromEpochDay, isDayClosed } from './day-window.ts';
import { SectrailError } from './errors.ts';

const NOW = Date.UTC(2025, 4, 17, 12);
const codeOf = (run: () => unknown): string | null => {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof SectrailError ? error.code : 'not a SectrailError';
  }
};

test('accepts real days from 1970-01-01 to today and names them in UTC', () => {
  assert.equal(calendarDay(1970, 1, 1, NOW).iso, '1970-01-01');
  assert.equal(calendarDay(2024, 2, 29, NOW).iso, '2024-02-29');
  assert.equal(calendarDay(2025, 5, 17, NOW).epochDay, Math.floor(NOW / 86_400_000));
});

test('refuses impossible dates as INVALID_DATE and days after today as DATE_IN_FUTURE', () => {
  for (const [y, m, d] of [[2023, 2, 29], [2025, 4, 31], [2025, 0, 1], [2025, 13, 1], [2025, 1, 0], [2025, 1, 32], [1969, 12, 31], [-5, 1, 1], [1900, 2, 29]]) {
    assert.equal(codeOf(() => calendarDay(y as number, m as number, d as number, NOW)), 'INVALID_DATE', `${y}-${m}-${d}`);
  }
  for (const [y, m, d] of [[2025, 5, 18], [2026, 1, 1], [10_000, 1, 1], [1e15, 1, 1]]) {
    assert.equal(codeOf(() => calendarDay(y as number, m as number, d as number, NOW)), 'DATE_IN_FUTURE', `${y}-${m}-${d}`);
  }
});

test('agrees with the platform calendar on every day from 1970 to 2400', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 157_000 }), (epochDay) => {
      const day = dayFromEpochDay(epochDay);
      const far = Date.UTC(2500, 0, 1);
      assert.equal(calendarDay(day.year, day.month, day.day, far).epochDay, epochDay);
    }),
  );
});

test('closes a day only after midnight plus the grace period', () => {
  const day = calendarDay(2025, 5, 16, NOW);
  const midnight = Date.UTC(2025, 4, 17);
  assert.equal(isDayClosed(day, midnight + 299_999, 300), false);
  assert.equal(isDayClosed(day, midnight + 300_000, 300), true);
});

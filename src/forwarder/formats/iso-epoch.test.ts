// A timestamp's epoch milliseconds read by position agree with Date.parse for every valid ISO
// timestamp, and with Date.UTC of its parts for anything shaped like one from the year 100 on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isoEpochMs } from './iso-epoch.ts';

const SHAPED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Date.UTC of the parts as written, the reading kept for anything in the served shape (Date.UTC takes years 0 to 99 as 19xx). */
function byParts(timestamp: string): number {
  const part = (start: number, end: number) => Number(timestamp.slice(start, end));
  return Date.UTC(part(0, 4), part(5, 7) - 1, part(8, 10), part(11, 13), part(14, 16), part(17, 19), part(20, 23));
}

test('a served timestamp reads as Date.parse reads it, across days and years', () => {
  fc.assert(
    fc.property(fc.array(fc.date({ min: new Date(-62e12), max: new Date(253e12), noInvalidDate: true }), { minLength: 1, maxLength: 20 }), (dates) => {
      for (const date of dates) {
        const iso = date.toISOString();
        assert.equal(isoEpochMs(iso), Date.parse(iso), iso);
      }
    }),
    { numRuns: 2000 },
  );
});

test('anything in the served shape from the year 100 on reads as Date.UTC of its parts, and anything else as Date.parse', () => {
  const shaped = fc.stringMatching(SHAPED);
  const other = fc.oneof(fc.string(), fc.constantFrom('2024-05-01T00:00:00Z', '2024-05-01', '+012024-05-01T00:00:00.000Z', '2024-05-01T00:00:00.000+01:00'));
  fc.assert(
    fc.property(fc.array(fc.oneof(shaped, other), { minLength: 1, maxLength: 20 }), (texts) => {
      for (const text of texts) assert.ok(Object.is(isoEpochMs(text), SHAPED.test(text) && !text.startsWith('00') ? byParts(text) : Date.parse(text)), text);
    }),
    { numRuns: 2000 },
  );
});

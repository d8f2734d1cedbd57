// Reading seq, id and date from an envelope's text gives what parsing it gives, whatever its
// details and actor hold; a text of another shape is parsed instead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { envelopeArbitrary } from '../../test/support/envelope-arbitrary.ts';
import { canonicalJson } from '../core/canonical-json.ts';
import { envelopeFields, formattedLine } from './delivery-line.ts';

test('reads seq, id and date from the served text as parsing would', () => {
  fc.assert(
    fc.property(envelopeArbitrary, (value) => {
      const text = canonicalJson(value);
      assert.deepEqual(envelopeFields(text), { seq: value.seq, id: value.id, date: value.timestamp.slice(0, 10) });
      const line = formattedLine(text, text);
      assert.equal(line.text, text);
      assert.deepEqual(line.event, JSON.parse(text));
    }),
    { numRuns: 2000 },
  );
});

test('parses a text it cannot read by position', () => {
  const odd = canonicalJson({ id: 'not-a-uuid', seq: 3, timestamp: '2025-05-17T00:00:00.000Z', ipAddress: null, outcome: 'success' });
  assert.equal(envelopeFields(odd), null);
  const line = formattedLine(odd, odd);
  assert.deepEqual([line.seq, line.id, line.date], [3, 'not-a-uuid', '2025-05-17']);
});

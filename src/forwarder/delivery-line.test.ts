// Reading seq, id and date from an envelope's text gives what parsing it gives, whatever its
// details and actor hold; a text of another shape is parsed instead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from '../core/canonical-json.ts';
import { envelopeFields, lineFromText } from './delivery-line.ts';

const tricky = fc.oneof(fc.string(), fc.constantFrom(',"seq":1,"timestamp":"1999-01-01', '"id":"', ',"ipAddress":', '\\', '"'));

const envelope = fc.record({
  id: fc.uuid(),
  seq: fc.integer({ min: 1, max: 2 ** 40 }),
  timestamp: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((date) => date.toISOString()),
  type: fc.constantFrom('login.failed', 'user.role.updated'),
  category: fc.constantFrom('user_access', 'role_privilege'),
  outcome: fc.constantFrom('success', 'failure'),
  user: fc.oneof(fc.constant(null), fc.record({ kind: fc.constant('user'), id: fc.uuid(), name: tricky, email: tricky })),
  ipAddress: fc.oneof(fc.constant(null), fc.ipV4()),
  userAgent: fc.oneof(fc.constant(null), tricky),
  endpoint: fc.oneof(fc.constant(null), tricky),
  requestId: fc.oneof(fc.constant(null), tricky),
  details: fc.dictionary(tricky, fc.oneof(tricky, fc.integer(), fc.record({ seq: fc.nat(), id: tricky, ipAddress: tricky }))),
});

test('reads seq, id and date from the served text as parsing would', () => {
  fc.assert(
    fc.property(envelope, (value) => {
      const text = canonicalJson(value);
      assert.deepEqual(envelopeFields(text), { seq: value.seq, id: value.id, date: value.timestamp.slice(0, 10) });
      const line = lineFromText((_event, native) => native, true, text);
      assert.equal(line.text, text);
      assert.deepEqual(line.event, JSON.parse(text));
    }),
    { numRuns: 2000 },
  );
});

test('parses a text it cannot read by position', () => {
  const odd = canonicalJson({ id: 'not-a-uuid', seq: 3, timestamp: '2025-05-17T00:00:00.000Z', ipAddress: null, outcome: 'success' });
  assert.equal(envelopeFields(odd), null);
  const line = lineFromText((_event, native) => native, true, odd);
  assert.deepEqual([line.seq, line.id, line.date], [3, 'not-a-uuid', '2025-05-17']);
});

// The fast leaf (orgId spliced into the stored canonical text) is byte for byte the leaf a verifier
// builds by parsing the served envelope and canonicalising it with orgId.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from '../canonical-json.ts';
import { leafOfEnvelope, leafOfStoredEnvelope } from './leaf.ts';

const tricky = fc.oneof(fc.string(), fc.constantFrom('"outcome":', ',"outcome":"x"', '\u2028', '\\', '"orgId":"x"', 'ü€😀'));

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
  details: fc.dictionary(tricky, fc.oneof(tricky, fc.integer(), fc.record({ outcome: tricky, orgId: tricky }))),
});

test('the spliced leaf equals the canonical JSON of the envelope with orgId', () => {
  fc.assert(
    fc.property(envelope, fc.uuid(), (value, orgId) => {
      assert.equal(leafOfStoredEnvelope(canonicalJson(value), orgId), leafOfEnvelope(value, orgId));
    }),
    { numRuns: 2000 },
  );
});

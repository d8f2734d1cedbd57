// The fast leaf (orgId spliced into the stored canonical text) is byte for byte the leaf a verifier
// builds by parsing the served envelope and canonicalising it with orgId.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { envelopeArbitrary } from '../../../test/support/envelope-arbitrary.ts';
import { canonicalJson } from '../canonical-json.ts';
import { leafOfEnvelope, leafOfStoredEnvelope } from './leaf.ts';

test('the spliced leaf equals the canonical JSON of the envelope with orgId', () => {
  fc.assert(
    fc.property(envelopeArbitrary, fc.uuid(), (value, orgId) => {
      assert.equal(leafOfStoredEnvelope(canonicalJson(value), orgId), leafOfEnvelope(value, orgId));
    }),
    { numRuns: 2000 },
  );
});

// Generated envelopes shaped like the trail's, with details and actor fields full of text that
// looks like the envelope's own keys: for the code that reads served envelopes by position.
import fc from 'fast-check';

export const awkwardText = fc.oneof(
  fc.string(),
  fc.constantFrom('"outcome":', ',"outcome":"x"', '"orgId":"x"', ',"seq":1,"timestamp":"1999-01-01', '"id":"', ',"ipAddress":', '\u2028', '\\', '"', 'ü€😀'),
);

export const envelopeArbitrary = fc.record({
  id: fc.uuid(),
  seq: fc.integer({ min: 1, max: 2 ** 40 }),
  timestamp: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((date) => date.toISOString()),
  type: fc.constantFrom('login.failed', 'user.role.updated'),
  category: fc.constantFrom('user_access', 'role_privilege'),
  outcome: fc.constantFrom('success', 'failure'),
  user: fc.oneof(fc.constant(null), fc.record({ kind: fc.constant('user'), id: fc.uuid(), name: awkwardText, email: awkwardText })),
  ipAddress: fc.oneof(fc.constant(null), fc.ipV4()),
  userAgent: fc.oneof(fc.constant(null), awkwardText),
  endpoint: fc.oneof(fc.constant(null), awkwardText),
  requestId: fc.oneof(fc.constant(null), awkwardText),
  details: fc.dictionary(
    awkwardText,
    fc.oneof(awkwardText, fc.integer(), fc.record({ outcome: awkwardText, orgId: awkwardText, seq: fc.nat(), id: awkwardText, ipAddress: awkwardText })),
  ),
});

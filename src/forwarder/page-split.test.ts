// Cutting a served page into its events gives back exactly the texts that were joined, whatever
// the values hold: commas, brackets, braces, quotes and backslashes inside strings included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { splitPage } from './page-split.ts';

const awkward = fc.string({ unit: fc.constantFrom('a', ',', '[', ']', '{', '}', '"', '\\', ':', ' ', 'é', '\n') });
const event = fc.record({ id: fc.uuid(), seq: fc.nat(), details: fc.dictionary(awkward, fc.oneof(awkward, fc.array(awkward), fc.record({ x: awkward }))) });

test('gives back each event as served, and the rest of the answer', () => {
  fc.assert(
    fc.property(fc.array(event, { maxLength: 20 }), fc.oneof(fc.constant(null), fc.string()), fc.boolean(), (events, token, complete) => {
      const texts = events.map((value) => JSON.stringify(value));
      const page = `{"result":[${texts.join(',')}],"nextPageToken":${JSON.stringify(token)},"complete":${String(complete)}}`;
      const split = splitPage(page);
      assert.deepEqual(split.texts, texts);
      assert.deepEqual(split.rest, { nextPageToken: token, complete });
    }),
    { numRuns: 1000 },
  );
});

test('refuses what is not a trail page', () => {
  assert.throws(() => splitPage('{"error":{"code":"X"}}'));
  assert.throws(() => splitPage('{"result":[{"a":1}'));
});

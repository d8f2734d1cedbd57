// Cutting a served page into its events gives back exactly the texts that were joined, whatever
// the values hold: commas, brackets, braces, quotes and backslashes inside strings included; and
// the paging fields read on their own are the ones served.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { eventTexts, pageInfo } from './page-split.ts';

const awkward = fc.string({ unit: fc.constantFrom('a', ',', '[', ']', '{', '}', '"', '\\', ':', ' ', 'é', '\n') });
const event = fc.record({ id: fc.uuid(), seq: fc.nat(), details: fc.dictionary(awkward, fc.oneof(awkward, fc.array(awkward), fc.record({ x: awkward }))) });
const token = fc.oneof(fc.constant(null), fc.string(), fc.constant('],"nextPageToken":"x"'));

test('gives back each event as served, and the paging fields', () => {
  fc.assert(
    fc.property(fc.array(event, { maxLength: 20 }), token, fc.boolean(), (events, nextPageToken, complete) => {
      const texts = events.map((value) => JSON.stringify(value));
      const page = `{"result":[${texts.join(',')}],"nextPageToken":${JSON.stringify(nextPageToken)},"complete":${String(complete)}}`;
      const info = pageInfo(page);
      assert.deepEqual({ nextPageToken: info.nextPageToken, complete: info.complete }, { nextPageToken, complete });
      assert.deepEqual(eventTexts(page, info), texts);
    }),
    { numRuns: 1000 },
  );
});

test('refuses what is not a trail page', () => {
  assert.throws(() => pageInfo('{"error":{"code":"X"}}'), /does not start/);
  assert.throws(() => pageInfo('{"result":[{"a":1}'), /no nextPageToken/);
  assert.throws(() => pageInfo('{"result":[],"nextPageToken":7,"complete":true}'), /not of its type/);
  // The paging fields are read, but the events do not close where they begin.
  assert.throws(() => eventTexts('{"result":[{"a":"],"nextPageToken":null,"complete":true}'), /does not end/);
  assert.throws(() => eventTexts('{"result":[{"a":1],"nextPageToken":null,"complete":true}'), /does not end/);
});

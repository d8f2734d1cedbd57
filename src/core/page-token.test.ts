import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { SectrailError } from './errors.ts';
import { decodePageToken, decodeTailCursor, encodePageToken, encodeTailCursor } from './page-token.ts';

const KEY = randomBytes(32);
const POSITION = { orgId: 'org-a', epochDay: 20_225, afterSeq: 41, pageSize: 100, eventTypes: ['login.failed'] };

const rejected = (run: () => unknown): boolean => {
  try {
    run();
    return false;
  } catch (error) {
    return error instanceof SectrailError && error.code === 'INVALID_PAGE_TOKEN';
  }
};

test('round-trips a page position for its own org and day', () => {
  const token = encodePageToken(KEY, POSITION);
  assert.deepEqual(decodePageToken(KEY, token, 'org-a', 20_225), POSITION);
});

test('rejects a page token minted for another org, another day or with another key', () => {
  const token = encodePageToken(KEY, POSITION);
  assert.ok(rejected(() => decodePageToken(KEY, token, 'org-b', 20_225)));
  assert.ok(rejected(() => decodePageToken(KEY, token, 'org-a', 20_226)));
  assert.ok(rejected(() => decodePageToken(randomBytes(32), token, 'org-a', 20_225)));
  assert.ok(rejected(() => decodePageToken(KEY, encodeTailCursor(KEY, { orgId: 'org-a', afterSeq: 1 }), 'org-a', 20_225)));
  assert.ok(rejected(() => decodeTailCursor(KEY, token, 'org-a')));
});

test('rejects every edited page token', () => {
  const token = encodePageToken(KEY, POSITION);
  fc.assert(
    fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'.split('')), (index, char) => {
      fc.pre(token[index] !== char);
      const edited = token.slice(0, index) + char + token.slice(index + 1);
      assert.ok(rejected(() => decodePageToken(KEY, edited, 'org-a', 20_225)), edited);
    }),
    { numRuns: 2000 },
  );
  assert.ok(rejected(() => decodePageToken(KEY, token.slice(0, -1), 'org-a', 20_225)));
  assert.ok(rejected(() => decodePageToken(KEY, `${token}A`, 'org-a', 20_225)));
  assert.ok(rejected(() => decodePageToken(KEY, '', 'org-a', 20_225)));
  assert.ok(rejected(() => decodePageToken(KEY, 'x'.repeat(10_000), 'org-a', 20_225)));
});

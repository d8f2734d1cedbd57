import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateTokenSecret, hashToken, isWellFormedToken, tokenFromAuthorization } from './access-token.ts';

test('makes sct_ tokens of 43 base64url characters, each different', () => {
  const tokens = new Set(Array.from({ length: 100 }, generateTokenSecret));
  assert.equal(tokens.size, 100);
  for (const token of tokens) assert.ok(isWellFormedToken(token), token);
});

test('reads the token from the seed\u2019s Token form, its quoted variant and Bearer', () => {
  const token = generateTokenSecret();
  assert.equal(tokenFromAuthorization(`Token token=${token}`), token);
  assert.equal(tokenFromAuthorization(`Token token="${token}"`), token);
  assert.equal(tokenFromAuthorization(`Bearer ${token}`), token);
  assert.equal(tokenFromAuthorization(`bearer ${token}`), token);
  assert.equal(tokenFromAuthorization(`Basic ${token}`), null);
  assert.equal(tokenFromAuthorization(`Token ${token}`), null);
  assert.equal(tokenFromAuthorization(undefined), null);
});

test('hashes with SHA-256 to lowercase hex', () => {
  assert.equal(hashToken('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

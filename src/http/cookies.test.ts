import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCookie, serializeCookie } from './cookies.ts';

test('reads the named cookie among others, the first when it is repeated', () => {
  assert.equal(readCookie('a=1; sectrail_session=abc; b=2', 'sectrail_session'), 'abc');
  assert.equal(readCookie('sectrail_session=first;sectrail_session=second', 'sectrail_session'), 'first');
  assert.equal(readCookie(' sectrail_session = "quoted" ', 'sectrail_session'), 'quoted');
  assert.equal(readCookie('sectrail_session=', 'sectrail_session'), '');
});

test('finds nothing for another name, a prefix of the name, or no header', () => {
  assert.equal(readCookie('sectrail_session_old=abc; other=1', 'sectrail_session'), null);
  assert.equal(readCookie('xsectrail_session=abc', 'sectrail_session'), null);
  assert.equal(readCookie('sectrail_session', 'sectrail_session'), null);
  assert.equal(readCookie(undefined, 'sectrail_session'), null);
});

test('writes HttpOnly cookies with SameSite, Path, Max-Age, and Secure only when asked', () => {
  assert.equal(
    serializeCookie('s', 'v', { maxAgeSeconds: 60, secure: false, sameSite: 'Lax' }),
    's=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax',
  );
  assert.equal(
    serializeCookie('s', '', { maxAgeSeconds: 0, secure: true, sameSite: 'Strict', path: '/api' }),
    's=; Path=/api; Max-Age=0; HttpOnly; SameSite=Strict; Secure',
  );
});

test('refuses a value that would break out of its cookie', () => {
  for (const value of ['a;b', 'a b', 'a,b', 'a"b', 'a\\b', 'a\nb']) {
    assert.throws(() => serializeCookie('s', value, { maxAgeSeconds: 1, secure: false, sameSite: 'Lax' }), value);
  }
  assert.throws(() => serializeCookie('a=b', 'v', { maxAgeSeconds: 1, secure: false, sameSite: 'Lax' }));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCanSignIn, changedAuthSettings, mergeAuthSettings, redactedAuthSettings } from './auth-settings-rules.ts';
import { DEFAULT_AUTH_SETTINGS } from './platform-model.ts';

const OKTA = { name: 'okta', issuer: 'https://okta.example', clientId: 'id', clientSecret: 's3cret' };

test('keeps a stored secret for a provider sent with *** or none, and takes a new one', () => {
  const stored = mergeAuthSettings(DEFAULT_AUTH_SETTINGS, { sso: { providers: [OKTA] } });
  const kept = mergeAuthSettings(stored, { sso: { providers: [{ ...OKTA, clientSecret: '***' }] } });
  const omitted = mergeAuthSettings(stored, { sso: { providers: [{ name: 'okta', issuer: OKTA.issuer, clientId: 'id' }] } });
  const replaced = mergeAuthSettings(stored, { sso: { providers: [{ ...OKTA, clientSecret: 'new' }] } });
  assert.equal(kept.sso?.providers[0]?.clientSecret, 's3cret');
  assert.equal(omitted.sso?.providers[0]?.clientSecret, 's3cret');
  assert.equal(replaced.sso?.providers[0]?.clientSecret, 'new');
  assert.deepEqual(changedAuthSettings(stored, kept), []);
  assert.deepEqual(changedAuthSettings(stored, replaced), ['sso']);
});

test('never shows a secret', () => {
  const settings = mergeAuthSettings(DEFAULT_AUTH_SETTINGS, { sso: { providers: [OKTA] } });
  assert.ok(!JSON.stringify(redactedAuthSettings(settings)).includes('s3cret'));
});

test('counts Google as a way in only when the operator configured it', () => {
  const googleOnly = { plainLogin: false, googleOAuth: true, sso: null };
  assert.throws(() => {
    assertCanSignIn(googleOnly, false);
  }, /no way to sign in/);
  assert.doesNotThrow(() => {
    assertCanSignIn(googleOnly, true);
  });
});

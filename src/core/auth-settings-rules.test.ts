import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertCanSignIn, changedAuthSettings, mergeAuthSettings, normalisedIssuer, redactedAuthSettings } from './auth-settings-rules.ts';
import { SectrailError } from './errors.ts';
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

test('normalises an issuer: lowercase scheme and host, no default port, no slash on a bare origin', () => {
  const same: [string, string][] = [
    ['https://okta.example', 'https://okta.example'],
    ['https://okta.example/', 'https://okta.example'],
    ['HTTPS://OKTA.Example:443/', 'https://okta.example'],
    ['https://okta.example:8443', 'https://okta.example:8443'],
    ['https://login.example/tenant/v2.0', 'https://login.example/tenant/v2.0'],
    ['https://login.example/realms/acme/', 'https://login.example/realms/acme/'],
    ['https://login.example/a/../realms/acme', 'https://login.example/realms/acme'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
    ['http://LOCALHOST:80', 'http://localhost'],
    ['http://[::1]:9000/', 'http://[::1]:9000'],
    ['https://b\u00fccher.example/', 'https://xn--bcher-kva.example'],
    [' https://okta.example ', 'https://okta.example'],
  ];
  for (const [issuer, normalised] of same) assert.equal(normalisedIssuer(issuer), normalised, issuer);
});

test('refuses an issuer with a query, fragment, credentials, a control character, or plain http off loopback', () => {
  const bad = ['https://okta.example/?a=1', 'https://okta.example/#top', 'https://u:p@okta.example', 'https://u@okta.example', 'http://okta.example', 'ftp://okta.example', 'okta.example', 'https://okta.example/\u0000', 'https://okta\u2028.example', 'https://okta.example\t'];
  for (const issuer of bad) {
    assert.throws(() => normalisedIssuer(issuer, 'sso.providers.0.issuer'), (error: unknown) => error instanceof SectrailError && error.code === 'INVALID_REQUEST', issuer);
  }
});

test('treats two spellings of one issuer as the same place for a kept secret', () => {
  const stored = mergeAuthSettings(DEFAULT_AUTH_SETTINGS, { sso: { providers: [{ ...OKTA, issuer: 'https://Okta.example/' }] } });
  assert.equal(stored.sso?.providers[0]?.issuer, 'https://okta.example');
  const kept = mergeAuthSettings(stored, { sso: { providers: [{ ...OKTA, issuer: 'HTTPS://okta.example:443', clientSecret: '***' }] } });
  assert.equal(kept.sso?.providers[0]?.clientSecret, 's3cret');
  // Stored before issuers were normalised: still compared in normalised form.
  const legacy = { ...DEFAULT_AUTH_SETTINGS, sso: { providers: [{ ...OKTA, issuer: 'https://OKTA.example/' }] } };
  assert.equal(mergeAuthSettings(legacy, { sso: { providers: [{ ...OKTA, clientSecret: '***' }] } }).sso?.providers[0]?.clientSecret, 's3cret');
  assert.throws(() => mergeAuthSettings(stored, { sso: { providers: [{ ...OKTA, issuer: 'https://okta.example/other', clientSecret: '***' }] } }), /clientSecret again/);
});

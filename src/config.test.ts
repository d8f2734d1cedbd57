import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, readConfig } from './config.ts';

const google = (issuer: string, clientId = 'client') => ({ SECTRAIL_GOOGLE_CLIENT_ID: clientId, SECTRAIL_GOOGLE_CLIENT_SECRET: 'secret', SECTRAIL_GOOGLE_ISSUER: issuer });

test('stores the operator\u2019s Google issuer normalised, and refuses one an org could not save', () => {
  assert.equal(readConfig(google('HTTPS://Accounts.Google.com:443/')).google?.issuer, 'https://accounts.google.com');
  assert.equal(readConfig({ SECTRAIL_GOOGLE_CLIENT_ID: 'c', SECTRAIL_GOOGLE_CLIENT_SECRET: 's' }).google?.issuer, 'https://accounts.google.com');
  for (const issuer of ['ftp://idp.example', 'http://idp.example', 'https://idp.example/\u0085', 'https://user:pw@idp.example', 'not a url']) {
    assert.throws(() => readConfig(google(issuer)), (error: unknown) => error instanceof ConfigError && error.message.startsWith('SECTRAIL_GOOGLE_ISSUER'), issuer);
  }
  assert.throws(() => readConfig(google('https://accounts.google.com', 'client\u2028id')), ConfigError);
});

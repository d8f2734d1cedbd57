import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OidcProviderUnavailableError } from '../../core/ports/oidc.ts';
import type { GuardedFetch } from '../../outbound/outbound-gateway.ts';
import { OpenidClientAdapter } from './openid-client-adapter.ts';

const provider = { name: 'okta', issuer: 'https://idp.example.test', clientId: 'client', clientSecret: 'secret' };
const request = { redirectUri: 'https://acme.example.test/cb', state: 's', nonce: 'n', codeChallenge: 'c' };

test('asks an unreachable provider once, however many sign-ins start meanwhile or soon after', async () => {
  let calls = 0;
  const unreachable: GuardedFetch = async () => {
    calls += 1;
    await new Promise((resolve) => setTimeout(resolve, 20));
    throw new TypeError('fetch failed');
  };
  const adapter = new OpenidClientAdapter(unreachable);
  const starts = await Promise.allSettled(Array.from({ length: 10 }, () => adapter.authorizationUrl(provider, request)));
  assert.ok(starts.every((start) => start.status === 'rejected' && start.reason instanceof OidcProviderUnavailableError));
  await assert.rejects(adapter.authorizationUrl(provider, request), OidcProviderUnavailableError);
  assert.equal(calls, 1);
});

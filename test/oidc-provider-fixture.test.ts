// The SSO test provider works end to end with openid-client as sectrail's SSO login uses it: code
// flow, PKCE S256, state, nonce, scope `openid email profile`, and the email_verified claim.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as client from 'openid-client';
import { CookieJar, startOidcProvider, type OidcTestProvider, type TestAccount } from './support/oidc-test-provider.ts';

const redirectUri = 'http://127.0.0.1:9/api/auth/sso/acme/callback';
const ada: TestAccount = { sub: 'ada', email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' };
const eve: TestAccount = { sub: 'eve', email: 'eve@example.com', email_verified: false, name: 'Eve Unverified' };

interface StartedLogin {
  readonly config: client.Configuration;
  readonly authorizationUrl: URL;
  readonly pkceCodeVerifier: string;
  readonly state: string;
  readonly nonce: string;
}

async function discover(provider: OidcTestProvider, clientAuth?: client.ClientAuth): Promise<client.Configuration> {
  return client.discovery(new URL(provider.issuer), provider.clientId, provider.clientSecret, clientAuth, {
    // openid-client marks this deprecated only to make it stand out; the test issuer is plain http on loopback.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    execute: [client.allowInsecureRequests],
  });
}

async function startLogin(provider: OidcTestProvider, clientAuth?: client.ClientAuth): Promise<StartedLogin> {
  const config = await discover(provider, clientAuth);
  const pkceCodeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authorizationUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { config, authorizationUrl, pkceCodeVerifier, state, nonce };
}

describe('the OpenID test provider', () => {
  let provider: OidcTestProvider;

  before(async () => {
    provider = await startOidcProvider({ redirectUri, accounts: [ada, eve] });
  });

  after(async () => {
    assert.deepEqual(provider.serverErrors, []);
    await provider.close();
  });

  test('signs an account in with code, PKCE, state and nonce and gives openid-client its verified email', async () => {
    const login = await startLogin(provider);
    assert.equal(login.authorizationUrl.origin, provider.issuer);
    const callback = new URL(await provider.followLogin(login.authorizationUrl.href, ada.sub));
    assert.equal(`${callback.origin}${callback.pathname}`, redirectUri);
    assert.equal(callback.searchParams.get('state'), login.state);
    assert.ok(callback.searchParams.get('code'));

    const tokens = await client.authorizationCodeGrant(login.config, callback, {
      pkceCodeVerifier: login.pkceCodeVerifier,
      expectedState: login.state,
      expectedNonce: login.nonce,
    });
    const claims = tokens.claims();
    assert.ok(claims);
    assert.equal(claims.iss, provider.issuer);
    assert.equal(claims.aud, provider.clientId);
    assert.equal(claims.sub, ada.sub);
    assert.equal(claims.nonce, login.nonce);
    assert.equal(claims['email'], ada.email);
    assert.equal(claims['email_verified'], true);
    assert.equal(claims['name'], ada.name);
  });

  test('passes email_verified false through for an account whose email is not verified', async () => {
    const login = await startLogin(provider);
    const callback = await provider.followLogin(login.authorizationUrl.href, eve.sub);
    const tokens = await client.authorizationCodeGrant(login.config, new URL(callback), {
      pkceCodeVerifier: login.pkceCodeVerifier,
      expectedState: login.state,
      expectedNonce: login.nonce,
    });
    assert.equal(tokens.claims()?.['email'], eve.email);
    assert.equal(tokens.claims()?.['email_verified'], false);
  });

  test('makes openid-client reject a callback whose state is not the one it sent, before redeeming the code', async () => {
    const login = await startLogin(provider);
    const callback = new URL(await provider.followLogin(login.authorizationUrl.href, ada.sub));
    const checks = { pkceCodeVerifier: login.pkceCodeVerifier, expectedNonce: login.nonce };
    await assert.rejects(
      client.authorizationCodeGrant(login.config, callback, { ...checks, expectedState: client.randomState() }),
      (error: unknown) => error instanceof client.ClientError && error.code === 'OAUTH_INVALID_RESPONSE',
    );
    const tokens = await client.authorizationCodeGrant(login.config, callback, { ...checks, expectedState: login.state });
    assert.equal(tokens.claims()?.sub, ada.sub);
  });

  test('makes openid-client reject an ID token whose nonce is not the one it sent', async () => {
    const login = await startLogin(provider);
    const callback = await provider.followLogin(login.authorizationUrl.href, ada.sub);
    await assert.rejects(
      client.authorizationCodeGrant(login.config, new URL(callback), {
        pkceCodeVerifier: login.pkceCodeVerifier,
        expectedState: login.state,
        expectedNonce: client.randomNonce(),
      }),
      (error: unknown) => error instanceof client.ClientError && error.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
    );
  });

  test('refuses to redeem a code with a PKCE verifier other than the one behind the challenge', async () => {
    const login = await startLogin(provider);
    const callback = await provider.followLogin(login.authorizationUrl.href, ada.sub);
    await assert.rejects(
      client.authorizationCodeGrant(login.config, new URL(callback), {
        pkceCodeVerifier: client.randomPKCECodeVerifier(),
        expectedState: login.state,
        expectedNonce: login.nonce,
      }),
      (error: unknown) => error instanceof client.ResponseBodyError && error.error === 'invalid_grant',
    );
  });

  test('refuses a code that was already redeemed', async () => {
    const login = await startLogin(provider);
    const callback = new URL(await provider.followLogin(login.authorizationUrl.href, ada.sub));
    const checks = { pkceCodeVerifier: login.pkceCodeVerifier, expectedState: login.state, expectedNonce: login.nonce };
    await client.authorizationCodeGrant(login.config, callback, checks);
    await assert.rejects(
      client.authorizationCodeGrant(login.config, callback, checks),
      (error: unknown) => error instanceof client.ResponseBodyError && error.error === 'invalid_grant',
    );
  });

  test('sends the browser back with invalid_request when the authorization request has no PKCE challenge', async () => {
    const login = await startLogin(provider);
    const withoutPkce = new URL(login.authorizationUrl);
    withoutPkce.searchParams.delete('code_challenge');
    withoutPkce.searchParams.delete('code_challenge_method');
    const callback = new URL(await provider.followLogin(withoutPkce.href, ada.sub));
    assert.equal(callback.searchParams.get('error'), 'invalid_request');
    assert.equal(callback.searchParams.get('state'), login.state);
    assert.equal(callback.searchParams.get('code'), null);
  });

  test('sends the browser back with access_denied for an account it does not know, which openid-client raises', async () => {
    const login = await startLogin(provider);
    const callback = new URL(await provider.followLogin(login.authorizationUrl.href, 'nobody'));
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    await assert.rejects(
      client.authorizationCodeGrant(login.config, callback, {
        pkceCodeVerifier: login.pkceCodeVerifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
      }),
      (error: unknown) => error instanceof client.AuthorizationResponseError && error.error === 'access_denied',
    );
  });

  test('keeps the login cookies in the jar the caller passes', async () => {
    const jar = new CookieJar();
    const login = await startLogin(provider);
    await provider.followLogin(login.authorizationUrl.href, ada.sub, jar);
    assert.match(jar.header(new URL('/auth', provider.issuer)) ?? '', /_session=/);
  });
});

test('serves email, email_verified and name from userinfo when the ID token carries only sub', async () => {
  const provider = await startOidcProvider({ redirectUri, accounts: [ada], claimsInIdToken: false });
  try {
    const login = await startLogin(provider);
    const callback = await provider.followLogin(login.authorizationUrl.href, ada.sub);
    const tokens = await client.authorizationCodeGrant(login.config, new URL(callback), {
      pkceCodeVerifier: login.pkceCodeVerifier,
      expectedState: login.state,
      expectedNonce: login.nonce,
    });
    const claims = tokens.claims();
    assert.ok(claims);
    assert.equal(claims['email'], undefined);
    const userinfo = await client.fetchUserInfo(login.config, tokens.access_token, claims.sub);
    assert.deepEqual(
      { email: userinfo.email, email_verified: userinfo.email_verified, name: userinfo.name },
      { email: ada.email, email_verified: true, name: ada.name },
    );
  } finally {
    await provider.close();
  }
});

test('authenticates a client registered for client_secret_basic when openid-client is told to', async () => {
  const provider = await startOidcProvider({ redirectUri, accounts: [ada], tokenEndpointAuthMethod: 'client_secret_basic' });
  try {
    const login = await startLogin(provider, client.ClientSecretBasic(provider.clientSecret));
    const callback = await provider.followLogin(login.authorizationUrl.href, ada.sub);
    const tokens = await client.authorizationCodeGrant(login.config, new URL(callback), {
      pkceCodeVerifier: login.pkceCodeVerifier,
      expectedState: login.state,
      expectedNonce: login.nonce,
    });
    assert.equal(tokens.claims()?.['email'], ada.email);
  } finally {
    await provider.close();
  }
});

test('makes discovery fail with a network error once the provider is stopped', async () => {
  const provider = await startOidcProvider({ redirectUri, accounts: [ada] });
  await discover(provider);
  await provider.close();
  await provider.close();
  await assert.rejects(discover(provider), (error: unknown) => error instanceof TypeError && error.message === 'fetch failed');
});

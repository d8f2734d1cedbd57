// The SSO tests' OpenID provider: the demo's own (a real oidc-provider on 127.0.0.1 with a scripted
// login), under the names the tests use.
export {
  CookieJar,
  startIdentityProvider as startOidcProvider,
  type IdentityProvider as OidcTestProvider,
  type IdentityProviderOptions as OidcProviderOptions,
  type ProviderAccount as TestAccount,
} from '../../src/cli/demo/demo-identity-provider.ts';

// The OpenID Connect relying party as the SSO use case sees it: build the authorization URL, then
// redeem the callback for the identity the provider vouches for.
export interface OidcProviderConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface AuthorizationRequest {
  readonly redirectUri: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeChallenge: string;
}

export interface CallbackChecks {
  /** The callback URL as the provider sent the browser to it: public origin, path and full query. */
  readonly callbackUrl: string;
  readonly codeVerifier: string;
  readonly state: string;
  readonly nonce: string;
}

export interface VerifiedIdentity {
  readonly subject: string;
  readonly email: string | null;
  readonly emailVerified: boolean;
  readonly name: string | null;
}

/** The provider could not be reached (502 SSO_PROVIDER_UNAVAILABLE), as opposed to refusing. */
export class OidcProviderUnavailableError extends Error {
  override readonly name = 'OidcProviderUnavailableError';
}

export interface OidcClient {
  /** The provider's authorization URL for a code flow with PKCE S256, state, nonce. */
  authorizationUrl(provider: OidcProviderConfig, request: AuthorizationRequest): Promise<string>;
  /** Checks state, nonce and PKCE and returns the identity; throws on any mismatch or provider error. */
  redeem(provider: OidcProviderConfig, checks: CallbackChecks): Promise<VerifiedIdentity>;
}

// The OidcClient port on openid-client: discovery cached per provider, the code flow with PKCE S256,
// state and nonce, and the email claims from the ID token or, when absent there, from userinfo.
// Every request goes through the fetch it is given: the outbound gateway's, checked connections.
import * as oidc from 'openid-client';
import { DestinationRefusedError } from '../../core/ports/destination-check.ts';
import type { GuardedFetch, GuardedRequestInit } from '../../outbound/outbound-gateway.ts';
import {
  OidcProviderUnavailableError,
  type CallbackChecks,
  type OidcClient,
  type OidcProviderConfig,
  type VerifiedIdentity,
} from '../../core/ports/oidc.ts';

const DISCOVERY_TTL_MS = 10 * 60_000;
/**
 * A failed discovery is answered from memory this long: anyone may start a sign-in, and each start
 * would otherwise send the server to an unreachable provider again, for up to 10 s each time.
 */
const FAILED_DISCOVERY_TTL_MS = 30_000;
const SCOPE = 'openid email profile';

function isLoopbackHttp(issuer: string): boolean {
  const url = new URL(issuer);
  return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '[::1]' || url.hostname.startsWith('127.'));
}

/**
 * A network failure (fetch's "fetch failed", a timeout, a destination the policy refused) rather
 * than an answer from the provider, anywhere in the chain of causes.
 */
function unreachable(error: unknown): boolean {
  for (let candidate = error, depth = 0; candidate instanceof Error && depth < 5; candidate = candidate.cause, depth++) {
    if (candidate instanceof TypeError && candidate.message === 'fetch failed') return true;
    if (candidate.name === 'TimeoutError' || candidate.name === 'AbortError') return true;
    if (candidate instanceof DestinationRefusedError) return true;
  }
  return false;
}

interface Discovery {
  readonly result: Promise<oidc.Configuration>;
  /** When the result stops being used; in flight, never (so that concurrent starts share one). */
  expiresAt: number;
}

export class OpenidClientAdapter implements OidcClient {
  private readonly discoveries = new Map<string, Discovery>();

  /** Makes every request: discovery, and (kept on the Configuration) the token and userinfo ones. */
  private readonly fetch: oidc.CustomFetch;

  constructor(fetch: GuardedFetch) {
    // The cast only bridges TypeScript's two views of a Uint8Array body (ArrayBufferLike or not).
    this.fetch = (url, options) => fetch(url, options as GuardedRequestInit);
  }

  private key(provider: OidcProviderConfig): string {
    return `${provider.issuer}\u0000${provider.clientId}\u0000${provider.clientSecret}`;
  }

  private forget(provider: OidcProviderConfig): void {
    this.discoveries.delete(this.key(provider));
  }

  /** The provider's metadata: one discovery at a time per provider, kept 10 minutes, a failure 30 s. */
  private configuration(provider: OidcProviderConfig): Promise<oidc.Configuration> {
    const key = this.key(provider);
    const known = this.discoveries.get(key);
    if (known !== undefined && Date.now() < known.expiresAt) return known.result;
    const discovery: Discovery = { result: this.discover(provider), expiresAt: Number.POSITIVE_INFINITY };
    this.discoveries.set(key, discovery);
    discovery.result.then(
      () => {
        discovery.expiresAt = Date.now() + DISCOVERY_TTL_MS;
      },
      () => {
        discovery.expiresAt = Date.now() + FAILED_DISCOVERY_TTL_MS;
      },
    );
    return discovery.result;
  }

  private async discover(provider: OidcProviderConfig): Promise<oidc.Configuration> {
    try {
      // Plain http is allowed for loopback issuers only (local providers and tests); the
      // settings refuse any other http issuer.
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the documented switch for that case
      const execute = isLoopbackHttp(provider.issuer) ? [oidc.allowInsecureRequests] : [];
      const config = await oidc.discovery(new URL(provider.issuer), provider.clientId, provider.clientSecret, undefined, {
        execute,
        timeout: 10,
        [oidc.customFetch]: this.fetch,
      });
      return config;
    } catch (error) {
      throw new OidcProviderUnavailableError(`discovery of ${provider.issuer} failed`, { cause: error });
    }
  }

  async authorizationUrl(provider: OidcProviderConfig, request: { redirectUri: string; state: string; nonce: string; codeChallenge: string }): Promise<string> {
    const config = await this.configuration(provider);
    try {
      return oidc.buildAuthorizationUrl(config, {
        redirect_uri: request.redirectUri,
        scope: SCOPE,
        code_challenge: request.codeChallenge,
        code_challenge_method: 'S256',
        state: request.state,
        nonce: request.nonce,
      }).href;
    } catch (error) {
      // Metadata without a usable authorization endpoint: the provider is not usable, not our fault.
      this.forget(provider);
      throw new OidcProviderUnavailableError(`${provider.issuer} has no usable authorization endpoint`, { cause: error });
    }
  }

  async redeem(provider: OidcProviderConfig, checks: CallbackChecks): Promise<VerifiedIdentity> {
    const config = await this.configuration(provider);
    try {
      const tokens = await oidc.authorizationCodeGrant(config, new URL(checks.callbackUrl), {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (claims === undefined) throw new Error('the provider sent no ID token');
      let source: Record<string, unknown> = claims;
      if (typeof claims['email'] !== 'string') {
        source = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
      }
      return {
        subject: claims.sub,
        email: typeof source['email'] === 'string' ? source['email'] : null,
        emailVerified: source['email_verified'] === true,
        name: typeof source['name'] === 'string' ? source['name'] : null,
      };
    } catch (error) {
      if (unreachable(error)) throw new OidcProviderUnavailableError(`${provider.issuer} could not be reached`, { cause: error });
      throw error;
    }
  }
}

export const randomPkceVerifier = (): string => oidc.randomPKCECodeVerifier();
export const pkceChallenge = (verifier: string): Promise<string> => oidc.calculatePKCECodeChallenge(verifier);
export const randomState = (): string => oidc.randomState();
export const randomNonce = (): string => oidc.randomNonce();

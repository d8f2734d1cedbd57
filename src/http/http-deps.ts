// What the HTTP layer is given by the composition root.
import type { AuthSettingsDeps } from '../platform/auth-settings.ts';
import type { SsoDeps } from '../platform/sso/sso-login.ts';
import type { TokenAuthenticationDeps } from '../platform/token-authentication.ts';
import type { TrailDeps } from '../platform/security-log.ts';

export interface HttpDeps extends TrailDeps, TokenAuthenticationDeps, AuthSettingsDeps, SsoDeps {
  /** Hosts ending in this domain name their org in the first label. */
  readonly baseDomain: string;
  readonly rateLimitPerMinute: number;
  /** SECTRAIL_PUBLIC_URL: the base of links the server hands out; null to use the request's origin. */
  readonly publicUrl: string | null;
}

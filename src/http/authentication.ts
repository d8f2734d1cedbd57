// Authentication for routes: the org from the Host, then an access token (the Authorization
// header) or a person's session (the cookie, when no Authorization header is sent). One identical
// 401 for every failure. A change made with the cookie must come from this site and carry the
// session's CSRF token.
import type { FastifyRequest } from 'fastify';
import { unauthenticated } from '../core/errors.ts';
import type { Org } from '../core/platform-model.ts';
import type { Principal } from '../core/principal.ts';
import { csrfTokenMatches } from '../core/session-policy.ts';
import { authenticateSession, refuseForgeableChange } from '../platform/sessions.ts';
import { authenticateToken, tokenWouldAuthenticate } from '../platform/token-authentication.ts';
import { sessionSecretOf } from './cookies.ts';
import type { HttpDeps } from './http-deps.ts';
import type { RateLimits } from './rate-limit-hook.ts';
import { contextOf } from './request-context.ts';
import { orgSlugFromHost } from './tenancy.ts';

export type Authenticate = (request: FastifyRequest) => Promise<void>;

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Whether a browser sent this request from another site: its Origin is not this server's (as the
 * request addressed it, or SECTRAIL_PUBLIC_URL), or, without an Origin, Sec-Fetch-Site says so.
 * Sibling org hosts are other sites here, though a browser calls them same-site for SameSite.
 */
export function isCrossSite(deps: HttpDeps, request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) {
    const site = request.headers['sec-fetch-site'];
    return site !== undefined && site !== 'same-origin' && site !== 'none';
  }
  const given = originOf(origin);
  const own = [originOf(`${request.protocol}://${request.host}`), deps.publicUrl === null ? null : originOf(deps.publicUrl)];
  return given === null || !own.includes(given);
}

export const CSRF_HEADER = 'x-csrf-token';

function csrfHeaderOf(request: FastifyRequest): string | undefined {
  const value = request.headers[CSRF_HEADER];
  return typeof value === 'string' ? value : undefined;
}

/** The org the Host names; null when it names none; a Host naming no existing org is a 401. */
async function hostOrgOf(deps: HttpDeps, request: FastifyRequest): Promise<Org | null> {
  const slug = orgSlugFromHost(request.headers.host, deps.baseDomain);
  const hostOrg = slug === null ? null : await deps.store.platform.orgBySlug(slug);
  if (slug !== null && hostOrg === null) throw unauthenticated();
  return hostOrg;
}

async function bySession(deps: HttpDeps, request: FastifyRequest, secret: string, hostOrg: Org | null): Promise<Principal> {
  const principal = await authenticateSession(deps, { secret, hostOrg });
  if (!CHANGES.has(request.method)) return principal;
  if (isCrossSite(deps, request)) await refuseForgeableChange(deps, principal, contextOf(request), 'cross_site_request');
  if (!csrfTokenMatches(secret, csrfHeaderOf(request))) await refuseForgeableChange(deps, principal, contextOf(request), 'csrf_token_invalid');
  return principal;
}

/**
 * Authenticates by token or session and counts the request against the right budget: the token's
 * once it has authenticated, else the client address's (already counted, for a request without an
 * Authorization header). While the address's budget is spent, a header that names no usable token
 * is refused at once, before anything is logged.
 */
export function makeAuthenticate(deps: HttpDeps, limits: RateLimits): Authenticate {
  return async (request) => {
    const authorization = request.headers.authorization;
    const tokenSent = authorization !== undefined;
    try {
      const hostOrg = await hostOrgOf(deps, request);
      if (tokenSent && limits.addressSpent(request) && !(await tokenWouldAuthenticate(deps, { authorization, hostOrg }))) {
        limits.chargeAddress(request);
      }
      // An Authorization header wins: a script holding a token means the token, not a stray cookie.
      const secret = tokenSent ? null : sessionSecretOf(request);
      request.principal =
        secret === null
          ? await authenticateToken(deps, { authorization, hostOrg, context: contextOf(request) })
          : await bySession(deps, request, secret, hostOrg);
    } catch (error) {
      if (tokenSent && request.rateDecision === null) limits.chargeAddress(request);
      throw error;
    }
    const { credential } = request.principal;
    if (credential.kind === 'token') limits.chargeToken(request, credential.token.id);
  };
}

/** Authentication by the session cookie alone, whatever else the request carries (logout). */
export function makeSessionAuthenticate(deps: HttpDeps): Authenticate {
  return async (request) => {
    const hostOrg = await hostOrgOf(deps, request);
    const secret = sessionSecretOf(request);
    if (secret === null) throw unauthenticated();
    request.principal = await bySession(deps, request, secret, hostOrg);
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw unauthenticated();
  return request.principal;
}

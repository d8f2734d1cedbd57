// Token authentication for routes: the org from the Host (or the token), the principal on the
// request, and one identical 401 for every failure.
import type { FastifyRequest } from 'fastify';
import { unauthenticated } from '../core/errors.ts';
import type { Principal } from '../core/principal.ts';
import { authenticateToken } from '../platform/token-authentication.ts';
import type { HttpDeps } from './http-deps.ts';
import { contextOf } from './request-context.ts';
import { orgSlugFromHost } from './tenancy.ts';

export type Authenticate = (request: FastifyRequest) => Promise<void>;

export function makeAuthenticate(deps: HttpDeps, onFailure: (request: FastifyRequest) => void): Authenticate {
  return async (request) => {
    try {
      const slug = orgSlugFromHost(request.headers.host, deps.baseDomain);
      const hostOrg = slug === null ? null : await deps.store.platform.orgBySlug(slug);
      // A host naming no org looks exactly like a bad token.
      if (slug !== null && hostOrg === null) throw unauthenticated();
      request.principal = await authenticateToken(deps, {
        authorization: request.headers.authorization,
        hostOrg,
        context: contextOf(request),
      });
    } catch (error) {
      onFailure(request);
      throw error;
    }
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw unauthenticated();
  return request.principal;
}

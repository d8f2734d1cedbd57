// The request facts every event carries: actor, client IP (X-Forwarded-For only from trusted
// proxies, which fastify's trustProxy applies), user agent, route pattern and request id.
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../core/events/envelope.ts';
import type { Principal } from '../core/principal.ts';
import { actorOf } from '../core/principal.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const MAX_USER_AGENT = 512;

export function endpointOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0] ?? ''}`;
}

export function contextOf(request: FastifyRequest): RequestContext {
  const userAgent = request.headers['user-agent'];
  return {
    actor: request.principal === null ? null : actorOf(request.principal.owner),
    ipAddress: request.ip,
    userAgent: userAgent === undefined ? null : userAgent.slice(0, MAX_USER_AGENT),
    endpoint: endpointOf(request),
    requestId: request.id,
  };
}

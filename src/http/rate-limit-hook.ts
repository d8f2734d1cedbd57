// Request rate limits: per token for authenticated calls, per IP otherwise, and failed
// authentications also count against their IP so that spraying tokens is slowed down too.
// Every answer carries X-RateLimit-*; a refused one is 429 RATE_LIMITED with Retry-After.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashToken, isWellFormedToken, tokenFromAuthorization } from '../core/access-token.ts';
import { rateLimited } from '../core/errors.ts';
import type { HttpDeps } from './http-deps.ts';
import { FixedWindowRateLimiter } from './rate-limiter.ts';

export interface RateLimitHandle {
  countFailure(request: FastifyRequest): void;
}

export function installRateLimit(app: FastifyInstance, deps: HttpDeps): RateLimitHandle {
  const limiter = new FixedWindowRateLimiter(deps.rateLimitPerMinute);
  const ipKey = (request: FastifyRequest) => `ip:${request.ip}`;

  app.addHook('onRequest', async (request, reply) => {
    const token = tokenFromAuthorization(request.headers.authorization);
    const byToken = token !== null && isWellFormedToken(token);
    const now = Date.now();
    const decision = limiter.take(byToken ? `token:${hashToken(token)}` : ipKey(request), now);
    reply.header('X-RateLimit-Limit', String(decision.limit));
    reply.header('X-RateLimit-Remaining', String(decision.remaining));
    reply.header('X-RateLimit-Reset', String(decision.resetSeconds));
    if (!decision.allowed) throw rateLimited(decision.resetSeconds);
    if (byToken && limiter.exhausted(ipKey(request), now)) throw rateLimited(decision.resetSeconds);
  });

  return { countFailure: (request) => void limiter.take(ipKey(request), Date.now()) };
}

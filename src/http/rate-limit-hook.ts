// Request rate limits: per token for calls that carry a well-formed token, per IP otherwise; a
// failed token also counts against its IP, so spraying tokens from one address is slowed down.
// Every answer carries X-RateLimit-* of the window that applies; a refusal is 429 RATE_LIMITED
// with Retry-After.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashToken, isWellFormedToken, tokenFromAuthorization } from '../core/access-token.ts';
import { rateLimited } from '../core/errors.ts';
import type { HttpDeps } from './http-deps.ts';
import { FixedWindowRateLimiter, type RateDecision } from './rate-limiter.ts';

export interface RateLimitHandle {
  /** Counts a refused credential against the request's IP. */
  countFailure(request: FastifyRequest): void;
}

function tokenKey(request: FastifyRequest): string | null {
  const token = tokenFromAuthorization(request.headers.authorization);
  return token !== null && isWellFormedToken(token) ? `token:${hashToken(token)}` : null;
}

function setHeaders(reply: FastifyReply, decision: RateDecision): void {
  reply.header('X-RateLimit-Limit', String(decision.limit));
  reply.header('X-RateLimit-Remaining', String(decision.remaining));
  reply.header('X-RateLimit-Reset', String(decision.resetSeconds));
}

export function installRateLimit(app: FastifyInstance, deps: HttpDeps): RateLimitHandle {
  const limiter = new FixedWindowRateLimiter(deps.rateLimitPerMinute);
  const ipKey = (request: FastifyRequest) => `ip:${request.ip}`;

  app.addHook('onRequest', async (request, reply) => {
    const now = Date.now();
    const byToken = tokenKey(request);
    // An address that has used up its budget on failures may not try yet another token.
    const ipWindow = byToken === null ? null : limiter.peek(ipKey(request), now);
    if (ipWindow !== null && !ipWindow.allowed) {
      setHeaders(reply, ipWindow);
      throw rateLimited(ipWindow.resetSeconds);
    }
    const decision = limiter.take(byToken ?? ipKey(request), now);
    setHeaders(reply, decision);
    if (!decision.allowed) throw rateLimited(decision.resetSeconds);
  });

  return {
    countFailure: (request) => {
      // A request without a token was already counted against its IP.
      if (tokenKey(request) !== null) limiter.take(ipKey(request), Date.now());
    },
  };
}

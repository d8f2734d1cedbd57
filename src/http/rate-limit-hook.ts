// Request rate limits: a request is counted against a token's budget only once that token has
// authenticated it; every other request (a session's, an anonymous one, one with a made-up or
// refused token) is counted against its client address (an IPv6 client by its /64). Every answer
// carries the X-RateLimit-* of the budget it was counted against; a refusal is 429 RATE_LIMITED
// with Retry-After.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clientAddressKey } from '../core/client-address.ts';
import { rateLimited } from '../core/errors.ts';
import type { HttpDeps } from './http-deps.ts';
import { FixedWindowRateLimiter, type RateDecision } from './rate-limiter.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The budget this request was counted against; null until it is counted. */
    rateDecision: RateDecision | null;
  }
}

export interface RateLimits {
  /** Counts the request against its client address; throws RATE_LIMITED when that budget is spent. */
  chargeAddress(request: FastifyRequest): void;
  /** Counts the request against the token that authenticated it; throws RATE_LIMITED when spent. */
  chargeToken(request: FastifyRequest, tokenId: string): void;
  /** Whether the client address's budget is spent, without counting this request. */
  addressSpent(request: FastifyRequest): boolean;
}

const addressKey = (request: FastifyRequest) => `ip:${clientAddressKey(request.ip)}`;

export function installRateLimit(app: FastifyInstance, deps: HttpDeps): RateLimits {
  const limiter = new FixedWindowRateLimiter(deps.rateLimitPerMinute);
  const charge = (request: FastifyRequest, key: string) => {
    const decision = limiter.take(key, Date.now());
    request.rateDecision = decision;
    if (!decision.allowed) throw rateLimited(decision.resetSeconds);
  };
  const limits: RateLimits = {
    chargeAddress: (request) => {
      charge(request, addressKey(request));
    },
    chargeToken: (request, tokenId) => {
      charge(request, `token:${tokenId}`);
    },
    addressSpent: (request) => !limiter.peek(addressKey(request), Date.now()).allowed,
  };

  app.decorateRequest('rateDecision', null);
  // Without an Authorization header the request can only count against its address: at once,
  // before any work.
  app.addHook('onRequest', async (request) => {
    if (request.headers.authorization === undefined) limits.chargeAddress(request);
  });
  // With one, a route that authenticates by token has counted it by now (see authentication.ts);
  // on any other route the header proves nothing, and the address pays.
  app.addHook('preParsing', async (request) => {
    if (request.rateDecision === null) limits.chargeAddress(request);
  });
  app.addHook('onSend', async (request, reply) => {
    const decision = request.rateDecision;
    if (decision === null) return;
    reply.header('X-RateLimit-Limit', String(decision.limit));
    reply.header('X-RateLimit-Remaining', String(decision.remaining));
    reply.header('X-RateLimit-Reset', String(decision.resetSeconds));
  });
  return limits;
}

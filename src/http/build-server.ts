// Assembles the HTTP server: parsing limits and timeouts, TLS, request ids, rate limits, error
// mapping, OpenAPI and the routes. No listening here: main.ts listens; tests call inject().
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyHttpsOptions, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type https from 'node:https';
import { createHash, randomUUID } from 'node:crypto';
import { makeAuthenticate } from './authentication.ts';
import { installMethodRouting, MAX_PARAM_LENGTH } from './allowed-methods.ts';
import { clientErrorHandler } from './client-error-handler.ts';
import { installErrorHandling, sendError } from './error-handler.ts';
import { SectrailError } from '../core/errors.ts';
import type { HttpDeps } from './http-deps.ts';
import { BODY_LIMIT_BYTES, installJsonBody, NOT_TEXT } from './json-body.ts';
import { looksSecret } from './logger-options.ts';
import { installRateLimit } from './rate-limit-hook.ts';
import { REQUEST_TIMEOUT_MS, requestTimeoutOptions } from './request-timeout.ts';
import { installStrictTransportSecurity, STRICT_TRANSPORT_SECURITY, TLS_PROTOCOL_OPTIONS } from './tls-policy.ts';
import { consoleRoutes } from './console/console-routes.ts';
import { accessRoutes } from './routes/access-routes.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { credentialRoutes } from './routes/credential-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { memberRoutes } from './routes/member-routes.ts';
import { securityTrailRoutes } from './routes/security-trail-routes.ts';
import { settingsRoutes } from './routes/settings-routes.ts';
import { ssoRoutes } from './routes/sso-routes.ts';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export interface ServerOptions {
  readonly logger: FastifyServerOptions['logger'];
  /** Proxies whose X-Forwarded-For is believed: fastify's trustProxy (addresses, CIDRs, or hop count). */
  readonly trustProxy?: FastifyServerOptions['trustProxy'];
  readonly https?: { readonly cert: Buffer; readonly key: Buffer } | null;
  readonly version: string;
  /** How long a request's headers and body may take to arrive: REQUEST_TIMEOUT_MS but in tests. */
  readonly requestTimeoutMs?: number;
}

/** The CSP source for the <style> in the API explorer's logo (its only inline style). */
const EXPLORER_LOGO_STYLE = `sha256-${createHash('sha256').update('.logo_small_svg__cls-2{fill:#fff}.logo_small_svg__cls-3{fill:#85ea2d}').digest('base64')}`;

export async function buildServer(deps: HttpDeps, options: ServerOptions): Promise<FastifyInstance> {
  const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const timeouts = requestTimeoutOptions(requestTimeoutMs);
  const base: FastifyServerOptions = {
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: options.trustProxy ?? false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    requestIdHeader: false,
    // fastify sets this one on the server itself after creating it, so it is given here too.
    requestTimeout: timeouts.requestTimeout,
    clientErrorHandler: clientErrorHandler({ requestTimeoutMs, strictTransportSecurity: options.https ? STRICT_TRANSPORT_SECURITY : null }),
    // A URL the router cannot even decode (`/api/%`) gets the same error shape as everything else.
    frameworkErrors: (error, _request, reply) => {
      const message =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? `A segment of the request path is longer than ${MAX_PARAM_LENGTH} characters.`
          : 'The request path is not a valid URL: each % must begin a %XX escape of UTF-8.';
      void sendError(reply, new SectrailError('INVALID_REQUEST', message));
    },
    // A well-formed X-Request-Id from the caller is kept, to follow a request across systems; one
    // that looks like a credential is not, as it would be logged and echoed.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && CLIENT_REQUEST_ID.test(given) && !looksSecret(given) ? given : randomUUID();
    },
  };
  // Fastify types an HTTPS server apart; routes and hooks are the same for both.
  const app: FastifyInstance = options.https
    ? (Fastify({ ...base, https: { ...TLS_PROTOCOL_OPTIONS, ...timeouts, cert: options.https.cert, key: options.https.key } } as unknown as FastifyHttpsOptions<
        https.Server
      >))
    : Fastify({ ...base, http: timeouts });
  installStrictTransportSecurity(app, Boolean(options.https));
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  installJsonBody(app);
  installMethodRouting(app);
  app.decorateRequest('principal', null);
  // A path segment decodes to any string (`%00`); one that is not text a store keeps is refused
  // here, for every route, before it can reach a lookup.
  app.addHook('preValidation', async (request) => {
    for (const value of Object.values((request.params ?? {}) as Record<string, unknown>)) {
      if (typeof value === 'string' && NOT_TEXT.test(value)) throw new SectrailError('INVALID_REQUEST', 'The request path holds a NUL (%00) or a lone UTF-16 surrogate, which is not text.');
    }
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    // The server's own clock (SECTRAIL_CLOCK_START included): clients such as `sectrail pull`
    // take "today" from here rather than from their own clock.
    reply.header('Date', new Date(deps.clock.now()).toUTCString());
  });
  installErrorHandling(app);
  const limits = installRateLimit(app, deps);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'sectrail',
        version: options.version,
        description: 'The security event log API. Authenticate with `Authorization: Token token=<token>` or `Bearer <token>`.',
      },
      tags: [
        { name: 'security-log', description: 'The security log: a day, the live tail, digests, proofs, signing keys and the event catalogue.' },
        { name: 'sign-in', description: 'Signing in and out with a password or SSO, and who the caller is.' },
        { name: 'members', description: 'Members, their roles and privileges, and invitations.' },
        { name: 'access', description: 'Groups, resources and who may use them.' },
        { name: 'credentials', description: 'Service accounts and access tokens.' },
        { name: 'settings', description: "The org's login settings." },
        { name: 'health', description: 'Whether the server and its store answer.' },
      ],
      components: {
        securitySchemes: {
          token: { type: 'http', scheme: 'bearer', description: 'An sct_ access token.' },
        },
      },
      security: [{ token: [] }],
    },
  });
  // The API explorer shares the console's origin, so it gets a policy too: its own inline scripts
  // by hash, never framed, plain http kept for a server on loopback, and the one <style> its UI
  // draws (in its logo) allowed by hash.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (header) =>
      `${header.replace(/\s*upgrade-insecure-requests;?/, '').replace("frame-ancestors 'self'", "frame-ancestors 'none'").trim()} style-src-elem 'self' https: '${EXPLORER_LOGO_STYLE}';`,
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.url === '/docs' || request.url.startsWith('/docs/')) reply.header('X-Frame-Options', 'DENY').header('X-Content-Type-Options', 'nosniff');
  });

  const authenticate = makeAuthenticate(deps, limits);
  healthRoutes(app, deps);
  securityTrailRoutes(app, deps, authenticate);
  credentialRoutes(app, deps, authenticate);
  authRoutes(app, deps, authenticate);
  settingsRoutes(app, deps, authenticate);
  memberRoutes(app, deps, authenticate);
  accessRoutes(app, deps, authenticate);
  ssoRoutes(app, deps);
  consoleRoutes(app);
  return app;
}

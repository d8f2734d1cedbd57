// SSO sign-in with OpenID Connect: /start sends the browser to the org's provider with a single-use
// attempt bound to it by an HttpOnly cookie; /callback redeems the code and starts a session.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type, { type Static } from 'typebox';
import { invalidRequest, isSectrailError, notFound } from '../../core/errors.ts';
import { SESSION_ABSOLUTE_MS } from '../../core/session-policy.ts';
import { finishSsoLogin, startSsoLogin } from '../../platform/sso/sso-login.ts';
import { isTls, readCookie, serializeCookie, sessionCookie } from '../cookies.ts';
import type { HttpDeps } from '../http-deps.ts';
import { contextOf } from '../request-context.ts';
import { ErrorBody } from '../schemas.ts';
import { orgSlugFromHost } from '../tenancy.ts';

const SSO_COOKIE = 'sectrail_sso';
const SSO_COOKIE_PATH = '/api/auth/sso';
const Params = Type.Object({ provider: Type.String({ pattern: '^[a-z0-9-]{1,32}$' }) });

/** The origin the browser sees: SECTRAIL_PUBLIC_URL when set, else the request's own. */
function publicOrigin(deps: HttpDeps, request: FastifyRequest): string {
  return deps.publicUrl ?? `${request.protocol}://${request.host}`;
}

function ssoCookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  return serializeCookie(SSO_COOKIE, value, { maxAgeSeconds, secure: isTls(request), sameSite: 'Lax', path: SSO_COOKIE_PATH });
}

/** What a cause chain says, name and message only (no bodies, which may hold what a provider sent). */
function causes(error: Error): string[] {
  const said: string[] = [];
  for (let cause: unknown = error.cause; cause instanceof Error && said.length < 5; cause = cause.cause) {
    said.push(`${cause.name}: ${cause.message}`);
  }
  return said;
}

/** The browser is told only that the provider cannot be reached; the operator's log says why. */
async function logUnavailable(request: FastifyRequest, _reply: unknown, error: Error): Promise<void> {
  if (!isSectrailError(error) || error.code !== 'SSO_PROVIDER_UNAVAILABLE') return;
  request.log.warn({ sso: { provider: (request.params as { provider?: string }).provider, causes: causes(error) } }, 'the SSO provider could not be reached');
}

export function ssoRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const hostOrg = async (request: FastifyRequest) => {
    const slug = orgSlugFromHost(request.headers.host, deps.baseDomain);
    return slug === null ? null : deps.store.platform.orgBySlug(slug);
  };

  app.get<{ Params: Static<typeof Params> }>(
    '/api/auth/sso/:provider/start',
    {
      config: { browserPage: true },
      onError: logUnavailable,
      schema: { operationId: 'startSsoSignIn', tags: ['sign-in'], summary: "Sign in with one of the org's SSO providers", params: Params, response: { 400: ErrorBody, 404: ErrorBody, 502: ErrorBody } },
    },
    async (request, reply) => {
      if (orgSlugFromHost(request.headers.host, deps.baseDomain) === null) {
        throw invalidRequest('Open this on your organization\u2019s address (<org>.<domain>).');
      }
      const org = await hostOrg(request);
      // The same answer as an unknown provider: the answer does not tell which orgs exist.
      if (org === null) throw notFound('The SSO provider');
      const { provider } = request.params;
      const callbackUrl = `${publicOrigin(deps, request)}/api/auth/sso/${provider}/callback`;
      const start = await startSsoLogin(deps, contextOf(request), { org, provider, callbackUrl });
      reply.header('Set-Cookie', ssoCookie(request, start.handle, 600));
      return reply.redirect(start.location, 302);
    },
  );

  app.get<{ Params: Static<typeof Params> }>(
    '/api/auth/sso/:provider/callback',
    {
      config: { browserPage: true },
      onError: logUnavailable,
      schema: {
        operationId: 'finishSsoSignIn',
        tags: ['sign-in'],
        summary: 'Where the provider returns the browser',
        description: 'A failure answers its JSON error, or, to a browser navigating here, a page with the same status and code.',
        params: Params,
        response: { 401: ErrorBody, 502: ErrorBody },
      },
    },
    async (request, reply) => {
      const signedIn = await finishSsoLogin(deps, contextOf(request), {
        hostOrg: await hostOrg(request),
        provider: request.params.provider,
        handle: readCookie(request.headers.cookie, SSO_COOKIE),
        callbackUrl: `${publicOrigin(deps, request)}${request.url}`,
      });
      reply.header('Set-Cookie', [
        ssoCookie(request, '', 0),
        sessionCookie(request, signedIn.sessionSecret, SESSION_ABSOLUTE_MS / 1000),
      ]);
      return reply.redirect('/', 302);
    },
  );
}

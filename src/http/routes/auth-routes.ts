// Signing in and out with a password, and who the caller is: POST /api/auth/login sets the session
// cookie, POST /api/auth/logout ends it, GET /api/me answers for a session or a token.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type, { type Static } from 'typebox';
import { forbidden, invalidRequest, isSectrailError } from '../../core/errors.ts';
import { orgSlug } from '../../core/names.ts';
import { memberOwner, type Org, type TokenOwner } from '../../core/platform-model.ts';
import { csrfTokenOf, SESSION_ABSOLUTE_MS } from '../../core/session-policy.ts';
import { passwordLogin } from '../../platform/password-login.ts';
import { signInMethods } from '../../platform/sign-in-methods.ts';
import { endSession } from '../../platform/sessions.ts';
import { isCrossSite, makeSessionAuthenticate, principalOf, type Authenticate } from '../authentication.ts';
import { clearedSessionCookie, sessionCookie, sessionSecretOf } from '../cookies.ts';
import type { HttpDeps } from '../http-deps.ts';
import { contextOf } from '../request-context.ts';
import { ErrorBody } from '../schemas.ts';
import { orgSlugFromHost } from '../tenancy.ts';

const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    org: Type.Optional(Type.String({ maxLength: 63, description: 'The org slug, when the Host does not name one.' })),
  },
  { additionalProperties: false },
);

const UserView = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('user'), Type.Literal('service_account')]),
  email: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  role: Type.String(),
  privileges: Type.Array(Type.String()),
});
const OrgView = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  securityLogEnabled: Type.Boolean({ description: 'Whether the operator enabled the security log (the entitlement) for this org.' }),
  createdAt: Type.String({ description: 'When the org was made (ISO 8601, UTC): its log starts on that day.' }),
});
const CsrfToken = Type.String({ description: 'Send it as `X-CSRF-Token` with every change made with the session cookie.' });
const LoginAnswer = Type.Object({
  user: UserView,
  org: OrgView,
  expiresAt: Type.String({ description: 'The absolute end of the session.' }),
  csrfToken: CsrfToken,
});
const MeAnswer = Type.Object({
  user: UserView,
  org: OrgView,
  via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
  csrfToken: Type.Optional(CsrfToken),
});
const SessionAnswer = Type.Object({ session: Type.Union([MeAnswer, Type.Null()]) });
const MethodsQuery = Type.Object({ org: Type.Optional(Type.String({ maxLength: 63, description: 'The org slug, when the Host does not name one.' })) });
const MethodsAnswer = Type.Object({
  orgNamed: Type.Boolean({ description: 'Whether the address (or `org`) named an org; false: the page asks for it.' }),
  password: Type.Boolean({ description: 'Whether password sign-in is on.' }),
  providers: Type.Array(Type.String(), { description: 'The SSO providers to offer, each started at /api/auth/sso/<name>/start.' }),
});

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody };

function userView(owner: TokenOwner): Static<typeof UserView> {
  return { id: owner.id, kind: owner.kind, email: owner.email, name: owner.name, role: owner.role, privileges: [...owner.privileges] };
}

function orgView(org: Org): Static<typeof OrgView> {
  return { id: org.id, slug: org.slug, name: org.name, securityLogEnabled: org.securityLogEnabled, createdAt: new Date(org.createdAt).toISOString() };
}

/** The org signed in to: the Host's, else the body's; null when the one named does not exist. */
async function loginOrg(deps: HttpDeps, request: FastifyRequest<{ Body: Static<typeof LoginBody> }>): Promise<{ slug: string; org: Org | null }> {
  const fromHost = orgSlugFromHost(request.headers.host, deps.baseDomain);
  const fromBody = request.body.org === undefined ? null : orgSlug(request.body.org);
  if (fromHost !== null && fromBody !== null && fromHost !== fromBody) {
    throw invalidRequest('The org in the body is not the org this address belongs to.');
  }
  const slug = fromHost ?? fromBody;
  if (slug === null) throw invalidRequest('Name the organization: sign in on its address, or send its slug as org.');
  return { slug, org: await deps.store.platform.orgBySlug(slug) };
}

/** Who the caller is; a session also gets its CSRF token, for the changes it will make. */
function meOf(request: FastifyRequest): Static<typeof MeAnswer> {
  const principal = principalOf(request);
  const secret = principal.credential.kind === 'session' ? sessionSecretOf(request) : null;
  const me = { user: userView(principal.owner), org: orgView(principal.org), via: principal.credential.kind };
  return secret === null ? me : { ...me, csrfToken: csrfTokenOf(secret) };
}

function noStore(reply: FastifyReply): void {
  reply.header('Cache-Control', 'no-store');
}

export function authRoutes(app: FastifyInstance, deps: HttpDeps, authenticate: Authenticate): void {
  const sessionOnly = makeSessionAuthenticate(deps);

  app.post<{ Body: Static<typeof LoginBody> }>(
    '/api/auth/login',
    {
      schema: {
        operationId: 'signIn',
        tags: ['sign-in'],
        summary: 'Sign in with an email and a password',
        description:
          'Sets the HttpOnly session cookie `sectrail_session`. The org is the one the Host names, else `org`. ' +
          'A wrong password and an unknown email get the same 401; repeated failures are throttled (429 with Retry-After).',
        body: LoginBody,
        response: { 200: LoginAnswer, ...errors },
      },
    },
    async (request, reply) => {
      // A page on another site must not sign a browser in (login CSRF) or use it to guess passwords.
      if (isCrossSite(deps, request)) throw forbidden('Sign in from this site.');
      const { slug, org } = await loginOrg(deps, request);
      const signedIn = await passwordLogin(deps, {
        org,
        orgSlug: slug,
        email: request.body.email,
        password: request.body.password,
        context: contextOf(request),
      });
      const { record, secret } = signedIn.session;
      reply.header('Set-Cookie', sessionCookie(request, secret, SESSION_ABSOLUTE_MS / 1000));
      noStore(reply);
      return {
        user: userView(memberOwner(signedIn.member)),
        org: orgView(signedIn.org),
        expiresAt: new Date(record.expiresAt).toISOString(),
        csrfToken: csrfTokenOf(secret),
      };
    },
  );

  app.post(
    '/api/auth/logout',
    { onRequest: sessionOnly, schema: { operationId: 'signOut', tags: ['sign-in'], summary: 'Sign out: ends the session of the cookie', response: { 204: Type.Null({ description: 'Signed out.' }), 401: ErrorBody, 403: ErrorBody } } },
    async (request, reply) => {
      await endSession(deps, contextOf(request), principalOf(request));
      reply.header('Set-Cookie', clearedSessionCookie(request));
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/me',
    { onRequest: authenticate, schema: { operationId: 'readMe', tags: ['sign-in'], summary: 'Who the caller is, and how they authenticated', response: { 200: MeAnswer, 401: ErrorBody } } },
    async (request, reply) => {
      noStore(reply);
      return meOf(request);
    },
  );

  app.get(
    '/api/auth/session',
    {
      schema: {
        operationId: 'readSession',
        tags: ['sign-in'],
        summary: 'The session of the cookie, if any: what a page asks before it knows whether someone is signed in',
        description: 'By the cookie alone. No cookie, or one that is no longer valid, answers `{session: null}` and logs nothing.',
        response: { 200: SessionAnswer },
      },
    },
    async (request, reply) => {
      noStore(reply);
      if (sessionSecretOf(request) === null) return { session: null };
      try {
        await sessionOnly(request);
      } catch (error) {
        if (isSectrailError(error) && error.code === 'UNAUTHENTICATED') return { session: null };
        throw error;
      }
      return { session: meOf(request) };
    },
  );

  app.get<{ Querystring: Static<typeof MethodsQuery> }>(
    '/api/auth/methods',
    {
      schema: {
        operationId: 'listSignInMethods',
        tags: ['sign-in'],
        summary: 'How people sign in to the org: password, and the SSO providers it enabled',
        description: 'No credential. An org that does not exist answers like one with the default settings; no org named answers `orgNamed: false`.',
        querystring: MethodsQuery,
        response: { 200: MethodsAnswer, 400: ErrorBody },
      },
    },
    async (request) => {
      const slug = orgSlugFromHost(request.headers.host, deps.baseDomain) ?? (request.query.org === undefined ? null : orgSlug(request.query.org));
      if (slug === null) return { orgNamed: false, ...(await signInMethods(deps, null)) };
      return { orgNamed: true, ...(await signInMethods(deps, await deps.store.platform.orgBySlug(slug))) };
    },
  );
}

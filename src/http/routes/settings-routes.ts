// The org's login settings (plain login, Google, SSO providers), for org admins. Client secrets are
// write-only: answers and events show "***".
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type, { type Static } from 'typebox';
import { authorizeAdmin } from '../../platform/authorization.ts';
import { readAuthSettings, updateAuthSettings } from '../../platform/auth-settings.ts';
import { principalOf, type Authenticate } from '../authentication.ts';
import type { HttpDeps } from '../http-deps.ts';
import { contextOf } from '../request-context.ts';
import { ErrorBody } from '../schemas.ts';

const Provider = Type.Object(
  {
    name: Type.String({ maxLength: 32 }),
    issuer: Type.String({ maxLength: 512 }),
    clientId: Type.String({ maxLength: 512 }),
    clientSecret: Type.Optional(Type.String({ maxLength: 1024, description: 'Write-only; "***" or absent keeps the stored one.' })),
  },
  { additionalProperties: false },
);

const AuthSettingsPatch = Type.Object(
  {
    plainLogin: Type.Optional(Type.Boolean()),
    googleOAuth: Type.Optional(Type.Boolean()),
    sso: Type.Optional(
      Type.Union([Type.Object({ providers: Type.Array(Provider, { maxItems: 20 }) }, { additionalProperties: false }), Type.Null()]),
    ),
  },
  { additionalProperties: false },
);

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 429: ErrorBody };

export function settingsRoutes(app: FastifyInstance, deps: HttpDeps, authenticate: Authenticate): void {
  const admin = async (request: FastifyRequest) => {
    await authenticate(request);
    await authorizeAdmin(deps, principalOf(request), contextOf(request));
  };

  app.get(
    '/api/org/auth-settings',
    { onRequest: admin, schema: { operationId: 'readAuthSettings', tags: ['settings'], summary: "The org's login settings (secrets shown as ***)", response: errors } },
    async (request) => readAuthSettings(deps, principalOf(request).org.id),
  );

  app.patch<{ Body: Static<typeof AuthSettingsPatch> }>(
    '/api/org/auth-settings',
    {
      onRequest: admin,
      schema: {
        operationId: 'updateAuthSettings',
        tags: ['settings'],
        summary: "Change the org's login settings",
        description: '`sso` replaces the whole provider list. A change that leaves no way to sign in is 409 CONFLICT.',
        body: AuthSettingsPatch,
        response: errors,
      },
    },
    async (request) => updateAuthSettings(deps, contextOf(request), principalOf(request).org.id, request.body),
  );
}

// Service accounts and access tokens, for an org admin's token (sessions arrive with the console).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { notFound } from '../../core/errors.ts';
import { serviceAccountOwner, type TokenOwner } from '../../core/platform-model.ts';
import { issueToken, listTokens, revokeToken, tokenOwner, tokenView } from '../../platform/access-tokens.ts';
import { authorizeAdmin } from '../../platform/authorization.ts';
import { createServiceAccount, serviceAccountView } from '../../platform/service-accounts.ts';
import { principalOf, type Authenticate } from '../authentication.ts';
import type { HttpDeps } from '../http-deps.ts';
import { contextOf } from '../request-context.ts';
import { ErrorBody, IdParams, NewServiceAccountBody, NewTokenBody } from '../schemas.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };

export function credentialRoutes(app: FastifyInstance, deps: HttpDeps, authenticate: Authenticate): void {
  const admin = async (request: FastifyRequest) => {
    await authenticate(request);
    await authorizeAdmin(deps, principalOf(request), contextOf(request));
  };

  app.post<{ Body: Static<typeof NewServiceAccountBody> }>(
    '/api/service-accounts',
    { onRequest: admin, schema: { operationId: 'createServiceAccount', tags: ['credentials'], summary: 'Create a service account', body: NewServiceAccountBody, response: errors } },
    async (request, reply) => {
      const principal = principalOf(request);
      const account = await createServiceAccount(deps, contextOf(request), principal.org.id, request.body);
      return reply.code(201).send(serviceAccountView(account));
    },
  );

  app.get('/api/service-accounts', { onRequest: admin, schema: { operationId: 'listServiceAccounts', tags: ['credentials'], summary: 'List service accounts' } }, async (request) => {
    const accounts = await deps.store.platform.serviceAccounts(principalOf(request).org.id);
    return { result: accounts.map(serviceAccountView) };
  });

  app.post<{ Body: Static<typeof NewTokenBody> }>(
    '/api/tokens',
    {
      onRequest: admin,
      schema: {
        operationId: 'createToken',
        tags: ['credentials'],
        summary: 'Issue an access token',
        description: 'The secret is in `token`, in this answer only. Without serviceAccountId the caller owns it.',
        body: NewTokenBody,
        response: errors,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { serviceAccountId, ...rest } = request.body;
      let owner: TokenOwner = principal.owner;
      if (serviceAccountId !== undefined) {
        const account = await deps.store.platform.serviceAccountById(principal.org.id, serviceAccountId);
        if (account === null) throw notFound('The service account');
        owner = serviceAccountOwner(account);
      }
      const issued = await issueToken(deps, contextOf(request), principal.org.id, { ...rest, owner });
      return reply.code(201).send({ ...tokenView(issued.record, owner), token: issued.secret });
    },
  );

  app.get('/api/tokens', { onRequest: admin, schema: { operationId: 'listTokens', tags: ['credentials'], summary: 'List access tokens' } }, async (request) => ({
    result: await listTokens(deps, principalOf(request).org.id),
  }));

  app.delete<{ Params: Static<typeof IdParams> }>(
    '/api/tokens/:id',
    { onRequest: admin, schema: { operationId: 'revokeToken', tags: ['credentials'], summary: 'Revoke an access token', params: IdParams, response: errors } },
    async (request) => {
      const principal = principalOf(request);
      const record = await revokeToken(deps, contextOf(request), principal.org.id, request.params.id);
      return tokenView(record, await tokenOwner(deps.store.platform, record));
    },
  );
}

// Members, their roles and privileges, and invitations (DESIGN §6). Who may call what is decided
// by core/access-rules.ts: before the body is read where the path says enough, after it otherwise.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { AdminAction } from '../../core/access-rules.ts';
import { notFound } from '../../core/errors.ts';
import { PRIVILEGE_CATALOGUE } from '../../core/privileges.ts';
import { authorizeAction } from '../../platform/authorization.ts';
import { acceptInvitation, createInvitation, invitationView, listPendingInvitations } from '../../platform/invitations.ts';
import { changePrivileges, changeRole, listMembers, memberView } from '../../platform/members.ts';
import {
  AcceptInvitationBody,
  InvitationBody,
  InvitationParams,
  PrivilegesBody,
  RoleBody,
  UserParams,
} from '../admin-schemas.ts';
import { principalOf, type Authenticate } from '../authentication.ts';
import type { HttpDeps } from '../http-deps.ts';
import { contextOf } from '../request-context.ts';
import { ErrorBody } from '../schemas.ts';
import { orgSlugFromHost } from '../tenancy.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };

export function memberRoutes(app: FastifyInstance, deps: HttpDeps, authenticate: Authenticate): void {
  /** Authenticates, then checks what the path alone decides. */
  const allow = (action: (request: FastifyRequest) => AdminAction) => async (request: FastifyRequest) => {
    await authenticate(request);
    await authorizeAction(deps, principalOf(request), contextOf(request), action(request));
  };
  const targetOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.get('/api/privileges', { onRequest: allow(() => ({ kind: 'list_privileges' })), schema: { operationId: 'listPrivileges', tags: ['members'], summary: 'The privilege catalogue', response: errors } }, async () => ({
    result: PRIVILEGE_CATALOGUE.map(({ name, description }) => ({ name, description })),
  }));

  app.get('/api/users', { onRequest: allow(() => ({ kind: 'list_members' })), schema: { operationId: 'listMembers', tags: ['members'], summary: "The org's members", response: errors } }, async (request) => ({
    result: await listMembers(deps, principalOf(request).org.id),
  }));

  app.patch<{ Params: Static<typeof UserParams>; Body: Static<typeof RoleBody> }>(
    '/api/users/:id/role',
    {
      onRequest: allow((request) => ({ kind: 'change_role', targetUserId: targetOf(request) })),
      schema: { operationId: 'changeRole', tags: ['members'], summary: "Change a member's role (admins only; never one's own)", params: UserParams, body: RoleBody, response: errors },
    },
    async (request) => {
      const member = await changeRole(deps, contextOf(request), principalOf(request).org.id, request.params.id, request.body.role);
      return memberView(member);
    },
  );

  app.patch<{ Params: Static<typeof UserParams>; Body: Static<typeof PrivilegesBody> }>(
    '/api/users/:id/privileges',
    {
      onRequest: allow((request) => ({ kind: 'change_privileges', targetUserId: targetOf(request) })),
      schema: { operationId: 'changePrivileges', tags: ['members'], summary: "Add and remove a member's privileges by name (admins only; never one's own)", params: UserParams, body: PrivilegesBody, response: errors },
    },
    async (request) => {
      const member = await changePrivileges(deps, contextOf(request), principalOf(request).org.id, request.params.id, request.body);
      return memberView(member);
    },
  );

  app.get(
    '/api/invitations',
    {
      onRequest: allow(() => ({ kind: 'list_invitations' })),
      schema: {
        operationId: 'listInvitations',
        tags: ['members'],
        summary: "The org's pending invitations, newest first",
        description: 'Neither accepted nor expired. Their secrets are kept only as hashes, so no `acceptUrl`: invite again to get a new link.',
        response: errors,
      },
    },
    async (request) => ({ result: await listPendingInvitations(deps, principalOf(request).org.id) }),
  );

  app.post<{ Body: Static<typeof InvitationBody> }>(
    '/api/invitations',
    {
      onRequest: allow(() => ({ kind: 'invite' })),
      schema: {
        operationId: 'createInvitation',
        tags: ['members'],
        summary: 'Invite an email to join the org with a role',
        description: 'The secret is the last path segment of `acceptUrl`, in this answer only. It works once, for 7 days.',
        body: InvitationBody,
        response: errors,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const context = contextOf(request);
      await authorizeAction(deps, principal, context, { kind: 'invite', role: request.body.role });
      const issued = await createInvitation(deps, context, principal.org.id, { ...request.body, invitedBy: principal.owner });
      const base = deps.publicUrl ?? `${request.protocol}://${request.host}`;
      // The secret is the last path segment (DESIGN §6): the page a person opens; the API accepts it at
      // POST /api/invitations/<secret>/accept.
      const acceptUrl = `${base}/invitations/${issued.secret}`;
      return reply.code(201).send(invitationView(issued, acceptUrl));
    },
  );

  app.post<{ Params: Static<typeof InvitationParams>; Body: Static<typeof AcceptInvitationBody> }>(
    '/api/invitations/:token/accept',
    {
      schema: {
        operationId: 'acceptInvitation',
        tags: ['members'],
        summary: 'Accept an invitation with a name and a password',
        description:
          'No authentication: the secret in the path is the credential. Unknown or expired: 404; already accepted, or the email is already a member: 409.',
        params: InvitationParams,
        body: AcceptInvitationBody,
        response: errors,
        security: [],
      },
    },
    async (request, reply) => {
      const slug = orgSlugFromHost(request.headers.host, deps.baseDomain);
      const hostOrg = slug === null ? null : await deps.store.platform.orgBySlug(slug);
      if (slug !== null && hostOrg === null) throw notFound('The invitation');
      const member = await acceptInvitation(deps, contextOf(request), { ...request.body, secret: request.params.token, hostOrg });
      return reply.code(201).send({ userId: member.id });
    },
  );
}

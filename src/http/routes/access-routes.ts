// Groups and resources with their permissions (DESIGN §6), for admins and for members holding the
// matching privilege; a member who is not an admin may not widen their own access through them.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { AdminAction } from '../../core/access-rules.ts';
import { authorizeAction } from '../../platform/authorization.ts';
import { changeGroupMembers, createGroup, listGroups } from '../../platform/groups.ts';
import { createResource, listPermissions, listResources, resourceView, setPermission, subjectIncludesUser } from '../../platform/resources.ts';
import { GroupBody, GroupMembersBody, PermissionBody, ResourceBody } from '../admin-schemas.ts';
import { principalOf, type Authenticate } from '../authentication.ts';
import type { HttpDeps } from '../http-deps.ts';
import { contextOf } from '../request-context.ts';
import { ErrorBody, IdParams } from '../schemas.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };

export function accessRoutes(app: FastifyInstance, deps: HttpDeps, authenticate: Authenticate): void {
  const allow = (action: AdminAction) => async (request: FastifyRequest) => {
    await authenticate(request);
    await authorizeAction(deps, principalOf(request), contextOf(request), action);
  };

  app.get('/api/groups', { onRequest: allow({ kind: 'list_groups' }), schema: { operationId: 'listGroups', tags: ['access'], summary: "The org's groups and their members", response: errors } }, async (request) => ({
    result: await listGroups(deps, principalOf(request).org.id),
  }));

  app.post<{ Body: Static<typeof GroupBody> }>(
    '/api/groups',
    { onRequest: allow({ kind: 'manage_groups' }), schema: { operationId: 'createGroup', tags: ['access'], summary: 'Create a group', body: GroupBody, response: errors } },
    async (request, reply) => {
      const group = await createGroup(deps, contextOf(request), principalOf(request).org.id, request.body.name);
      return reply.code(201).send(group);
    },
  );

  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof GroupMembersBody> }>(
    '/api/groups/:id/members',
    {
      onRequest: allow({ kind: 'manage_groups' }),
      schema: { operationId: 'changeGroupMembers', tags: ['access'], summary: "Add and remove a group's members by user id", params: IdParams, body: GroupMembersBody, response: errors },
    },
    async (request) => {
      const principal = principalOf(request);
      const context = contextOf(request);
      const memberIds = [...(request.body.add ?? []), ...(request.body.remove ?? [])];
      await authorizeAction(deps, principal, context, { kind: 'manage_groups', memberIds });
      return changeGroupMembers(deps, context, principal.org.id, request.params.id, request.body);
    },
  );

  app.get('/api/resources', { onRequest: allow({ kind: 'list_resources' }), schema: { operationId: 'listResources', tags: ['access'], summary: "The org's resources", response: errors } }, async (request) => ({
    result: await listResources(deps, principalOf(request).org.id),
  }));

  app.post<{ Body: Static<typeof ResourceBody> }>(
    '/api/resources',
    { onRequest: allow({ kind: 'create_resource' }), schema: { operationId: 'createResource', tags: ['access'], summary: 'Create a resource', body: ResourceBody, response: errors } },
    async (request, reply) => {
      const resource = await createResource(deps, contextOf(request), principalOf(request).org.id, request.body);
      return reply.code(201).send(resourceView(resource));
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/resources/:id/permissions',
    {
      onRequest: allow({ kind: 'list_permissions' }),
      schema: { operationId: 'listPermissions', tags: ['access'], summary: 'Who has access to a resource', description: 'Users first, then groups, each with its access.', params: IdParams, response: errors },
    },
    async (request) => ({ result: await listPermissions(deps, principalOf(request).org.id, request.params.id) }),
  );

  app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof PermissionBody> }>(
    '/api/resources/:id/permissions',
    {
      onRequest: allow({ kind: 'manage_permissions' }),
      schema: {
        operationId: 'setPermission',
        tags: ['access'],
        summary: "Set a user's or a group's access to a resource",
        description: '`none` removes it. Answers the subject and its access now.',
        params: IdParams,
        body: PermissionBody,
        response: errors,
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const context = contextOf(request);
      const { subject, access } = request.body;
      const orgId = principal.org.id;
      const affectsCaller = principal.owner.kind === 'user' && (await subjectIncludesUser(deps.store.platform, orgId, subject, principal.owner.id));
      await authorizeAction(deps, principal, context, { kind: 'manage_permissions', affectsCaller });
      return setPermission(deps, context, orgId, request.params.id, subject, access);
    },
  );
}

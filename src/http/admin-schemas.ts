// Request schemas of the administration endpoints (members, invitations, groups, resources). They
// check shapes and sizes; names, emails and privilege names are checked by the use cases.
import Type from 'typebox';
import { RoleSchema } from './schemas.ts';

const strict = { additionalProperties: false } as const;
const Id = Type.String({ minLength: 1, maxLength: 64 });
const Ids = Type.Array(Id, { maxItems: 500, description: 'User ids.' });
const PrivilegeNames = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64, description: 'Privilege names, as GET /api/privileges lists them.' });

export const UserParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const InvitationBody = Type.Object(
  { email: Type.String({ maxLength: 254 }), role: RoleSchema },
  strict,
);

export const InvitationParams = Type.Object({ token: Type.String({ maxLength: 200, description: 'The last path segment of acceptUrl.' }) });

export const AcceptInvitationBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 1024, description: 'At least 12 characters.' }),
  },
  strict,
);

export const RoleBody = Type.Object({ role: RoleSchema }, strict);

export const PrivilegesBody = Type.Object({ add: Type.Optional(PrivilegeNames), remove: Type.Optional(PrivilegeNames) }, strict);

export const GroupBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, strict);

export const GroupMembersBody = Type.Object({ add: Type.Optional(Ids), remove: Type.Optional(Ids) }, strict);

export const ResourceBody = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 64, description: 'A lowercase word such as project or dashboard.' }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
  },
  strict,
);

export const PermissionBody = Type.Object(
  {
    subject: Type.Object({ kind: Type.Union([Type.Literal('user'), Type.Literal('group')]), id: Id }, strict),
    access: Type.Union([Type.Literal('none'), Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')], {
      description: '`none` removes the subject’s access.',
    }),
  },
  strict,
);

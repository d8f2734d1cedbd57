// The JSON Schema of each event type's `details`. Producers are checked against these before an
// event is written, and GET /api/audit-log/event-types publishes them for SIEM parsers.
import Type from 'typebox';
import { Access, NamedRef, OwnerRef, ResourceRef, Role, SubjectRef, UserRef } from './refs.ts';

const LoginMethod = Type.Union([Type.Literal('password'), Type.Literal('api_token'), Type.Literal('sso')]);

const strict = { additionalProperties: false } as const;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * Present when flood protection folded several failures of one kind into this event: how many,
 * when, and samples of the emails tried and the addresses they came from (the attempts beyond the
 * samples are counted). Events folded before the samples existed carry only count, firstAt, lastAt.
 */
const Aggregated = Type.Object(
  {
    count: Type.Integer({ minimum: 2 }),
    firstAt: Type.String(),
    lastAt: Type.String(),
    attemptedEmails: Type.Optional(Type.Array(Type.String(), { maxItems: 20 })),
    otherEmailAttempts: Type.Optional(Type.Integer({ minimum: 0 })),
    ipAddresses: Type.Optional(Type.Array(Type.String(), { maxItems: 20 })),
    otherAddressAttempts: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  strict,
);

export const LoginSucceededDetails = Type.Object(
  {
    method: LoginMethod,
    provider: Type.Optional(Type.String()),
    tokenId: Type.Optional(Type.String()),
  },
  strict,
);

export const LoginFailedDetails = Type.Object(
  {
    method: LoginMethod,
    reason: Type.Union([
      Type.Literal('invalid_credentials'),
      Type.Literal('unknown_user'),
      Type.Literal('method_disabled'),
      Type.Literal('throttled'),
      Type.Literal('revoked_token'),
      Type.Literal('expired_token'),
      Type.Literal('sso_error'),
    ]),
    attemptedEmail: Nullable(Type.String()),
    provider: Type.Optional(Type.String()),
    tokenId: Type.Optional(Type.String()),
    aggregated: Type.Optional(Aggregated),
  },
  strict,
);

export const LogoutDetails = Type.Object({ method: Type.Optional(LoginMethod) }, strict);

export const InvitationDetails = Type.Object(
  { invitationId: Type.String(), email: Type.String(), role: Role, invitedBy: UserRef },
  strict,
);

export const RoleUpdatedDetails = Type.Object({ target: UserRef, before: Role, after: Role }, strict);

export const PrivilegesUpdatedDetails = Type.Object(
  { target: UserRef, added: Type.Array(Type.String()), removed: Type.Array(Type.String()) },
  strict,
);

export const GroupCreatedDetails = Type.Object(
  { group: NamedRef, added: Type.Optional(Type.Array(UserRef)), removed: Type.Optional(Type.Array(UserRef)) },
  strict,
);

export const GroupMembershipDetails = Type.Object(
  { group: NamedRef, added: Type.Array(UserRef), removed: Type.Array(UserRef) },
  strict,
);

export const ResourceCreatedDetails = Type.Object({ resource: ResourceRef }, strict);

const AccessSnapshot = Nullable(Type.Object({ access: Access }, strict));

export const PermissionUpdatedDetails = Type.Object(
  { resource: ResourceRef, subject: SubjectRef, before: AccessSnapshot, after: AccessSnapshot },
  strict,
);

/** Whole settings objects, secrets already redacted by the producer. */
const AuthSettings = Type.Object({}, { additionalProperties: true });

export const AuthSettingsUpdatedDetails = Type.Object(
  { before: AuthSettings, after: AuthSettings, changed: Type.Array(Type.String(), { minItems: 1 }) },
  strict,
);

export const ServiceAccountCreatedDetails = Type.Object({ serviceAccount: NamedRef }, strict);

export const TokenRef = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    scopes: Type.Array(Type.String()),
    expiresAt: Nullable(Type.String()),
  },
  strict,
);

export const TokenChangedDetails = Type.Object({ token: TokenRef, owner: OwnerRef }, strict);

export const SecurityLogAccessedDetails = Type.Object(
  {
    endpoint: Type.Union([Type.Literal('security-trail'), Type.Literal('tail')]),
    date: Nullable(Type.String()),
    pageSize: Nullable(Type.Integer()),
    eventTypes: Nullable(Type.Array(Type.String())),
    returned: Type.Integer({ minimum: 0 }),
  },
  strict,
);

export const AccessDeniedDetails = Type.Object(
  { endpoint: Type.String(), reason: Type.String(), required: Nullable(Type.String()) },
  strict,
);

export const SecurityLogEntitlementDetails = Type.Object({ before: Type.Boolean(), after: Type.Boolean() }, strict);

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Count = Type.Integer({ minimum: 1 });
const Seq = Type.Integer({ minimum: 1 });

export const SecurityLogPurgedDetails = Type.Object(
  {
    retentionDays: Type.Integer({ minimum: 1 }),
    firstRetainedDate: IsoDate,
    firstDate: IsoDate,
    lastDate: IsoDate,
    eventCount: Count,
    firstSeq: Seq,
    lastSeq: Seq,
  },
  strict,
);

export const OrgCreatedDetails = Type.Object(
  {
    org: Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String() }, strict),
    admin: UserRef,
    securityLogEnabled: Type.Boolean(),
  },
  strict,
);

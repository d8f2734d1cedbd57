// Row shapes and row→model mappers shared by the SQLite and PostgreSQL adapters (same snake_case columns).
import type {
  Access,
  AccessTokenRecord,
  Group,
  Invitation,
  LoginThrottle,
  Member,
  Org,
  PermissionSubject,
  Resource,
  Role,
  Scope,
  ServiceAccount,
  SessionRecord,
} from '../core/platform-model.ts';
import type { Grant, SigningKeyRecord, SsoAttempt } from '../core/ports/platform-records.ts';
import type { FailureFold, FoldedAttempts } from '../core/failure-folding.ts';

/** A JSON column: SQLite stores it as text, PostgreSQL (jsonb) hands it back already parsed. */
export function fromJson<T>(value: string | T): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

export interface GroupRow {
  org_id: string;
  id: string;
  name: string;
  created_at: number;
}

export interface ResourceRow {
  org_id: string;
  id: string;
  type: string;
  name: string;
  created_at: number;
}

export const toGroup = (row: GroupRow): Group => ({ orgId: row.org_id, id: row.id, name: row.name, createdAt: row.created_at });
export const toResource = (row: ResourceRow): Resource => ({
  orgId: row.org_id,
  id: row.id,
  type: row.type,
  name: row.name,
  createdAt: row.created_at,
});

export interface GrantRow {
  subject_kind: PermissionSubject['kind'];
  subject_id: string;
  access: Access;
}

export const toGrant = (row: GrantRow): Grant => ({ subject: { kind: row.subject_kind, id: row.subject_id }, access: row.access });

export interface ServiceAccountRow {
  org_id: string;
  id: string;
  name: string;
  role: Role;
  created_at: number;
}

export interface TokenRow {
  org_id: string;
  id: string;
  name: string;
  hash: string;
  owner_kind: 'user' | 'service_account';
  owner_id: string;
  /** JSON text on SQLite, parsed jsonb on PostgreSQL. */
  scopes: string | Scope[];
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
  use_logged_at: number | null;
}

export const toServiceAccount = (row: ServiceAccountRow): ServiceAccount => ({
  orgId: row.org_id,
  id: row.id,
  name: row.name,
  role: row.role,
  createdAt: row.created_at,
});

export const toToken = (row: TokenRow): AccessTokenRecord => ({
  orgId: row.org_id,
  id: row.id,
  name: row.name,
  hash: row.hash,
  ownerKind: row.owner_kind,
  ownerId: row.owner_id,
  scopes: fromJson<Scope[]>(row.scopes),
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  lastUsedAt: row.last_used_at,
  useLoggedAt: row.use_logged_at,
});

export interface InvitationRow {
  org_id: string;
  id: string;
  hash: string;
  email: string;
  role: Role;
  invited_by_id: string;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  accepted_user_id: string | null;
}

export const toInvitation = (row: InvitationRow): Invitation => ({
  orgId: row.org_id,
  id: row.id,
  hash: row.hash,
  email: row.email,
  role: row.role,
  invitedById: row.invited_by_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  acceptedAt: row.accepted_at,
  acceptedUserId: row.accepted_user_id,
});

export interface MemberRow {
  org_id: string;
  id: string;
  email: string;
  name: string;
  role: Role;
  /** JSON text on SQLite, parsed jsonb on PostgreSQL. */
  privileges: string | string[];
  password_hash: string | null;
  created_at: number;
}

export const toMember = (row: MemberRow): Member => ({
  orgId: row.org_id,
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  privileges: fromJson<string[]>(row.privileges),
  passwordHash: row.password_hash,
  createdAt: row.created_at,
});

export interface OrgRow {
  id: string;
  slug: string;
  name: string;
  /** INTEGER 0/1 on SQLite, boolean on PostgreSQL. */
  security_log_enabled: number | boolean;
  created_at: number;
}

export const toOrg = (row: OrgRow): Org => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  securityLogEnabled: row.security_log_enabled === true || row.security_log_enabled === 1,
  createdAt: row.created_at,
});

export interface SessionRow {
  org_id: string;
  id: string;
  hash: string;
  user_id: string;
  method: 'password' | 'sso';
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export const toSession = (row: SessionRow): SessionRecord => ({
  orgId: row.org_id,
  id: row.id,
  hash: row.hash,
  userId: row.user_id,
  method: row.method,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

export interface AttemptRow {
  hash: string;
  org_id: string;
  provider: string;
  state: string;
  nonce: string;
  sealed_verifier: string;
  created_at: number;
  expires_at: number;
  client_key: string | null;
}

export const toSsoAttempt = (row: AttemptRow): SsoAttempt => ({
  orgId: row.org_id,
  hash: row.hash,
  clientKey: row.client_key,
  provider: row.provider,
  state: row.state,
  nonce: row.nonce,
  sealedVerifier: row.sealed_verifier,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
});

export interface ThrottleRow {
  failures: number;
  first_failure_at: number;
  last_failure_at: number;
  blocked_until: number;
}

export const toLoginThrottle = (row: ThrottleRow): LoginThrottle => ({
  failures: row.failures,
  firstFailureAt: row.first_failure_at,
  lastFailureAt: row.last_failure_at,
  blockedUntil: row.blocked_until,
});

export interface SigningKeyRow {
  readonly key_id: string;
  readonly public_key: string;
  readonly valid_from: number;
  readonly valid_until: number | null;
  readonly announcement: string | null;
}

export function toSigningKey(row: SigningKeyRow): SigningKeyRecord {
  return { keyId: row.key_id, publicKey: row.public_key, validFrom: row.valid_from, validUntil: row.valid_until, announcement: row.announcement };
}

export interface FailureFoldRow {
  readonly org_id: string;
  readonly key: string;
  readonly window_start: number;
  readonly written: number;
  readonly folded: string | FoldedAttempts | null;
}

export function toFailureFold(row: FailureFoldRow): FailureFold {
  return {
    orgId: row.org_id,
    key: row.key,
    windowStart: row.window_start,
    written: row.written,
    folded: row.folded === null ? null : fromJson<FoldedAttempts>(row.folded),
  };
}

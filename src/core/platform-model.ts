// The platform's records as the core sees them, independent of how a store keeps them.
import type { Role } from './events/refs.ts';

export type { Role } from './events/refs.ts';
export const ROLES = ['reader', 'writer', 'admin'] as const satisfies readonly Role[];

export const SCOPES = ['security-log:read', 'platform:admin'] as const;
export type Scope = (typeof SCOPES)[number];
export const SECURITY_LOG_SCOPE: Scope = 'security-log:read';
export const PLATFORM_ADMIN_SCOPE: Scope = 'platform:admin';

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

export type Access = 'read' | 'write' | 'admin';
export const ACCESS_LEVELS = ['read', 'write', 'admin'] as const satisfies readonly Access[];

/** An OIDC provider an org signs in with. The client secret is sealed at rest by the store's caller. */
export interface SsoProvider {
  readonly name: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface AuthSettings {
  readonly plainLogin: boolean;
  readonly googleOAuth: boolean;
  readonly sso: { readonly providers: readonly SsoProvider[] } | null;
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = { plainLogin: true, googleOAuth: false, sso: null };

export interface Org {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly securityLogEnabled: boolean;
  readonly createdAt: number;
}

export interface Member {
  readonly orgId: string;
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  /** Individual privileges beyond the role, by name (see privileges.ts). */
  readonly privileges: readonly string[];
  readonly passwordHash: string | null;
  readonly createdAt: number;
}

export interface SessionRecord {
  readonly orgId: string;
  /** SHA-256 of the cookie's secret; the secret itself is never kept. */
  readonly hash: string;
  readonly id: string;
  readonly userId: string;
  readonly method: 'password' | 'sso';
  readonly createdAt: number;
  readonly lastSeenAt: number;
  /** The absolute end, whatever the activity. */
  readonly expiresAt: number;
  readonly revokedAt: number | null;
}

export interface Invitation {
  readonly orgId: string;
  readonly id: string;
  /** SHA-256 of the secret in the accept URL. */
  readonly hash: string;
  readonly email: string;
  readonly role: Role;
  readonly invitedById: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly acceptedAt: number | null;
  readonly acceptedUserId: string | null;
}

export interface Group {
  readonly orgId: string;
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
}

export interface Resource {
  readonly orgId: string;
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly createdAt: number;
}

export interface PermissionSubject {
  readonly kind: 'user' | 'group';
  readonly id: string;
}

/** Failed sign-ins counted per key (an email or an IP) of an org, for throttling. */
export interface LoginThrottle {
  readonly failures: number;
  readonly firstFailureAt: number;
  readonly lastFailureAt: number;
  readonly blockedUntil: number;
}

export interface ServiceAccount {
  readonly orgId: string;
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: number;
}

export type OwnerKind = 'user' | 'service_account';

export interface AccessTokenRecord {
  readonly orgId: string;
  readonly id: string;
  readonly name: string;
  /** Lowercase hex SHA-256 of the secret; the secret itself is never kept. */
  readonly hash: string;
  readonly ownerKind: OwnerKind;
  readonly ownerId: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: number;
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
  readonly lastUsedAt: number | null;
  /** When a successful use was last written to the log (at most hourly). */
  readonly useLoggedAt: number | null;
}

/** A token's owner (or a session's member) as events, API answers and access rules see it. */
export interface TokenOwner {
  readonly kind: OwnerKind;
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly role: Role;
  /** A member's individual privileges by name; a service account has none. */
  readonly privileges: readonly string[];
}

export function memberOwner(member: Member): TokenOwner {
  return { kind: 'user', id: member.id, name: member.name, email: member.email, role: member.role, privileges: member.privileges };
}

export function serviceAccountOwner(account: ServiceAccount): TokenOwner {
  return { kind: 'service_account', id: account.id, name: account.name, email: null, role: account.role, privileges: [] };
}

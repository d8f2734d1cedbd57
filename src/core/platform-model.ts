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
  readonly passwordHash: string | null;
  readonly createdAt: number;
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

/** A token's owner as events and API answers name it. */
export interface TokenOwner {
  readonly kind: OwnerKind;
  readonly id: string;
  readonly name: string;
  readonly email: string | null;
  readonly role: Role;
}

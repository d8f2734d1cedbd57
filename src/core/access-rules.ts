// Who may administer what, as pure rules over the caller (a Principal) and the action asked for.
// Admins may do everything except change their own role or privileges; changing anyone's role or
// privileges needs the admin role; the other actions are open to members holding the matching
// privilege (writers may also create resources), who may never widen their own rights through them.
// A token must also carry the platform:admin scope. A refusal names its reason and what was required.
import type { Role } from './events/refs.ts';
import { PLATFORM_ADMIN_SCOPE, SECURITY_LOG_SCOPE } from './platform-model.ts';
import { hasScope, type Principal } from './principal.ts';
import type { Privilege } from './privileges.ts';

export type DenyReason = 'missing_scope' | 'not_admin' | 'missing_privilege' | 'own_rights' | 'role_above_own';

export interface Refusal {
  readonly reason: DenyReason;
  /**
   * What would have allowed the request: a scope (`platform:admin`), a role (`role:admin`) or a
   * privilege (`privilege:groups:manage`), alternatives joined by `|`; null when nothing would.
   */
  readonly required: string | null;
  readonly message: string;
}

/**
 * An administration request. Facts only known once the body is read are optional: without them
 * the rules decide what they can (before parsing), and with them they decide the rest.
 */
export type AdminAction =
  | { readonly kind: 'list_privileges' }
  | { readonly kind: 'list_members' }
  | { readonly kind: 'list_invitations' }
  | { readonly kind: 'invite'; readonly role?: Role }
  | { readonly kind: 'change_role'; readonly targetUserId: string }
  | { readonly kind: 'change_privileges'; readonly targetUserId: string }
  | { readonly kind: 'list_groups' }
  | { readonly kind: 'manage_groups'; readonly memberIds?: readonly string[] }
  | { readonly kind: 'list_resources' }
  | { readonly kind: 'create_resource' }
  | { readonly kind: 'list_permissions' }
  /** `affectsCaller`: the subject is the caller, or a group the caller belongs to. */
  | { readonly kind: 'manage_permissions'; readonly affectsCaller?: boolean };

const ROLE_RANK: Record<Role, number> = { reader: 0, writer: 1, admin: 2 };

const MEMBER_DIRECTORY: readonly Privilege[] = ['members:invite', 'groups:manage', 'permissions:manage'];

function refuse(reason: DenyReason, required: string | null, message: string): Refusal {
  return { reason, required, message };
}

/** `role:writer|privilege:a|privilege:b`: any one of them would do (the admin role always does). */
function alternatives(privileges: readonly Privilege[], role?: Role): string {
  return [...(role === undefined ? [] : [`role:${role}`]), ...privileges.map((name) => `privilege:${name}`)].join('|');
}

function holdsAny(principal: Principal, privileges: readonly Privilege[]): boolean {
  return principal.owner.role === 'admin' || privileges.some((name) => principal.owner.privileges.includes(name));
}

function needsPrivilege(principal: Principal, privilege: Privilege, what: string): Refusal | null {
  return holdsAny(principal, [privilege])
    ? null
    : refuse('missing_privilege', `privilege:${privilege}`, `Only an admin or a member with ${privilege} may ${what}.`);
}

function isCaller(principal: Principal, userId: string): boolean {
  return principal.owner.kind === 'user' && principal.owner.id === userId;
}

function ruleFor(principal: Principal, action: AdminAction): Refusal | null {
  const { owner } = principal;
  switch (action.kind) {
    case 'list_privileges':
      return null;
    case 'list_members':
      return holdsAny(principal, MEMBER_DIRECTORY)
        ? null
        : refuse('missing_privilege', alternatives(MEMBER_DIRECTORY), 'Only an admin or a member who administers others may list members.');
    case 'list_invitations':
      return needsPrivilege(principal, 'members:invite', 'list pending invitations');
    case 'invite': {
      const missing = needsPrivilege(principal, 'members:invite', 'invite people');
      if (missing !== null || action.role === undefined || ROLE_RANK[action.role] <= ROLE_RANK[owner.role]) return missing;
      return refuse('role_above_own', `role:${action.role}`, "An invitation may not grant a role above the inviter's own.");
    }
    case 'change_role':
    case 'change_privileges':
      if (isCaller(principal, action.targetUserId)) {
        return refuse('own_rights', null, 'Nobody may change their own role or privileges; ask another admin.');
      }
      return owner.role === 'admin' ? null : refuse('not_admin', 'role:admin', "Only an org admin may change a member's role or privileges.");
    case 'list_groups':
      return holdsAny(principal, ['groups:manage', 'permissions:manage'])
        ? null
        : refuse('missing_privilege', alternatives(['groups:manage', 'permissions:manage']), 'Only an admin or a member who manages groups or permissions may list groups.');
    case 'manage_groups': {
      const missing = needsPrivilege(principal, 'groups:manage', 'manage groups');
      if (missing !== null || owner.role === 'admin' || !(action.memberIds ?? []).some((id) => isCaller(principal, id))) return missing;
      return refuse('own_rights', 'role:admin', 'Only an admin may add themselves to a group or remove themselves from one.');
    }
    case 'list_resources':
      return owner.role === 'writer' || holdsAny(principal, ['resources:create', 'permissions:manage'])
        ? null
        : refuse('missing_privilege', alternatives(['resources:create', 'permissions:manage'], 'writer'), 'Only a writer, an admin or a member who manages resources may list them.');
    case 'create_resource':
      return owner.role === 'writer' || holdsAny(principal, ['resources:create'])
        ? null
        : refuse('missing_privilege', alternatives(['resources:create'], 'writer'), 'Only a writer, an admin or a member with resources:create may create resources.');
    case 'list_permissions':
      return needsPrivilege(principal, 'permissions:manage', 'see who has access to a resource');
    case 'manage_permissions': {
      const missing = needsPrivilege(principal, 'permissions:manage', 'manage permissions');
      if (missing !== null || owner.role === 'admin' || action.affectsCaller !== true) return missing;
      return refuse('own_rights', 'role:admin', 'Only an admin may change their own access or that of a group they belong to.');
    }
  }
}

/** Null when the principal may do the action; otherwise why not. */
export function adminRefusal(principal: Principal, action: AdminAction): Refusal | null {
  if (!hasScope(principal, PLATFORM_ADMIN_SCOPE)) {
    return refuse('missing_scope', PLATFORM_ADMIN_SCOPE, 'This token may not administer the org.');
  }
  // A token administers only for an admin owner (DESIGN §3); a person's session goes by the rules.
  if (principal.credential.kind === 'token' && principal.owner.role !== 'admin') {
    return refuse('not_admin', 'role:admin', 'Only a token of an org admin may administer the org.');
  }
  return ruleFor(principal, action);
}

/**
 * Reading the security log: a token needs the security-log:read scope (an admin granted it); a
 * member, signed in or through a token of their own, needs the admin role or the
 * security-log:read privilege now, at each use: a token acts with its owner's current rights, so
 * a member's token stops reading the log once the member may no longer. A service account's
 * token is its scope.
 */
export function securityLogRefusal(principal: Principal): Refusal | null {
  if (!hasScope(principal, SECURITY_LOG_SCOPE)) {
    return refuse('missing_scope', SECURITY_LOG_SCOPE, 'This token may not read the security log.');
  }
  if (principal.credential.kind === 'token' && principal.owner.kind === 'service_account') return null;
  if (principal.credential.kind === 'token' && !holdsAny(principal, ['security-log:read'])) {
    return refuse('missing_privilege', 'privilege:security-log:read', "This token's owner may no longer read the security log.");
  }
  return needsPrivilege(principal, 'security-log:read', 'read the security log');
}

// The access rules on their own: who may administer what, by role, privilege and scope, and that
// nobody widens their own rights.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adminRefusal, securityLogRefusal, type AdminAction } from './access-rules.ts';
import type { Role, Scope } from './platform-model.ts';
import type { Principal } from './principal.ts';
import { PRIVILEGES, type Privilege } from './privileges.ts';

const ORG = { id: 'org', slug: 'acme', name: 'Acme', securityLogEnabled: true, createdAt: 0 };

interface Caller {
  readonly role: Role;
  readonly privileges?: readonly Privilege[];
  readonly kind?: 'user' | 'service_account';
  /** Token scopes; a session when absent. */
  readonly scopes?: readonly Scope[];
}

function principal(caller: Caller, id = 'me'): Principal {
  const owner = { kind: caller.kind ?? 'user', id, name: 'Me', email: null, role: caller.role, privileges: caller.privileges ?? [] };
  const credential: Principal['credential'] =
    caller.scopes === undefined
      ? { kind: 'session', session: { orgId: 'org', hash: 'h', id: 's', userId: id, method: 'password', createdAt: 0, lastSeenAt: 0, expiresAt: 1, revokedAt: null } }
      : {
          kind: 'token',
          token: {
            orgId: 'org', id: 't', name: 't', hash: 'h', ownerKind: owner.kind, ownerId: id, scopes: caller.scopes,
            createdAt: 0, expiresAt: null, revokedAt: null, lastUsedAt: null, useLoggedAt: null,
          },
        };
  return { org: ORG, owner, credential };
}

const ACTIONS: readonly AdminAction[] = [
  { kind: 'list_privileges' },
  { kind: 'list_members' },
  { kind: 'invite', role: 'admin' },
  { kind: 'change_role', targetUserId: 'other' },
  { kind: 'change_privileges', targetUserId: 'other' },
  { kind: 'list_groups' },
  { kind: 'manage_groups', memberIds: ['me', 'other'] },
  { kind: 'list_resources' },
  { kind: 'create_resource' },
  { kind: 'manage_permissions', affectsCaller: true },
];

describe('the access rules', () => {
  test('let an admin do every action but changing their own role or privileges', () => {
    for (const action of ACTIONS) assert.equal(adminRefusal(principal({ role: 'admin' }), action), null, action.kind);
    for (const kind of ['change_role', 'change_privileges'] as const) {
      assert.equal(adminRefusal(principal({ role: 'admin' }), { kind, targetUserId: 'me' })?.reason, 'own_rights');
    }
  });

  test('refuse a token without platform:admin whatever its owner may do', () => {
    const caller = principal({ role: 'admin', scopes: ['security-log:read'] });
    for (const action of ACTIONS) {
      assert.deepEqual(
        { reason: adminRefusal(caller, action)?.reason, required: adminRefusal(caller, action)?.required },
        { reason: 'missing_scope', required: 'platform:admin' },
      );
    }
    assert.equal(adminRefusal(principal({ role: 'admin', scopes: ['platform:admin'] }), { kind: 'list_members' }), null);
  });

  test('let only admins change roles and privileges, whatever privileges the caller holds', () => {
    const everything = principal({ role: 'writer', privileges: PRIVILEGES });
    for (const kind of ['change_role', 'change_privileges'] as const) {
      const refusal = adminRefusal(everything, { kind, targetUserId: 'other' });
      assert.deepEqual([refusal?.reason, refusal?.required], ['not_admin', 'role:admin']);
    }
  });

  test('refuse a reader everything but the privilege catalogue', () => {
    const reader = principal({ role: 'reader' });
    for (const action of ACTIONS) {
      const refusal = adminRefusal(reader, action);
      if (action.kind === 'list_privileges') assert.equal(refusal, null);
      else assert.ok(refusal !== null, action.kind);
    }
  });

  test('open each action to the matching privilege', () => {
    const cases: [Privilege, AdminAction][] = [
      ['members:invite', { kind: 'invite', role: 'reader' }],
      ['members:invite', { kind: 'list_members' }],
      ['groups:manage', { kind: 'manage_groups', memberIds: ['other'] }],
      ['groups:manage', { kind: 'list_groups' }],
      ['resources:create', { kind: 'create_resource' }],
      ['permissions:manage', { kind: 'manage_permissions', affectsCaller: false }],
      ['permissions:manage', { kind: 'list_resources' }],
    ];
    for (const [privilege, action] of cases) {
      assert.ok(adminRefusal(principal({ role: 'reader' }), action) !== null, `a reader without ${privilege}`);
      assert.equal(adminRefusal(principal({ role: 'reader', privileges: [privilege] }), action), null, `${privilege}: ${action.kind}`);
    }
    const missing = adminRefusal(principal({ role: 'reader' }), { kind: 'manage_groups' });
    assert.deepEqual([missing?.reason, missing?.required], ['missing_privilege', 'privilege:groups:manage']);
  });

  test('let writers create resources without a privilege', () => {
    assert.equal(adminRefusal(principal({ role: 'writer' }), { kind: 'create_resource' }), null);
    // A token administers only for an admin owner (DESIGN §3), whatever its owner's role allows.
    assert.equal(adminRefusal(principal({ role: 'writer', kind: 'service_account', scopes: ['platform:admin'] }), { kind: 'create_resource' })?.reason, 'not_admin');
    assert.equal(adminRefusal(principal({ role: 'reader' }), { kind: 'create_resource' })?.required, 'role:writer|privilege:resources:create');
  });

  test('refuse an invitation for a role above the inviter’s own', () => {
    const writer = principal({ role: 'writer', privileges: ['members:invite'] });
    assert.equal(adminRefusal(writer, { kind: 'invite', role: 'writer' }), null);
    assert.deepEqual(
      [adminRefusal(writer, { kind: 'invite', role: 'admin' })?.reason, adminRefusal(writer, { kind: 'invite', role: 'admin' })?.required],
      ['role_above_own', 'role:admin'],
    );
    assert.equal(adminRefusal(principal({ role: 'reader', privileges: ['members:invite'] }), { kind: 'invite', role: 'writer' })?.reason, 'role_above_own');
    // Before the body is read, the role is unknown: only the privilege is checked.
    assert.equal(adminRefusal(writer, { kind: 'invite' }), null);
  });

  test('keep a privileged member from widening their own access through groups or permissions', () => {
    const manager = principal({ role: 'writer', privileges: ['groups:manage', 'permissions:manage'] });
    assert.equal(adminRefusal(manager, { kind: 'manage_groups', memberIds: ['me'] })?.reason, 'own_rights');
    assert.equal(adminRefusal(manager, { kind: 'manage_groups', memberIds: ['other'] }), null);
    assert.equal(adminRefusal(manager, { kind: 'manage_permissions', affectsCaller: true })?.reason, 'own_rights');
    assert.equal(adminRefusal(manager, { kind: 'manage_permissions', affectsCaller: false }), null);
    // A service account is never a group member or a permission's subject: an id that equals its own is someone else's.
    const account = principal({ role: 'admin', kind: 'service_account', scopes: ['platform:admin'] });
    assert.equal(adminRefusal(account, { kind: 'manage_groups', memberIds: ['me'] }), null);
  });

  test('let a service account\u2019s token read the security log by its scope, and a member by role or privilege', () => {
    assert.equal(securityLogRefusal(principal({ role: 'reader', kind: 'service_account', scopes: ['security-log:read'] })), null);
    assert.equal(securityLogRefusal(principal({ role: 'admin', scopes: ['platform:admin'] }))?.reason, 'missing_scope');
    assert.equal(securityLogRefusal(principal({ role: 'admin' })), null);
    assert.deepEqual(
      [securityLogRefusal(principal({ role: 'writer' }))?.reason, securityLogRefusal(principal({ role: 'writer' }))?.required],
      ['missing_privilege', 'privilege:security-log:read'],
    );
    assert.equal(securityLogRefusal(principal({ role: 'reader', privileges: ['security-log:read'] })), null);
  });

  test("let a member's token read the security log only while its owner may, at each use", () => {
    const reads = ['security-log:read'] as const;
    assert.equal(securityLogRefusal(principal({ role: 'admin', scopes: reads })), null);
    assert.equal(securityLogRefusal(principal({ role: 'reader', privileges: ['security-log:read'], scopes: reads })), null);
    const demoted = securityLogRefusal(principal({ role: 'reader', scopes: reads }));
    assert.deepEqual([demoted?.reason, demoted?.required], ['missing_privilege', 'privilege:security-log:read']);
    assert.equal(securityLogRefusal(principal({ role: 'writer', scopes: reads }))?.reason, 'missing_privilege');
  });
});

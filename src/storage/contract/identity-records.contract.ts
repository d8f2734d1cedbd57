// Identity and access records: members, sessions, invitations, groups, resources and permissions,
// sign-in throttles, SSO attempts and login settings, each checked against its port's doc comment.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_AUTH_SETTINGS, type AuthSettings, type Invitation, type Member, type SessionRecord } from '../../core/platform-model.ts';
import type { SsoAttempt } from '../../core/ports/platform-records.ts';
import { INSTALLATION_WIDE, UniqueViolationError } from '../../core/ports/store.ts';
import { createOrgIn, withStore } from './contract-fixtures.ts';
import { ManualClock } from './manual-clock.ts';
import type { StoreContractTarget } from './store.contract.ts';

const T0 = Date.UTC(2025, 4, 17, 8);
const HOUR = 3_600_000;

function member(orgId: string, id: string, email: string, createdAt = T0): Member {
  return { orgId, id, email, name: `Member ${id}`, role: 'reader', privileges: [], passwordHash: null, createdAt };
}

function session(orgId: string, id: string, hash: string): SessionRecord {
  return {
    orgId,
    hash,
    id,
    userId: 'u-1',
    method: 'password',
    createdAt: T0,
    lastSeenAt: T0,
    expiresAt: T0 + 24 * HOUR,
    revokedAt: null,
  };
}

function invitation(orgId: string, id: string, email: string, createdAt: number, expiresAt: number): Invitation {
  return {
    orgId,
    id,
    hash: id.padEnd(64, '0'),
    email,
    role: 'writer',
    invitedById: 'u-1',
    createdAt,
    expiresAt,
    acceptedAt: null,
    acceptedUserId: null,
  };
}

export function identityRecordsContract(target: StoreContractTarget): void {
  describe('identity records', () => {
    test('finds a created member by id and by email, and lists members oldest first', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const newer = { ...member(org.id, 'u-new', 'new@acme.test', T0 + 2000), passwordHash: 'scrypt$abc', privileges: ['groups:manage'] };
        const older = member(org.id, 'u-old', 'old@acme.test', T0);
        const middle = member(org.id, 'u-mid', 'mid@acme.test', T0 + 1000);
        await store.transact(async (tx) => {
          await tx.createMember(newer);
          await tx.createMember(older);
          await tx.createMember(middle);
        });
        assert.deepEqual(await store.platform.memberById(org.id, 'u-new'), newer);
        assert.deepEqual(await store.platform.memberByEmail(org.id, 'old@acme.test'), older);
        assert.equal(await store.platform.memberById(org.id, 'u-missing'), null);
        assert.equal(await store.platform.memberByEmail(org.id, 'missing@acme.test'), null);
        assert.deepEqual(
          (await store.platform.members(org.id)).map((m) => m.id),
          ['u-old', 'u-mid', 'u-new'],
        );
      });
    });

    test('changes a member role and round-trips their privileges', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact((tx) => tx.createMember(member(org.id, 'u-1', 'ada@acme.test')));
        await store.transact((tx) => tx.setMemberRole(org.id, 'u-1', 'admin'));
        assert.equal((await store.platform.memberById(org.id, 'u-1'))?.role, 'admin');
        await store.transact((tx) => tx.setMemberPrivileges(org.id, 'u-1', ['members:invite', 'security-log:read']));
        assert.deepEqual((await store.platform.memberById(org.id, 'u-1'))?.privileges, ['members:invite', 'security-log:read']);
        await store.transact((tx) => tx.setMemberPrivileges(org.id, 'u-1', []));
        const cleared = await store.platform.memberById(org.id, 'u-1');
        assert.deepEqual(cleared?.privileges, []);
        assert.equal(cleared?.role, 'admin');
      });
    });

    test('refuses a second member with the same email in one org but allows it in another org', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const other = await store.transact((tx) => createOrgIn(tx));
        await store.transact((tx) => tx.createMember(member(org.id, 'u-1', 'ada@acme.test')));
        await assert.rejects(store.transact((tx) => tx.createMember(member(org.id, 'u-2', 'ada@acme.test'))), UniqueViolationError);
        await store.transact((tx) => tx.createMember(member(other.id, 'u-2', 'ada@acme.test')));
        assert.equal((await store.platform.members(org.id)).length, 1);
        assert.equal((await store.platform.memberByEmail(other.id, 'ada@acme.test'))?.id, 'u-2');
      });
    });

    test('finds a created session by its hash', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const created = session(org.id, 's-1', 'b'.repeat(64));
        await store.transact((tx) => tx.createSession(created));
        assert.deepEqual(await store.platform.sessionByHash('b'.repeat(64)), created);
        assert.equal(await store.platform.sessionByHash('c'.repeat(64)), null);
      });
    });

    test('moves a session lastSeenAt forward and never back', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact((tx) => tx.createSession(session(org.id, 's-1', 'b'.repeat(64))));
        await store.transact((tx) => tx.touchSession(org.id, 's-1', T0 + 10 * 60_000));
        assert.equal((await store.platform.sessionByHash('b'.repeat(64)))?.lastSeenAt, T0 + 10 * 60_000);
        await store.transact((tx) => tx.touchSession(org.id, 's-1', T0 + 60_000));
        assert.equal((await store.platform.sessionByHash('b'.repeat(64)))?.lastSeenAt, T0 + 10 * 60_000);
      });
    });

    test('revokes a session once and keeps the first revocation time', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact((tx) => tx.createSession(session(org.id, 's-1', 'b'.repeat(64))));
        assert.equal(await store.transact((tx) => tx.revokeSession(org.id, 's-1', T0 + 5)), true);
        assert.equal(await store.transact((tx) => tx.revokeSession(org.id, 's-1', T0 + 6)), false);
        assert.equal((await store.platform.sessionByHash('b'.repeat(64)))?.revokedAt, T0 + 5);
      });
    });

    test('finds a created invitation by its hash', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const created = invitation(org.id, 'i-1', 'bo@acme.test', T0, T0 + 48 * HOUR);
        await store.transact((tx) => tx.createInvitation(created));
        assert.deepEqual(await store.platform.invitationByHash(created.hash), created);
        assert.equal(await store.platform.invitationByHash('d'.repeat(64)), null);
      });
    });

    test('returns the newest pending invitation for an email', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact(async (tx) => {
          await tx.createInvitation(invitation(org.id, 'i-old', 'bo@acme.test', T0, T0 + 48 * HOUR));
          await tx.createInvitation(invitation(org.id, 'i-new', 'bo@acme.test', T0 + HOUR, T0 + 48 * HOUR));
          await tx.createInvitation(invitation(org.id, 'i-other', 'cy@acme.test', T0 + 2 * HOUR, T0 + 48 * HOUR));
        });
        assert.equal((await store.platform.pendingInvitation(org.id, 'bo@acme.test', T0 + 3 * HOUR))?.id, 'i-new');
        assert.equal(await store.platform.pendingInvitation(org.id, 'dee@acme.test', T0 + 3 * HOUR), null);
      });
    });

    test('has no pending invitation once the invitation has expired', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact((tx) => tx.createInvitation(invitation(org.id, 'i-1', 'bo@acme.test', T0, T0 + HOUR)));
        assert.equal((await store.platform.pendingInvitation(org.id, 'bo@acme.test', T0 + HOUR / 2))?.id, 'i-1');
        assert.equal(await store.platform.pendingInvitation(org.id, 'bo@acme.test', T0 + 2 * HOUR), null);
      });
    });

    test("lists the org's pending invitations newest first, without accepted, expired or other orgs' ones", async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const other = await store.transact((tx) => createOrgIn(tx));
        await store.transact(async (tx) => {
          await tx.createInvitation(invitation(org.id, 'i-old', 'bo@acme.test', T0, T0 + 48 * HOUR));
          await tx.createInvitation(invitation(org.id, 'i-new', 'cy@acme.test', T0 + HOUR, T0 + 48 * HOUR));
          await tx.createInvitation(invitation(org.id, 'i-expiring', 'dee@acme.test', T0 + HOUR, T0 + 2 * HOUR));
          await tx.createInvitation(invitation(org.id, 'i-accepted', 'eve@acme.test', T0 + HOUR, T0 + 48 * HOUR));
          await tx.createInvitation(invitation(other.id, 'i-foreign', 'fay@acme.test', T0 + HOUR, T0 + 48 * HOUR));
        });
        await store.transact((tx) => tx.acceptInvitation(org.id, 'i-accepted', T0 + HOUR, 'u-eve'));
        const ids = async (now: number) => (await store.platform.pendingInvitations(org.id, now)).map((item) => item.id);
        assert.deepEqual(await ids(T0 + HOUR), ['i-new', 'i-expiring', 'i-old']);
        assert.deepEqual(await ids(T0 + 2 * HOUR), ['i-new', 'i-old']);
        assert.deepEqual(await store.platform.pendingInvitations(org.id, T0 + HOUR).then((items) => items[2]), invitation(org.id, 'i-old', 'bo@acme.test', T0, T0 + 48 * HOUR));
        assert.deepEqual(await ids(T0 + 48 * HOUR), []);
      });
    });

    test('accepts an invitation once and then no longer reports it pending', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const created = invitation(org.id, 'i-1', 'bo@acme.test', T0, T0 + 48 * HOUR);
        await store.transact((tx) => tx.createInvitation(created));
        assert.equal(await store.transact((tx) => tx.acceptInvitation(org.id, 'i-1', T0 + 10, 'u-bo')), true);
        assert.equal(await store.transact((tx) => tx.acceptInvitation(org.id, 'i-1', T0 + 20, 'u-other')), false);
        const accepted = await store.platform.invitationByHash(created.hash);
        assert.equal(accepted?.acceptedAt, T0 + 10);
        assert.equal(accepted?.acceptedUserId, 'u-bo');
        assert.equal(await store.platform.pendingInvitation(org.id, 'bo@acme.test', T0 + HOUR), null);
      });
    });

    test('creates groups and refuses a taken group name in the org', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const group = { orgId: org.id, id: 'g-1', name: 'oncall', createdAt: T0 };
        await store.transact((tx) => tx.createGroup(group));
        assert.deepEqual(await store.platform.groupById(org.id, 'g-1'), group);
        assert.equal(await store.platform.groupById(org.id, 'g-missing'), null);
        await assert.rejects(store.transact((tx) => tx.createGroup({ ...group, id: 'g-2' })), UniqueViolationError);
        assert.deepEqual((await store.platform.groups(org.id)).map((g) => g.id), ['g-1']);
      });
    });

    test('adds group members idempotently and removes them', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact(async (tx) => {
          await tx.createMember(member(org.id, 'u-1', 'ada@acme.test'));
          await tx.createMember(member(org.id, 'u-2', 'bo@acme.test'));
          await tx.createMember(member(org.id, 'u-3', 'cy@acme.test'));
          await tx.createGroup({ orgId: org.id, id: 'g-1', name: 'oncall', createdAt: T0 });
        });
        const ids = async () => (await store.platform.groupMemberIds(org.id, 'g-1')).sort();
        assert.deepEqual(await ids(), []);
        await store.transact((tx) => tx.changeGroupMembers(org.id, 'g-1', ['u-1', 'u-2'], []));
        assert.deepEqual(await ids(), ['u-1', 'u-2']);
        await store.transact((tx) => tx.changeGroupMembers(org.id, 'g-1', ['u-2', 'u-3'], []));
        assert.deepEqual(await ids(), ['u-1', 'u-2', 'u-3']);
        await store.transact((tx) => tx.changeGroupMembers(org.id, 'g-1', [], ['u-1', 'u-3']));
        assert.deepEqual(await ids(), ['u-2']);
      });
    });

    test('creates resources and gives no permission by default', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const resource = { orgId: org.id, id: 'r-1', type: 'repository', name: 'billing', createdAt: T0 };
        await store.transact((tx) => tx.createResource(resource));
        assert.deepEqual(await store.platform.resourceById(org.id, 'r-1'), resource);
        assert.equal(await store.platform.resourceById(org.id, 'r-missing'), null);
        assert.deepEqual((await store.platform.resources(org.id)).map((r) => r.id), ['r-1']);
        assert.equal(await store.platform.permission(org.id, 'r-1', { kind: 'user', id: 'u-1' }), null);
        assert.equal(await store.platform.permission(org.id, 'r-1', { kind: 'group', id: 'g-1' }), null);
      });
    });

    test('sets, changes and removes permissions for user and group subjects separately', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact((tx) => tx.createResource({ orgId: org.id, id: 'r-1', type: 'repository', name: 'billing', createdAt: T0 }));
        const user = { kind: 'user' as const, id: 'x-1' };
        const group = { kind: 'group' as const, id: 'x-1' };
        await store.transact((tx) => tx.setPermission(org.id, 'r-1', user, 'read'));
        assert.equal(await store.platform.permission(org.id, 'r-1', user), 'read');
        assert.equal(await store.platform.permission(org.id, 'r-1', group), null);
        await store.transact((tx) => tx.setPermission(org.id, 'r-1', group, 'admin'));
        await store.transact((tx) => tx.setPermission(org.id, 'r-1', user, 'write'));
        assert.equal(await store.platform.permission(org.id, 'r-1', user), 'write');
        assert.equal(await store.platform.permission(org.id, 'r-1', group), 'admin');
        await store.transact((tx) => tx.setPermission(org.id, 'r-1', user, null));
        assert.equal(await store.platform.permission(org.id, 'r-1', user), null);
        assert.equal(await store.platform.permission(org.id, 'r-1', group), 'admin');
        await store.transact((tx) => tx.setPermission(org.id, 'r-1', group, null));
        assert.equal(await store.platform.permission(org.id, 'r-1', group), null);
      });
    });

    test("lists a resource's grants, users before groups, and no other resource's", async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        await store.transact(async (tx) => {
          await tx.createResource({ orgId: org.id, id: 'r-1', type: 'repository', name: 'billing', createdAt: T0 });
          await tx.createResource({ orgId: org.id, id: 'r-2', type: 'repository', name: 'payroll', createdAt: T0 });
          await tx.setPermission(org.id, 'r-1', { kind: 'group', id: 'g-1' }, 'write');
          await tx.setPermission(org.id, 'r-1', { kind: 'user', id: 'u-2' }, 'admin');
          await tx.setPermission(org.id, 'r-1', { kind: 'user', id: 'u-1' }, 'read');
          await tx.setPermission(org.id, 'r-2', { kind: 'user', id: 'u-3' }, 'read');
        });
        assert.deepEqual(await store.platform.resourcePermissions(org.id, 'r-1'), [
          { subject: { kind: 'user', id: 'u-1' }, access: 'read' },
          { subject: { kind: 'user', id: 'u-2' }, access: 'admin' },
          { subject: { kind: 'group', id: 'g-1' }, access: 'write' },
        ]);
        await store.transact((tx) => tx.setPermission(org.id, 'r-1', { kind: 'user', id: 'u-2' }, null));
        assert.deepEqual((await store.platform.resourcePermissions(org.id, 'r-1')).map((grant) => grant.subject.id), ['u-1', 'g-1']);
        assert.deepEqual(await store.platform.resourcePermissions(org.id, 'r-missing'), []);
      });
    });

    test('stores, reads back and deletes a sign-in throttle', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const key = 'email:ada@acme.test';
        assert.equal(await store.platform.loginThrottle(org.id, key), null);
        const state = { failures: 3, firstFailureAt: T0, lastFailureAt: T0 + 1000, blockedUntil: T0 + 60_000 };
        await store.transact((tx) => tx.setLoginThrottle(org.id, key, state));
        assert.deepEqual(await store.platform.loginThrottle(org.id, key), state);
        const next = { ...state, failures: 4, lastFailureAt: T0 + 2000 };
        await store.transact((tx) => tx.setLoginThrottle(org.id, key, next));
        assert.deepEqual(await store.platform.loginThrottle(org.id, key), next);
        assert.equal(await store.platform.loginThrottle(org.id, 'ip:203.0.113.7'), null);
        await store.transact((tx) => tx.setLoginThrottle(org.id, key, null));
        assert.equal(await store.platform.loginThrottle(org.id, key), null);
      });
    });

    test('keeps an installation-wide sign-in throttle without any org', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const key = 'ip:203.0.113.7';
        assert.equal(await store.platform.loginThrottle(INSTALLATION_WIDE, key), null);
        const state = { failures: 7, firstFailureAt: T0, lastFailureAt: T0 + 1000, blockedUntil: T0 + 60_000 };
        await store.transact((tx) => tx.setLoginThrottle(INSTALLATION_WIDE, key, state));
        assert.deepEqual(await store.platform.loginThrottle(INSTALLATION_WIDE, key), state);
        await store.transact((tx) => tx.setLoginThrottle(INSTALLATION_WIDE, key, null));
        assert.equal(await store.platform.loginThrottle(INSTALLATION_WIDE, key), null);
      });
    });

    test('takes an SSO attempt exactly once', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const attempt: SsoAttempt = {
          orgId: org.id,
          hash: 'e'.repeat(64),
          provider: 'okta',
          state: 'state-1',
          nonce: 'nonce-1',
          sealedVerifier: 'sealed:verifier',
          createdAt: T0,
          expiresAt: T0 + 10 * 60_000,
          clientKey: '203.0.113.7',
        };
        await store.transact((tx) => tx.createSsoAttempt(attempt, 20));
        assert.deepEqual(await store.transact((tx) => tx.takeSsoAttempt(attempt.hash)), attempt);
        assert.equal(await store.transact((tx) => tx.takeSsoAttempt(attempt.hash)), null);
        assert.equal(await store.transact((tx) => tx.takeSsoAttempt('f'.repeat(64))), null);
      });
    });

    test('keeps at most the given number of SSO attempts open per org and client, dropping the oldest', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        const attempt = (i: number, clientKey: string | null): SsoAttempt => ({
          orgId: org.id,
          hash: `${clientKey ?? 'none'}-${String(i).padStart(3, '0')}`,
          provider: 'okta',
          state: 's',
          nonce: 'n',
          sealedVerifier: 'v',
          createdAt: T0 + i,
          expiresAt: T0 + 10 * 60_000,
          clientKey,
        });
        for (let i = 0; i < 8; i += 1) {
          await store.transact((tx) => tx.createSsoAttempt(attempt(i, '198.51.100.1'), 3));
          await store.transact((tx) => tx.createSsoAttempt(attempt(i, '198.51.100.2'), 3));
          await store.transact((tx) => tx.createSsoAttempt(attempt(i, null), 3));
        }
        const open = async (clientKey: string | null) => {
          const found: number[] = [];
          for (let i = 0; i < 8; i += 1) {
            const taken = await store.transact((tx) => tx.takeSsoAttempt(attempt(i, clientKey).hash));
            if (taken !== null) found.push(i);
          }
          return found;
        };
        assert.deepEqual(await open('198.51.100.1'), [5, 6, 7]);
        assert.deepEqual(await open('198.51.100.2'), [5, 6, 7]);
        assert.deepEqual(await open(null), [0, 1, 2, 3, 4, 5, 6, 7], 'without a client there is nothing to bound them by');
      });
    });

    test('returns the default login settings until they are changed, then the stored ones', async () => {
      await withStore(target, new ManualClock(T0), async (store) => {
        const org = await store.transact((tx) => createOrgIn(tx));
        assert.deepEqual(await store.platform.authSettings(org.id), DEFAULT_AUTH_SETTINGS);
        const settings: AuthSettings = {
          plainLogin: false,
          googleOAuth: true,
          sso: { providers: [{ name: 'okta', issuer: 'https://acme.okta.test', clientId: 'client-1', clientSecret: 'sealed:secret' }] },
        };
        await store.transact((tx) => tx.setAuthSettings(org.id, settings));
        assert.deepEqual(await store.platform.authSettings(org.id), settings);
        assert.deepEqual(await store.transact((tx) => tx.authSettings(org.id)), settings);
      });
    });
  });
}

// Members' roles and individual privileges. Each change writes its event in the same transaction,
// under the org's lock; a request that changes nothing writes nothing, even beside an identical one.
import { conflict, invalidRequest, notFound } from '../core/errors.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import type { UserRef } from '../core/events/refs.ts';
import type { Member, Role } from '../core/platform-model.ts';
import type { PlatformReads, Transaction } from '../core/ports/store.ts';
import { inCatalogueOrder, isPrivilege, sortedPrivileges, type Privilege } from '../core/privileges.ts';
import type { PlatformDeps } from './platform-deps.ts';

export interface MemberView {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly privileges: readonly string[];
}

export function memberView(member: Member): MemberView {
  return { id: member.id, email: member.email, name: member.name, role: member.role, privileges: [...member.privileges] };
}

export function userRef(member: Member): UserRef {
  return { id: member.id, name: member.name, email: member.email };
}

export async function listMembers(deps: PlatformDeps, orgId: string): Promise<MemberView[]> {
  return (await deps.store.platform.members(orgId)).map(memberView);
}

export async function existingMember(reads: PlatformReads | Transaction, orgId: string, userId: string): Promise<Member> {
  const member = await reads.memberById(orgId, userId);
  if (member === null) throw notFound('The user');
  return member;
}

/** Sets a member's role. Demoting the org's last admin member is refused: someone must be able to sign in and administer. */
export async function changeRole(
  deps: PlatformDeps,
  context: RequestContext,
  orgId: string,
  userId: string,
  role: Role,
): Promise<Member> {
  return deps.store.transact(async (tx) => {
    // Two admins demoting each other at once: the second waits, then counts one admin and is refused.
    await tx.lockOrg(orgId);
    const member = await existingMember(tx, orgId, userId);
    if (member.role === role) return member;
    if (member.role === 'admin') {
      const admins = (await tx.members(orgId)).filter((each) => each.role === 'admin');
      if (admins.length <= 1) throw conflict('This is the last admin of the org; make another member admin first.');
    }
    await tx.setMemberRole(orgId, member.id, role);
    tx.record(orgId, draftEvent('user.role.updated', context, { target: userRef(member), before: member.role, after: role }));
    return { ...member, role };
  });
}

export interface PrivilegeChange {
  readonly add?: readonly string[] | undefined;
  readonly remove?: readonly string[] | undefined;
}

function checkedPrivileges(change: PrivilegeChange): { add: Privilege[]; remove: Privilege[] } {
  const add = change.add ?? [];
  const remove = change.remove ?? [];
  const unknown = [...add, ...remove].filter((name) => !isPrivilege(name));
  if (unknown.length > 0) throw invalidRequest(`Unknown privilege: ${[...new Set(unknown)].join(', ')}; see GET /api/privileges.`);
  const both = add.filter((name) => remove.includes(name));
  if (both.length > 0) throw invalidRequest(`A privilege cannot be both added and removed: ${both.join(', ')}.`);
  return { add: inCatalogueOrder(add), remove: inCatalogueOrder(remove) };
}

/** Adds and removes privileges by name; the event lists only what really changed. */
export async function changePrivileges(
  deps: PlatformDeps,
  context: RequestContext,
  orgId: string,
  userId: string,
  change: PrivilegeChange,
): Promise<Member> {
  const { add, remove } = checkedPrivileges(change);
  return deps.store.transact(async (tx) => {
    await tx.lockOrg(orgId);
    const member = await existingMember(tx, orgId, userId);
    const held = new Set(member.privileges);
    const added = add.filter((name) => !held.has(name));
    const removed = remove.filter((name) => held.has(name));
    if (added.length === 0 && removed.length === 0) return member;
    const gone = new Set<string>(removed);
    const privileges = sortedPrivileges([...member.privileges, ...added].filter((name) => !gone.has(name)));
    await tx.setMemberPrivileges(orgId, member.id, privileges);
    tx.record(orgId, draftEvent('user.privileges.updated', context, { target: userRef(member), added, removed }));
    return { ...member, privileges };
  });
}

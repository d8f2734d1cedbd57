// Groups of members, which resources' permissions can name. Creating one and changing its members
// each write their event in the same transaction; the event lists only the real changes.
import { conflict, invalidRequest, notFound } from '../core/errors.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import type { UserRef } from '../core/events/refs.ts';
import { displayName } from '../core/names.ts';
import type { Group, Member } from '../core/platform-model.ts';
import type { Clock } from '../core/ports/clock.ts';
import { UniqueViolationError, type PlatformReads, type Transaction } from '../core/ports/store.ts';
import { userRef } from './members.ts';
import { newId } from './new-id.ts';
import type { PlatformDeps } from './platform-deps.ts';

export interface GroupView {
  readonly id: string;
  readonly name: string;
  /** Members in the org's member order (oldest first). */
  readonly members: UserRef[];
  readonly createdAt: string;
}

export function prepareGroup(clock: Clock, orgId: string, name: string): Group {
  return { orgId, id: newId(), name: displayName(name, 'A group name'), createdAt: clock.now() };
}

export async function addGroup(tx: Transaction, context: RequestContext, group: Group): Promise<void> {
  try {
    await tx.createGroup(group);
  } catch (error) {
    if (error instanceof UniqueViolationError) throw conflict(`A group named ${group.name} exists.`);
    throw error;
  }
  tx.record(group.orgId, draftEvent('group.created', context, { group: { id: group.id, name: group.name } }));
}

export async function createGroup(deps: PlatformDeps, context: RequestContext, orgId: string, name: string): Promise<GroupView> {
  const group = prepareGroup(deps.clock, orgId, name);
  await deps.store.transact((tx) => addGroup(tx, context, group));
  return groupView(group, []);
}

function groupView(group: Group, members: readonly Member[]): GroupView {
  return { id: group.id, name: group.name, members: members.map(userRef), createdAt: new Date(group.createdAt).toISOString() };
}

async function viewOf(reads: PlatformReads | Transaction, group: Group, orgMembers?: readonly Member[]): Promise<GroupView> {
  const ids = new Set(await reads.groupMemberIds(group.orgId, group.id));
  const all = orgMembers ?? (await reads.members(group.orgId));
  return groupView(group, all.filter((member) => ids.has(member.id)));
}

export async function listGroups(deps: PlatformDeps, orgId: string): Promise<GroupView[]> {
  const reads = deps.store.platform;
  const members = await reads.members(orgId);
  return Promise.all((await reads.groups(orgId)).map((group) => viewOf(reads, group, members)));
}

export async function existingGroup(reads: PlatformReads | Transaction, orgId: string, groupId: string): Promise<Group> {
  const group = await reads.groupById(orgId, groupId);
  if (group === null) throw notFound('The group');
  return group;
}

export interface MembershipChange {
  readonly add?: readonly string[] | undefined;
  readonly remove?: readonly string[] | undefined;
}

/**
 * Adds and removes members by user id; an id that is not a member of the org is 404. Under the
 * org's lock, so that the event lists what really changed even when the same change races it.
 */
export async function changeGroupMembers(
  deps: PlatformDeps,
  context: RequestContext,
  orgId: string,
  groupId: string,
  change: MembershipChange,
): Promise<GroupView> {
  const add = [...new Set(change.add ?? [])];
  const remove = [...new Set(change.remove ?? [])];
  const both = add.filter((id) => remove.includes(id));
  if (both.length > 0) throw invalidRequest(`A user cannot be both added and removed: ${both.join(', ')}.`);
  return deps.store.transact(async (tx) => {
    await tx.lockOrg(orgId);
    const group = await existingGroup(tx, orgId, groupId);
    const members = await tx.members(orgId);
    const byId = new Map(members.map((member) => [member.id, member]));
    const unknown = [...add, ...remove].filter((id) => !byId.has(id));
    if (unknown.length > 0) throw notFound(`The user ${unknown.join(', ')}`);
    const current = new Set(await tx.groupMemberIds(orgId, group.id));
    const added = add.filter((id) => !current.has(id));
    const removed = remove.filter((id) => current.has(id));
    if (added.length > 0 || removed.length > 0) {
      await tx.changeGroupMembers(orgId, group.id, added, removed);
      const refs = (ids: readonly string[]) => ids.flatMap((id) => {
        const member = byId.get(id);
        return member === undefined ? [] : [userRef(member)];
      });
      const details = { group: { id: group.id, name: group.name }, added: refs(added), removed: refs(removed) };
      tx.record(orgId, draftEvent('group.membership.updated', context, details));
    }
    return viewOf(tx, group, members);
  });
}

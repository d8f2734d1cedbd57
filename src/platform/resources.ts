// Resources and who may use them: users' and groups' access (read, write, admin), each change an
// event with before and after snapshots, written in the same transaction; no change, no event.
import { invalidRequest, notFound } from '../core/errors.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import type { ResourceRef } from '../core/events/refs.ts';
import { displayName } from '../core/names.ts';
import type { Access, PermissionSubject, Resource } from '../core/platform-model.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { PlatformReads, Transaction } from '../core/ports/store.ts';
import { newId } from './new-id.ts';
import type { PlatformDeps } from './platform-deps.ts';

/** What a resource is (`project`, `dashboard`, `s3.bucket`): a lowercase word, free for the org to choose. */
export const RESOURCE_TYPE_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;

export type AccessOrNone = Access | 'none';

export interface NewResource {
  readonly type: string;
  readonly name: string;
}

export interface SubjectRef {
  readonly kind: PermissionSubject['kind'];
  readonly id: string;
  readonly name: string;
}

export interface PermissionView {
  readonly resource: ResourceRef;
  readonly subject: SubjectRef;
  readonly access: AccessOrNone;
}

export function resourceRef(resource: Resource): ResourceRef {
  return { type: resource.type, id: resource.id, name: resource.name };
}

export function resourceView(resource: Resource): Record<string, unknown> {
  return { ...resourceRef(resource), createdAt: new Date(resource.createdAt).toISOString() };
}

export function prepareResource(clock: Clock, orgId: string, input: NewResource): Resource {
  if (!RESOURCE_TYPE_PATTERN.test(input.type)) {
    throw invalidRequest('A resource type is 1 to 64 lowercase letters, digits, dots, dashes and underscores, starting with a letter.');
  }
  return { orgId, id: newId(), type: input.type, name: displayName(input.name, 'A resource name'), createdAt: clock.now() };
}

export async function addResource(tx: Transaction, context: RequestContext, resource: Resource): Promise<void> {
  await tx.createResource(resource);
  tx.record(resource.orgId, draftEvent('resource.created', context, { resource: resourceRef(resource) }));
}

export async function createResource(deps: PlatformDeps, context: RequestContext, orgId: string, input: NewResource): Promise<Resource> {
  const resource = prepareResource(deps.clock, orgId, input);
  await deps.store.transact((tx) => addResource(tx, context, resource));
  return resource;
}

export async function listResources(deps: PlatformDeps, orgId: string): Promise<Record<string, unknown>[]> {
  return (await deps.store.platform.resources(orgId)).map(resourceView);
}

export interface GrantView {
  readonly subject: SubjectRef;
  readonly access: Access;
}

/** Who has access to the resource, by name: users first, then groups. An unknown resource is 404. */
export async function listPermissions(deps: PlatformDeps, orgId: string, resourceId: string): Promise<GrantView[]> {
  const reads = deps.store.platform;
  if ((await reads.resourceById(orgId, resourceId)) === null) throw notFound('The resource');
  const [grants, members, groups] = await Promise.all([reads.resourcePermissions(orgId, resourceId), reads.members(orgId), reads.groups(orgId)]);
  const names = new Map<string, string>([
    ...members.map((member): [string, string] => [`user:${member.id}`, member.name]),
    ...groups.map((group): [string, string] => [`group:${group.id}`, group.name]),
  ]);
  return grants.map(({ subject, access }) => ({ subject: { ...subject, name: names.get(`${subject.kind}:${subject.id}`) ?? '' }, access }));
}

/** The subject with its name; a user who is not a member of the org, or an unknown group, is 404. */
export async function existingSubject(reads: PlatformReads | Transaction, orgId: string, subject: PermissionSubject): Promise<SubjectRef> {
  if (subject.kind === 'user') {
    const member = await reads.memberById(orgId, subject.id);
    if (member === null) throw notFound('The user');
    return { kind: 'user', id: member.id, name: member.name };
  }
  const group = await reads.groupById(orgId, subject.id);
  if (group === null) throw notFound('The group');
  return { kind: 'group', id: group.id, name: group.name };
}

/**
 * Sets a subject's access to a resource (`none` removes it). Under the org's lock, so that each
 * event's before is the access the previous change left.
 */
export async function setPermission(
  deps: PlatformDeps,
  context: RequestContext,
  orgId: string,
  resourceId: string,
  subject: PermissionSubject,
  access: AccessOrNone,
): Promise<PermissionView> {
  return deps.store.transact(async (tx) => {
    await tx.lockOrg(orgId);
    const resource = await tx.resourceById(orgId, resourceId);
    if (resource === null) throw notFound('The resource');
    const named = await existingSubject(tx, orgId, subject);
    const key = { kind: named.kind, id: named.id };
    const before = await tx.permission(orgId, resource.id, key);
    const after = access === 'none' ? null : access;
    if (before !== after) {
      await tx.setPermission(orgId, resource.id, key, after);
      const snapshot = (value: Access | null) => (value === null ? null : { access: value });
      tx.record(
        orgId,
        draftEvent('permission.updated', context, {
          resource: resourceRef(resource),
          subject: named,
          before: snapshot(before),
          after: snapshot(after),
        }),
      );
    }
    return { resource: resourceRef(resource), subject: named, access };
  });
}

/** Whether a permission on this subject would change the user's own access: it is them, or a group of theirs. */
export async function subjectIncludesUser(
  reads: PlatformReads,
  orgId: string,
  subject: PermissionSubject,
  userId: string,
): Promise<boolean> {
  if (subject.kind === 'user') return subject.id === userId;
  return (await reads.groupMemberIds(orgId, subject.id)).includes(userId);
}

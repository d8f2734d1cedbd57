// The org's state as its log tells it: each change event applied in seq order to what came
// before. An event whose `before` disagrees with that, or that names something the log never
// created, is reported: it means an event is missing, doubled or out of order.
import { emptyOrgState, permissionKey, type Access, type OrgState, type Role } from './platform-state.ts';
import type { TrailEvent } from './trail-event.ts';

interface Ref {
  readonly id: string;
  readonly name?: string;
}

const refOf = (value: unknown): Ref => {
  if (typeof value !== 'object' || value === null || typeof (value as { id?: unknown }).id !== 'string') throw new Error(`not a reference: ${JSON.stringify(value)}`);
  return value as Ref;
};
const refsOf = (value: unknown): Ref[] => (Array.isArray(value) ? value.map(refOf) : []);
const accessOf = (value: unknown): Access | null => (value === null || value === undefined ? null : (value as { access: Access }).access);

export class LogReplay {
  readonly state: OrgState = emptyOrgState();
  readonly problems: string[] = [];

  apply(event: TrailEvent): void {
    const d = event.details;
    const where = `seq ${event.seq} (${event.type}, request ${event.requestId ?? 'none'})`;
    const problem = (text: string): void => {
      this.problems.push(`${where}: ${text}`);
    };
    const state = this.state;
    /** What the log made under this id, or undefined with the problem reported. */
    const made = <T>(records: ReadonlyMap<string, T>, id: string, what: string): T | undefined => {
      const found = records.get(id);
      if (found === undefined) problem(`a ${what} the log never made`);
      return found;
    };
    switch (event.type) {
      case 'org.created':
        state.members.set(refOf(d['admin']).id, { role: 'admin', privileges: new Set() });
        break;
      case 'invitation.accepted': {
        const id = event.user?.id;
        if (id === undefined) problem('no new member as the actor');
        else if (state.members.has(id)) problem(`member ${id} already exists`);
        else state.members.set(id, { role: d['role'] as Role, privileges: new Set() });
        break;
      }
      case 'user.role.updated': {
        const member = made(state.members, refOf(d['target']).id, 'member');
        if (member === undefined) return;
        if (member.role !== d['before']) problem(`before is ${String(d['before'])}, the log had ${member.role}`);
        member.role = d['after'] as Role;
        break;
      }
      case 'user.privileges.updated': {
        const member = made(state.members, refOf(d['target']).id, 'member');
        if (member === undefined) return;
        for (const name of d['added'] as string[]) {
          if (member.privileges.has(name)) problem(`adds ${name}, already held`);
          member.privileges.add(name);
        }
        for (const name of d['removed'] as string[]) {
          if (!member.privileges.delete(name)) problem(`removes ${name}, not held`);
        }
        break;
      }
      case 'group.created': {
        const group = refOf(d['group']);
        if (state.groups.has(group.id)) problem(`group ${group.id} made twice`);
        state.groups.set(group.id, { name: group.name ?? '', members: new Set(refsOf(d['added']).map((user) => user.id)) });
        break;
      }
      case 'group.membership.updated': {
        const group = made(state.groups, refOf(d['group']).id, 'group');
        if (group === undefined) return;
        for (const user of refsOf(d['added'])) {
          if (group.members.has(user.id)) problem(`adds ${user.id}, already a member`);
          group.members.add(user.id);
        }
        for (const user of refsOf(d['removed'])) {
          if (!group.members.delete(user.id)) problem(`removes ${user.id}, not a member`);
        }
        break;
      }
      case 'resource.created': {
        const resource = refOf(d['resource']);
        if (state.resources.has(resource.id)) problem(`resource ${resource.id} made twice`);
        state.resources.set(resource.id, { name: resource.name ?? '' });
        break;
      }
      case 'permission.updated': {
        const resource = refOf(d['resource']);
        const subject = d['subject'] as { kind: 'user' | 'group'; id: string };
        if (!state.resources.has(resource.id)) problem('a resource the log never made');
        const key = permissionKey(resource.id, subject.kind, subject.id);
        const held = state.permissions.get(key) ?? null;
        const before = accessOf(d['before']);
        if (held !== before) problem(`before is ${String(before)}, the log had ${String(held)}`);
        const after = accessOf(d['after']);
        if (after === null) state.permissions.delete(key);
        else state.permissions.set(key, after);
        break;
      }
      case 'service_account.created': {
        const account = refOf(d['serviceAccount']);
        state.serviceAccounts.set(account.id, { name: account.name ?? '' });
        break;
      }
      case 'token.created': {
        const token = refOf(d['token']);
        if (state.tokens.has(token.id)) problem(`token ${token.id} made twice`);
        state.tokens.set(token.id, { name: token.name ?? '', revoked: false });
        break;
      }
      case 'token.revoked': {
        const token = state.tokens.get(refOf(d['token']).id);
        if (token === undefined) {
          problem('a token the log never made');
          return;
        }
        if (token.revoked) problem('revoked twice');
        token.revoked = true;
        break;
      }
      default:
        break;
    }
  }
}

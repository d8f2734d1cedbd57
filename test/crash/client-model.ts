// What one client owns in its org (its members, and the groups, resources and tokens named with
// its tag) as the server holds it. Rebuilt from the platform after each restart: a request in
// flight at the kill may or may not have landed, and the client must not guess which.
import { permissionKey, type Access, type OrgState, type Role } from './platform-state.ts';

export interface ClientModel {
  readonly members: Map<string, { role: Role; privileges: Set<string> }>;
  readonly groups: Map<string, Set<string>>;
  readonly resources: string[];
  /** Key from permissionKey(), for the client's resources only. */
  readonly permissions: Map<string, Access>;
  /** The client's tokens not revoked yet. */
  readonly liveTokens: string[];
}

export function clientModel(state: OrgState, tag: string, memberIds: readonly string[]): ClientModel {
  const owned = (name: string) => name.startsWith(`${tag}.`);
  const members = new Map<string, { role: Role; privileges: Set<string> }>();
  for (const id of memberIds) {
    const member = state.members.get(id);
    if (member !== undefined) members.set(id, { role: member.role, privileges: new Set(member.privileges) });
  }
  const groups = new Map<string, Set<string>>();
  for (const [id, group] of state.groups) if (owned(group.name)) groups.set(id, new Set(group.members));
  const resources = [...state.resources].filter(([, resource]) => owned(resource.name)).map(([id]) => id);
  const permissions = new Map<string, Access>();
  for (const resourceId of resources) {
    for (const kind of ['user', 'group'] as const) {
      for (const subjectId of kind === 'user' ? members.keys() : groups.keys()) {
        const access = state.permissions.get(permissionKey(resourceId, kind, subjectId));
        if (access !== undefined) permissions.set(permissionKey(resourceId, kind, subjectId), access);
      }
    }
  }
  const liveTokens = [...state.tokens].filter(([, token]) => owned(token.name) && !token.revoked).map(([id]) => id);
  return { members, groups, resources, permissions, liveTokens };
}

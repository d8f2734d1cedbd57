// What the server holds for an org, read through its own administration lists (members, groups,
// resources, tokens, service accounts) and, for permissions, which no endpoint lists, the rows.
import type { LifeConnection } from './crash-http.ts';
import { emptyOrgState, permissionKey, type OrgState, type Role } from './platform-state.ts';
import type { PermissionRow } from './store-probe.ts';

interface List<T> {
  readonly result: T[];
}

export async function platformSnapshot(http: LifeConnection, token: string, orgId: string, permissionRows: readonly PermissionRow[]): Promise<OrgState> {
  const read = <T>(path: string) => http.json<List<T>>('GET', path, { token }).then((list) => list.result);
  const [members, groups, resources, tokens, accounts] = await Promise.all([
    read<{ id: string; role: Role; privileges: string[] }>('/api/users'),
    read<{ id: string; name: string; members: { id: string }[] }>('/api/groups'),
    read<{ id: string; name: string }>('/api/resources'),
    read<{ id: string; name: string; revokedAt: string | null }>('/api/tokens'),
    read<{ id: string; name: string }>('/api/service-accounts'),
  ]);
  const state = emptyOrgState();
  for (const member of members) state.members.set(member.id, { role: member.role, privileges: new Set(member.privileges) });
  for (const group of groups) state.groups.set(group.id, { name: group.name, members: new Set(group.members.map((user) => user.id)) });
  for (const resource of resources) state.resources.set(resource.id, { name: resource.name });
  for (const item of tokens) state.tokens.set(item.id, { name: item.name, revoked: item.revokedAt !== null });
  for (const account of accounts) state.serviceAccounts.set(account.id, { name: account.name });
  for (const row of permissionRows) {
    if (row.orgId === orgId) state.permissions.set(permissionKey(row.resourceId, row.subjectKind, row.subjectId), row.access);
  }
  return state;
}

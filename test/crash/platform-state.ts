// The part of an org's platform state the crash workload changes, in one comparable shape: what
// the log says it should be (log-replay.ts) and what the server holds (platform-snapshot.ts)
// must be equal after every crash, or a change exists without its event, or the other way round.
export type Role = 'reader' | 'writer' | 'admin';
export type Access = 'read' | 'write' | 'admin';

export interface MemberState {
  role: Role;
  privileges: Set<string>;
}

export interface OrgState {
  readonly members: Map<string, MemberState>;
  readonly groups: Map<string, { name: string; members: Set<string> }>;
  readonly resources: Map<string, { name: string }>;
  /** Key: `${resourceId} ${subjectKind} ${subjectId}`. */
  readonly permissions: Map<string, Access>;
  readonly tokens: Map<string, { name: string; revoked: boolean }>;
  readonly serviceAccounts: Map<string, { name: string }>;
}

export function emptyOrgState(): OrgState {
  return { members: new Map(), groups: new Map(), resources: new Map(), permissions: new Map(), tokens: new Map(), serviceAccounts: new Map() };
}

export function permissionKey(resourceId: string, subjectKind: 'user' | 'group', subjectId: string): string {
  return `${resourceId} ${subjectKind} ${subjectId}`;
}

/** Each entry of the state as one line, for comparing and for naming what differs. */
function lines(state: OrgState): Map<string, string> {
  const sorted = (values: Iterable<string>) => [...values].sort().join(',');
  const out = new Map<string, string>();
  for (const [id, member] of state.members) out.set(`member ${id}`, `${member.role} [${sorted(member.privileges)}]`);
  for (const [id, group] of state.groups) out.set(`group ${id}`, `${group.name} [${sorted(group.members)}]`);
  for (const [id, resource] of state.resources) out.set(`resource ${id}`, resource.name);
  for (const [key, access] of state.permissions) out.set(`permission ${key}`, access);
  for (const [id, token] of state.tokens) out.set(`token ${id}`, `${token.name}${token.revoked ? ' revoked' : ''}`);
  for (const [id, account] of state.serviceAccounts) out.set(`service account ${id}`, account.name);
  return out;
}

/** The differences between the log's state and the server's, at most `limit` named. */
export function stateDifferences(fromLog: OrgState, inPlatform: OrgState, limit = 10): string[] {
  const expected = lines(fromLog);
  const actual = lines(inPlatform);
  const differences: string[] = [];
  for (const [key, value] of expected) {
    const held = actual.get(key);
    if (held === undefined) differences.push(`${key}: the log says ${value}, the platform has none`);
    else if (held !== value) differences.push(`${key}: the log says ${value}, the platform has ${held}`);
  }
  for (const [key, value] of actual) {
    if (!expected.has(key)) differences.push(`${key}: the platform has ${value}, the log has no event for it`);
  }
  return differences.slice(0, limit);
}

export function countEntries(state: OrgState): number {
  return lines(state).size;
}

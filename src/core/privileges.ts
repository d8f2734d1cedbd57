// The privilege catalogue: rights an admin grants a member one by one, on top of their role.
// GET /api/privileges publishes it; privileges are added and removed by name (DESIGN §6), and the
// rules that consult them live in access-rules.ts.

export interface PrivilegeEntry {
  readonly name: string;
  readonly description: string;
}

export const PRIVILEGE_CATALOGUE = [
  {
    name: 'members:invite',
    description: "Invite people to the organization, with a role no higher than the inviter's own; also lists the members and the pending invitations.",
  },
  {
    name: 'groups:manage',
    description: 'Create groups and add or remove their members (except oneself); also lists the members.',
  },
  {
    name: 'resources:create',
    description: 'Create resources (writers and admins may without it).',
  },
  {
    name: 'permissions:manage',
    description: "Grant, change and revoke users' and groups' access to resources (never one's own); also lists the members and who has access to each resource.",
  },
  {
    name: 'security-log:read',
    description: 'Read the security event log when signed in (an access token needs the security-log:read scope instead).',
  },
] as const satisfies readonly PrivilegeEntry[];

export type Privilege = (typeof PRIVILEGE_CATALOGUE)[number]['name'];

export const PRIVILEGES: readonly Privilege[] = PRIVILEGE_CATALOGUE.map((entry) => entry.name);

export function isPrivilege(value: unknown): value is Privilege {
  return typeof value === 'string' && (PRIVILEGES as readonly string[]).includes(value);
}

/** The known names in catalogue order, each once. */
export function inCatalogueOrder(names: Iterable<string>): Privilege[] {
  const held = new Set(names);
  return PRIVILEGES.filter((name) => held.has(name));
}

/** How a member's privileges are kept and shown: catalogue order, then any name no longer in the catalogue, each once. */
export function sortedPrivileges(names: readonly string[]): string[] {
  return [...new Set([...inCatalogueOrder(names), ...names.filter((name) => !isPrivilege(name))])];
}

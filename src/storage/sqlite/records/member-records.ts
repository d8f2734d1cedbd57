// Members of an org (people, with their role and privileges) on SQLite.
import type { Member, Role } from '../../../core/platform-model.ts';
import type { MemberReads, MemberWrites } from '../../../core/ports/platform-records.ts';
import type { SqliteStatements } from '../sqlite-statements.ts';

interface MemberRow {
  org_id: string;
  id: string;
  email: string;
  name: string;
  role: Role;
  privileges: string;
  password_hash: string | null;
  created_at: number;
}

const toMember = (row: MemberRow): Member => ({
  orgId: row.org_id,
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  privileges: JSON.parse(row.privileges) as string[],
  passwordHash: row.password_hash,
  createdAt: row.created_at,
});

export function sqliteMemberRecords(q: SqliteStatements): MemberReads & MemberWrites {
  return {
    async memberById(orgId, userId) {
      const row = q.one<MemberRow>('SELECT * FROM members WHERE org_id = ? AND id = ?', orgId, userId);
      return row === undefined ? null : toMember(row);
    },
    async memberByEmail(orgId, email) {
      const row = q.one<MemberRow>('SELECT * FROM members WHERE org_id = ? AND email = ?', orgId, email);
      return row === undefined ? null : toMember(row);
    },
    async members(orgId) {
      return q.all<MemberRow>('SELECT * FROM members WHERE org_id = ? ORDER BY created_at, id', orgId).map(toMember);
    },
    async createMember(member) {
      q.run(
        `INSERT INTO members (org_id, id, email, name, role, privileges, password_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        member.orgId,
        member.id,
        member.email,
        member.name,
        member.role,
        JSON.stringify(member.privileges),
        member.passwordHash,
        member.createdAt,
      );
    },
    async setMemberRole(orgId, userId, role) {
      q.run('UPDATE members SET role = ? WHERE org_id = ? AND id = ?', role, orgId, userId);
    },
    async setMemberPrivileges(orgId, userId, privileges) {
      q.run('UPDATE members SET privileges = ? WHERE org_id = ? AND id = ?', JSON.stringify(privileges), orgId, userId);
    },
  };
}

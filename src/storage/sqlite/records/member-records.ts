// Members of an org (people, with their role and privileges) on SQLite.
import type { MemberReads, MemberWrites } from '../../../core/ports/platform-records.ts';
import type { SqliteStatements } from '../sqlite-statements.ts';
import { type MemberRow, toMember } from '../../record-rows.ts';

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

// Members of an org (people, with their role and privileges) on PostgreSQL.
import type { MemberReads, MemberWrites } from '../../../core/ports/platform-records.ts';
import type { PgQueries } from '../postgres-queries.ts';
import { type MemberRow, toMember } from '../../record-rows.ts';

export function postgresMemberRecords(q: PgQueries): MemberReads & MemberWrites {
  return {
    async memberById(orgId, userId) {
      const row = await q.one<MemberRow>('SELECT * FROM members WHERE org_id = $1 AND id = $2', orgId, userId);
      return row === undefined ? null : toMember(row);
    },
    async memberByEmail(orgId, email) {
      const row = await q.one<MemberRow>('SELECT * FROM members WHERE org_id = $1 AND email = $2', orgId, email);
      return row === undefined ? null : toMember(row);
    },
    async members(orgId) {
      return (await q.all<MemberRow>('SELECT * FROM members WHERE org_id = $1 ORDER BY created_at, id', orgId)).map(toMember);
    },
    async createMember(member) {
      await q.run(
        `INSERT INTO members (org_id, id, email, name, role, privileges, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
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
      await q.run('UPDATE members SET role = $1 WHERE org_id = $2 AND id = $3', role, orgId, userId);
    },
    async setMemberPrivileges(orgId, userId, privileges) {
      const sql = 'UPDATE members SET privileges = $1 WHERE org_id = $2 AND id = $3';
      await q.run(sql, JSON.stringify(privileges), orgId, userId);
    },
  };
}

// Invitations on SQLite, by the hash of the secret in their accept URL; accepted at most once.
import type { InvitationReads, InvitationWrites } from '../../../core/ports/platform-records.ts';
import type { SqliteStatements } from '../sqlite-statements.ts';
import { type InvitationRow, toInvitation } from '../../record-rows.ts';

export function sqliteInvitationRecords(q: SqliteStatements): InvitationReads & InvitationWrites {
  return {
    async invitationByHash(hash) {
      const row = q.one<InvitationRow>('SELECT * FROM invitations WHERE hash = ?', hash);
      return row === undefined ? null : toInvitation(row);
    },
    async pendingInvitation(orgId, email, now) {
      const row = q.one<InvitationRow>(
        `SELECT * FROM invitations WHERE org_id = ? AND email = ? AND accepted_at IS NULL AND expires_at > ?
         ORDER BY created_at DESC, id DESC LIMIT 1`,
        orgId,
        email,
        now,
      );
      return row === undefined ? null : toInvitation(row);
    },
    async pendingInvitations(orgId, now) {
      const sql = `SELECT * FROM invitations WHERE org_id = ? AND accepted_at IS NULL AND expires_at > ?
        ORDER BY created_at DESC, id DESC`;
      return q.all<InvitationRow>(sql, orgId, now).map(toInvitation);
    },
    async createInvitation(i) {
      q.run(
        `INSERT INTO invitations (org_id, id, hash, email, role, invited_by_id, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        i.orgId,
        i.id,
        i.hash,
        i.email,
        i.role,
        i.invitedById,
        i.createdAt,
        i.expiresAt,
      );
    },
    async acceptInvitation(orgId, id, at, userId) {
      const sql = `UPDATE invitations SET accepted_at = ?, accepted_user_id = ?
        WHERE org_id = ? AND id = ? AND accepted_at IS NULL`;
      return q.run(sql, at, userId, orgId, id) === 1;
    },
  };
}

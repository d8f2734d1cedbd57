// Invitations on PostgreSQL, by the hash of the secret in their accept URL; accepted at most once.
import type { InvitationReads, InvitationWrites } from '../../../core/ports/platform-records.ts';
import type { PgQueries } from '../postgres-queries.ts';
import { type InvitationRow, toInvitation } from '../../record-rows.ts';

export function postgresInvitationRecords(q: PgQueries): InvitationReads & InvitationWrites {
  return {
    async invitationByHash(hash) {
      const row = await q.one<InvitationRow>('SELECT * FROM invitations WHERE hash = $1', hash);
      return row === undefined ? null : toInvitation(row);
    },
    async pendingInvitation(orgId, email, now) {
      const row = await q.one<InvitationRow>(
        `SELECT * FROM invitations WHERE org_id = $1 AND email = $2 AND accepted_at IS NULL AND expires_at > $3
         ORDER BY created_at DESC, id DESC LIMIT 1`,
        orgId,
        email,
        now,
      );
      return row === undefined ? null : toInvitation(row);
    },
    async pendingInvitations(orgId, now) {
      const sql = `SELECT * FROM invitations WHERE org_id = $1 AND accepted_at IS NULL AND expires_at > $2
        ORDER BY created_at DESC, id DESC`;
      return (await q.all<InvitationRow>(sql, orgId, now)).map(toInvitation);
    },
    async createInvitation(i) {
      await q.run(
        `INSERT INTO invitations (org_id, id, hash, email, role, invited_by_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
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
      // Conditional: of two servers accepting at once, the second waits on the row, then finds
      // accepted_at set and changes nothing.
      const sql = `UPDATE invitations SET accepted_at = $1, accepted_user_id = $2
        WHERE org_id = $3 AND id = $4 AND accepted_at IS NULL`;
      return (await q.run(sql, at, userId, orgId, id)) === 1;
    },
  };
}

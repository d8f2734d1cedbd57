// Sign-in sessions on PostgreSQL, by the hash of their cookie secret.
import type { SessionReads, SessionWrites } from '../../../core/ports/platform-records.ts';
import type { PgQueries } from '../postgres-queries.ts';
import { type SessionRow, toSession } from '../../record-rows.ts';

export function postgresSessionRecords(q: PgQueries): SessionReads & SessionWrites {
  return {
    async sessionByHash(hash) {
      const row = await q.one<SessionRow>('SELECT * FROM sessions WHERE hash = $1', hash);
      return row === undefined ? null : toSession(row);
    },
    async createSession(s) {
      await q.run(
        `INSERT INTO sessions (org_id, id, hash, user_id, method, created_at, last_seen_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        s.orgId,
        s.id,
        s.hash,
        s.userId,
        s.method,
        s.createdAt,
        s.lastSeenAt,
        s.expiresAt,
      );
    },
    async touchSession(orgId, id, at) {
      const sql = 'UPDATE sessions SET last_seen_at = greatest(last_seen_at, $1) WHERE org_id = $2 AND id = $3';
      await q.run(sql, at, orgId, id);
    },
    async revokeSession(orgId, id, at) {
      const sql = 'UPDATE sessions SET revoked_at = $1 WHERE org_id = $2 AND id = $3 AND revoked_at IS NULL';
      return (await q.run(sql, at, orgId, id)) === 1;
    },
  };
}

// Sign-in sessions on SQLite, by the hash of their cookie secret.
import type { SessionReads, SessionWrites } from '../../../core/ports/platform-records.ts';
import type { SqliteStatements } from '../sqlite-statements.ts';
import { type SessionRow, toSession } from '../../record-rows.ts';

export function sqliteSessionRecords(q: SqliteStatements): SessionReads & SessionWrites {
  return {
    async sessionByHash(hash) {
      const row = q.one<SessionRow>('SELECT * FROM sessions WHERE hash = ?', hash);
      return row === undefined ? null : toSession(row);
    },
    async createSession(s) {
      q.run(
        `INSERT INTO sessions (org_id, id, hash, user_id, method, created_at, last_seen_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
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
      q.run('UPDATE sessions SET last_seen_at = max(last_seen_at, ?) WHERE org_id = ? AND id = ?', at, orgId, id);
    },
    async revokeSession(orgId, id, at) {
      return q.run('UPDATE sessions SET revoked_at = ? WHERE org_id = ? AND id = ? AND revoked_at IS NULL', at, orgId, id) === 1;
    },
  };
}

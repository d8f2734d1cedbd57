// Sign-in sessions on SQLite, by the hash of their cookie secret.
import type { SessionRecord } from '../../../core/platform-model.ts';
import type { SessionReads, SessionWrites } from '../../../core/ports/platform-records.ts';
import type { SqliteStatements } from '../sqlite-statements.ts';

interface SessionRow {
  org_id: string;
  id: string;
  hash: string;
  user_id: string;
  method: 'password' | 'sso';
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
}

const toSession = (row: SessionRow): SessionRecord => ({
  orgId: row.org_id,
  id: row.id,
  hash: row.hash,
  userId: row.user_id,
  method: row.method,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

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

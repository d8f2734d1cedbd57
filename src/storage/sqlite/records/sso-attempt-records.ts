// SSO sign-ins in flight on SQLite; taking one deletes it, so each state is used once.
import type { SsoAttemptWrites } from '../../../core/ports/platform-records.ts';
import type { SqliteStatements } from '../sqlite-statements.ts';

interface AttemptRow {
  hash: string;
  org_id: string;
  provider: string;
  state: string;
  nonce: string;
  sealed_verifier: string;
  created_at: number;
  expires_at: number;
}

export function sqliteSsoAttemptRecords(q: SqliteStatements): SsoAttemptWrites {
  return {
    async createSsoAttempt(a) {
      q.run('DELETE FROM sso_attempts WHERE expires_at < ?', a.createdAt);
      q.run(
        `INSERT INTO sso_attempts (hash, org_id, provider, state, nonce, sealed_verifier, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        a.hash,
        a.orgId,
        a.provider,
        a.state,
        a.nonce,
        a.sealedVerifier,
        a.createdAt,
        a.expiresAt,
      );
    },
    async takeSsoAttempt(hash) {
      const row = q.one<AttemptRow>('DELETE FROM sso_attempts WHERE hash = ? RETURNING *', hash);
      if (row === undefined) return null;
      return {
        orgId: row.org_id,
        hash: row.hash,
        provider: row.provider,
        state: row.state,
        nonce: row.nonce,
        sealedVerifier: row.sealed_verifier,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
      };
    },
  };
}

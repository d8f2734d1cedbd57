// SSO sign-ins in flight on SQLite; taking one deletes it, so each state is used once.
import type { SsoAttemptWrites } from '../../../core/ports/platform-records.ts';
import type { SqliteStatements } from '../sqlite-statements.ts';
import { type AttemptRow, toSsoAttempt } from '../../record-rows.ts';

export function sqliteSsoAttemptRecords(q: SqliteStatements): SsoAttemptWrites {
  return {
    async createSsoAttempt(a, keepPerClient) {
      q.run('DELETE FROM sso_attempts WHERE expires_at < ?', a.createdAt);
      q.run(
        `INSERT INTO sso_attempts (hash, org_id, provider, state, nonce, sealed_verifier, created_at, expires_at, client_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        a.hash,
        a.orgId,
        a.provider,
        a.state,
        a.nonce,
        a.sealedVerifier,
        a.createdAt,
        a.expiresAt,
        a.clientKey,
      );
      if (a.clientKey === null) return;
      q.run(
        `DELETE FROM sso_attempts WHERE hash IN (
           SELECT hash FROM sso_attempts WHERE org_id = ? AND client_key = ? ORDER BY created_at DESC, hash LIMIT -1 OFFSET ?)`,
        a.orgId,
        a.clientKey,
        keepPerClient,
      );
    },
    async takeSsoAttempt(hash) {
      const row = q.one<AttemptRow>('DELETE FROM sso_attempts WHERE hash = ? RETURNING *', hash);
      return row === undefined ? null : toSsoAttempt(row);
    },
  };
}

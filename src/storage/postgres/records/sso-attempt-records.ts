// SSO sign-ins in flight on PostgreSQL; taking one deletes it (DELETE ... RETURNING), so of two
// callbacks racing on different servers exactly one gets the attempt.
import type { SsoAttemptWrites } from '../../../core/ports/platform-records.ts';
import type { PgQueries } from '../postgres-queries.ts';
import { type AttemptRow, toSsoAttempt } from '../../record-rows.ts';

export function postgresSsoAttemptRecords(q: PgQueries): SsoAttemptWrites {
  return {
    async createSsoAttempt(a, keepPerClient) {
      await q.run('DELETE FROM sso_attempts WHERE expires_at < $1', a.createdAt);
      await q.run(
        `INSERT INTO sso_attempts (hash, org_id, provider, state, nonce, sealed_verifier, created_at, expires_at, client_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
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
      await q.run(
        `DELETE FROM sso_attempts WHERE hash IN (
           SELECT hash FROM sso_attempts WHERE org_id = $1 AND client_key = $2 ORDER BY created_at DESC, hash OFFSET $3)`,
        a.orgId,
        a.clientKey,
        keepPerClient,
      );
    },
    async takeSsoAttempt(hash) {
      const row = await q.one<AttemptRow>('DELETE FROM sso_attempts WHERE hash = $1 RETURNING *', hash);
      return row === undefined ? null : toSsoAttempt(row);
    },
  };
}

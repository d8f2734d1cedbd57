// Service accounts and access tokens on PostgreSQL (tokens by their hash; secrets never arrive here).
import type { CredentialReads, CredentialWrites } from '../../../core/ports/platform-records.ts';
import type { PgQueries } from '../postgres-queries.ts';
import { type ServiceAccountRow, type TokenRow, toServiceAccount, toToken } from '../../record-rows.ts';

export function postgresCredentialRecords(q: PgQueries): CredentialReads & CredentialWrites {
  const account = (row: ServiceAccountRow | undefined) => (row === undefined ? null : toServiceAccount(row));
  const token = (row: TokenRow | undefined) => (row === undefined ? null : toToken(row));
  return {
    async serviceAccountById(orgId, id) {
      return account(await q.one('SELECT * FROM service_accounts WHERE org_id = $1 AND id = $2', orgId, id));
    },
    async serviceAccountByName(orgId, name) {
      return account(await q.one('SELECT * FROM service_accounts WHERE org_id = $1 AND name = $2', orgId, name));
    },
    async serviceAccounts(orgId) {
      const sql = 'SELECT * FROM service_accounts WHERE org_id = $1 ORDER BY created_at, id';
      return (await q.all<ServiceAccountRow>(sql, orgId)).map(toServiceAccount);
    },
    async tokenByHash(hash) {
      return token(await q.one('SELECT * FROM access_tokens WHERE hash = $1', hash));
    },
    async tokenById(orgId, id) {
      return orgId === null
        ? token(await q.one('SELECT * FROM access_tokens WHERE id = $1', id))
        : token(await q.one('SELECT * FROM access_tokens WHERE org_id = $1 AND id = $2', orgId, id));
    },
    async tokens(orgId) {
      return (await q.all<TokenRow>('SELECT * FROM access_tokens WHERE org_id = $1 ORDER BY created_at, id', orgId)).map(toToken);
    },
    async createServiceAccount(sa) {
      await q.run(
        'INSERT INTO service_accounts (org_id, id, name, role, created_at) VALUES ($1, $2, $3, $4, $5)',
        sa.orgId,
        sa.id,
        sa.name,
        sa.role,
        sa.createdAt,
      );
    },
    async createToken(t) {
      await q.run(
        `INSERT INTO access_tokens (org_id, id, name, hash, owner_kind, owner_id, scopes, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        t.orgId,
        t.id,
        t.name,
        t.hash,
        t.ownerKind,
        t.ownerId,
        JSON.stringify(t.scopes),
        t.createdAt,
        t.expiresAt,
      );
    },
    async revokeToken(orgId, id, at) {
      const sql = 'UPDATE access_tokens SET revoked_at = $1 WHERE org_id = $2 AND id = $3 AND revoked_at IS NULL';
      return (await q.run(sql, at, orgId, id)) === 1;
    },
    async touchToken(orgId, id, at, logIfBefore) {
      const touch = 'UPDATE access_tokens SET last_used_at = greatest(coalesce(last_used_at, 0), $1) WHERE org_id = $2 AND id = $3';
      await q.run(touch, at, orgId, id);
      // The first UPDATE holds the row until commit: a use on another server waits, then sees this
      // use_logged_at and does not log the same interval again.
      const sql = `UPDATE access_tokens SET use_logged_at = $1
        WHERE org_id = $2 AND id = $3 AND (use_logged_at IS NULL OR use_logged_at <= $4)`;
      return (await q.run(sql, at, orgId, id, logIfBefore)) === 1;
    },
  };
}

// Service accounts and access tokens on SQLite (tokens by their hash; secrets never arrive here).
import type { CredentialReads, CredentialWrites } from '../../../core/ports/platform-records.ts';
import type { SqliteStatements } from '../sqlite-statements.ts';
import { type ServiceAccountRow, type TokenRow, toServiceAccount, toToken } from '../../record-rows.ts';

export function sqliteCredentialRecords(q: SqliteStatements): CredentialReads & CredentialWrites {
  const account = (row: ServiceAccountRow | undefined) => (row === undefined ? null : toServiceAccount(row));
  const token = (row: TokenRow | undefined) => (row === undefined ? null : toToken(row));
  return {
    async serviceAccountById(orgId, id) {
      return account(q.one('SELECT * FROM service_accounts WHERE org_id = ? AND id = ?', orgId, id));
    },
    async serviceAccountByName(orgId, name) {
      return account(q.one('SELECT * FROM service_accounts WHERE org_id = ? AND name = ?', orgId, name));
    },
    async serviceAccounts(orgId) {
      return q
        .all<ServiceAccountRow>('SELECT * FROM service_accounts WHERE org_id = ? ORDER BY created_at, id', orgId)
        .map(toServiceAccount);
    },
    async tokenByHash(hash) {
      return token(q.one('SELECT * FROM access_tokens WHERE hash = ?', hash));
    },
    async tokenById(orgId, id) {
      return orgId === null
        ? token(q.one('SELECT * FROM access_tokens WHERE id = ?', id))
        : token(q.one('SELECT * FROM access_tokens WHERE org_id = ? AND id = ?', orgId, id));
    },
    async tokens(orgId) {
      return q.all<TokenRow>('SELECT * FROM access_tokens WHERE org_id = ? ORDER BY created_at, id', orgId).map(toToken);
    },
    async createServiceAccount(sa) {
      q.run(
        'INSERT INTO service_accounts (org_id, id, name, role, created_at) VALUES (?, ?, ?, ?, ?)',
        sa.orgId,
        sa.id,
        sa.name,
        sa.role,
        sa.createdAt,
      );
    },
    async createToken(t) {
      q.run(
        `INSERT INTO access_tokens (org_id, id, name, hash, owner_kind, owner_id, scopes, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      const sql = 'UPDATE access_tokens SET revoked_at = ? WHERE org_id = ? AND id = ? AND revoked_at IS NULL';
      return q.run(sql, at, orgId, id) === 1;
    },
    async touchToken(orgId, id, at, logIfBefore) {
      q.run(
        'UPDATE access_tokens SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE org_id = ? AND id = ?',
        at,
        orgId,
        id,
      );
      const sql = `UPDATE access_tokens SET use_logged_at = ?
        WHERE org_id = ? AND id = ? AND (use_logged_at IS NULL OR use_logged_at <= ?)`;
      return q.run(sql, at, orgId, id, logIfBefore) === 1;
    },
  };
}

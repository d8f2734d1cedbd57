// Orgs, their login settings, and installation-wide settings on PostgreSQL.
import { DEFAULT_AUTH_SETTINGS, type AuthSettings } from '../../../core/platform-model.ts';
import type { OrgReads, OrgWrites } from '../../../core/ports/platform-records.ts';
import type { PgQueries } from '../postgres-queries.ts';
import { type OrgRow, toOrg } from '../../record-rows.ts';

const ORG_COLUMNS = 'id, slug, name, security_log_enabled, created_at';

export function postgresOrgRecords(q: PgQueries): OrgReads & OrgWrites {
  return {
    async countOrgs() {
      return (await q.one<{ n: number }>('SELECT count(*) AS n FROM orgs'))?.n ?? 0;
    },
    async orgById(orgId) {
      const row = await q.one<OrgRow>(`SELECT ${ORG_COLUMNS} FROM orgs WHERE id = $1`, orgId);
      return row === undefined ? null : toOrg(row);
    },
    async orgBySlug(slug) {
      const row = await q.one<OrgRow>(`SELECT ${ORG_COLUMNS} FROM orgs WHERE slug = $1`, slug);
      return row === undefined ? null : toOrg(row);
    },
    async authSettings(orgId) {
      const row = await q.one<{ auth_settings: AuthSettings | null }>('SELECT auth_settings FROM orgs WHERE id = $1', orgId);
      return row?.auth_settings ?? DEFAULT_AUTH_SETTINGS;
    },
    async readSetting(key) {
      return (await q.one<{ value: Buffer }>('SELECT value FROM settings WHERE key = $1', key))?.value ?? null;
    },
    async createOrg(org) {
      await q.run(
        'INSERT INTO orgs (id, slug, name, security_log_enabled, created_at) VALUES ($1, $2, $3, $4, $5)',
        org.id,
        org.slug,
        org.name,
        org.securityLogEnabled,
        org.createdAt,
      );
      await q.run('INSERT INTO org_heads (org_id, last_seq, last_ts) VALUES ($1, 0, 0)', org.id);
    },
    async setSecurityLogEnabled(orgId, enabled) {
      await q.run('UPDATE orgs SET security_log_enabled = $1 WHERE id = $2', enabled, orgId);
    },
    async setAuthSettings(orgId, settings) {
      await q.run('UPDATE orgs SET auth_settings = $1 WHERE id = $2', JSON.stringify(settings), orgId);
    },
    async setting(key, create) {
      const existing = await q.one<{ value: Buffer }>('SELECT value FROM settings WHERE key = $1', key);
      if (existing !== undefined) return existing.value;
      // Another server may create it at the same moment: ON CONFLICT waits for its commit, and then
      // the SELECT (a new snapshot under READ COMMITTED) returns the value that won.
      const created = await q.one<{ value: Buffer }>(
        'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING value',
        key,
        create(),
      );
      if (created !== undefined) return created.value;
      const winner = await q.one<{ value: Buffer }>('SELECT value FROM settings WHERE key = $1', key);
      if (winner === undefined) throw new Error(`setting ${key} vanished while being created`);
      return winner.value;
    },
  };
}

// Orgs, their login settings, and installation-wide settings on SQLite.
import { DEFAULT_AUTH_SETTINGS, type AuthSettings } from '../../../core/platform-model.ts';
import type { OrgReads, OrgWrites } from '../../../core/ports/platform-records.ts';
import type { SqliteStatements } from '../sqlite-statements.ts';
import { type OrgRow, toOrg } from '../../record-rows.ts';

const ORG_COLUMNS = 'id, slug, name, security_log_enabled, created_at';

export function sqliteOrgRecords(q: SqliteStatements): OrgReads & OrgWrites {
  return {
    async countOrgs() {
      return q.one<{ n: number }>('SELECT count(*) AS n FROM orgs')?.n ?? 0;
    },
    async orgById(orgId) {
      const row = q.one<OrgRow>(`SELECT ${ORG_COLUMNS} FROM orgs WHERE id = ?`, orgId);
      return row === undefined ? null : toOrg(row);
    },
    async orgBySlug(slug) {
      const row = q.one<OrgRow>(`SELECT ${ORG_COLUMNS} FROM orgs WHERE slug = ?`, slug);
      return row === undefined ? null : toOrg(row);
    },
    async authSettings(orgId) {
      const row = q.one<{ auth_settings: string | null }>('SELECT auth_settings FROM orgs WHERE id = ?', orgId);
      return row?.auth_settings ? (JSON.parse(row.auth_settings) as AuthSettings) : DEFAULT_AUTH_SETTINGS;
    },
    async readSetting(key) {
      return q.one<{ value: Buffer }>('SELECT value FROM settings WHERE key = ?', key)?.value ?? null;
    },
    async createOrg(org) {
      q.run(
        'INSERT INTO orgs (id, slug, name, security_log_enabled, created_at) VALUES (?, ?, ?, ?, ?)',
        org.id,
        org.slug,
        org.name,
        org.securityLogEnabled ? 1 : 0,
        org.createdAt,
      );
      q.run('INSERT INTO org_heads (org_id, last_seq, last_ts) VALUES (?, 0, 0)', org.id);
    },
    async setSecurityLogEnabled(orgId, enabled) {
      q.run('UPDATE orgs SET security_log_enabled = ? WHERE id = ?', enabled ? 1 : 0, orgId);
    },
    async setAuthSettings(orgId, settings) {
      q.run('UPDATE orgs SET auth_settings = ? WHERE id = ?', JSON.stringify(settings), orgId);
    },
    async setting(key, create) {
      const row = q.one<{ value: Buffer }>('SELECT value FROM settings WHERE key = ?', key);
      if (row !== undefined) return row.value;
      const value = create();
      q.run('INSERT INTO settings (key, value) VALUES (?, ?)', key, value);
      return value;
    },
  };
}

// Groups, their members, resources and permissions on SQLite.
import type { Access } from '../../../core/platform-model.ts';
import type { GroupReads, GroupWrites, ResourceReads, ResourceWrites } from '../../../core/ports/platform-records.ts';
import type { SqliteStatements } from '../sqlite-statements.ts';
import { type GrantRow, type GroupRow, type ResourceRow, toGrant, toGroup, toResource } from '../../record-rows.ts';

export function sqliteAccessRecords(q: SqliteStatements): GroupReads & GroupWrites & ResourceReads & ResourceWrites {
  return {
    async groupById(orgId, id) {
      const row = q.one<GroupRow>('SELECT * FROM user_groups WHERE org_id = ? AND id = ?', orgId, id);
      return row === undefined ? null : toGroup(row);
    },
    async groups(orgId) {
      return q.all<GroupRow>('SELECT * FROM user_groups WHERE org_id = ? ORDER BY created_at, id', orgId).map(toGroup);
    },
    async groupMemberIds(orgId, groupId) {
      const sql = 'SELECT user_id FROM user_group_members WHERE org_id = ? AND group_id = ?';
      return q.all<{ user_id: string }>(sql, orgId, groupId).map((row) => row.user_id);
    },
    async createGroup(group) {
      const sql = 'INSERT INTO user_groups (org_id, id, name, created_at) VALUES (?, ?, ?, ?)';
      q.run(sql, group.orgId, group.id, group.name, group.createdAt);
    },
    async changeGroupMembers(orgId, groupId, add, remove) {
      for (const userId of add) {
        q.run('INSERT OR IGNORE INTO user_group_members (org_id, group_id, user_id) VALUES (?, ?, ?)', orgId, groupId, userId);
      }
      for (const userId of remove) {
        q.run('DELETE FROM user_group_members WHERE org_id = ? AND group_id = ? AND user_id = ?', orgId, groupId, userId);
      }
    },
    async resourceById(orgId, id) {
      const row = q.one<ResourceRow>('SELECT * FROM resources WHERE org_id = ? AND id = ?', orgId, id);
      return row === undefined ? null : toResource(row);
    },
    async resources(orgId) {
      return q.all<ResourceRow>('SELECT * FROM resources WHERE org_id = ? ORDER BY created_at, id', orgId).map(toResource);
    },
    async permission(orgId, resourceId, subject) {
      const sql = `SELECT access FROM permissions
        WHERE org_id = ? AND resource_id = ? AND subject_kind = ? AND subject_id = ?`;
      return q.one<{ access: Access }>(sql, orgId, resourceId, subject.kind, subject.id)?.access ?? null;
    },
    async resourcePermissions(orgId, resourceId) {
      const sql = `SELECT subject_kind, subject_id, access FROM permissions
        WHERE org_id = ? AND resource_id = ? ORDER BY subject_kind DESC, subject_id`;
      return q.all<GrantRow>(sql, orgId, resourceId).map(toGrant);
    },
    async createResource(resource) {
      const sql = 'INSERT INTO resources (org_id, id, type, name, created_at) VALUES (?, ?, ?, ?, ?)';
      q.run(sql, resource.orgId, resource.id, resource.type, resource.name, resource.createdAt);
    },
    async setPermission(orgId, resourceId, subject, access) {
      if (access === null) {
        const sql = 'DELETE FROM permissions WHERE org_id = ? AND resource_id = ? AND subject_kind = ? AND subject_id = ?';
        q.run(sql, orgId, resourceId, subject.kind, subject.id);
        return;
      }
      q.run(
        `INSERT INTO permissions (org_id, resource_id, subject_kind, subject_id, access) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (org_id, resource_id, subject_kind, subject_id) DO UPDATE SET access = excluded.access`,
        orgId,
        resourceId,
        subject.kind,
        subject.id,
        access,
      );
    },
  };
}

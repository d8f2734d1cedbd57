// Groups, their members, resources and permissions on PostgreSQL.
import type { Access } from '../../../core/platform-model.ts';
import type { GroupReads, GroupWrites, ResourceReads, ResourceWrites } from '../../../core/ports/platform-records.ts';
import type { PgQueries } from '../postgres-queries.ts';
import { type GrantRow, type GroupRow, type ResourceRow, toGrant, toGroup, toResource } from '../../record-rows.ts';

export function postgresAccessRecords(q: PgQueries): GroupReads & GroupWrites & ResourceReads & ResourceWrites {
  return {
    async groupById(orgId, id) {
      const row = await q.one<GroupRow>('SELECT * FROM user_groups WHERE org_id = $1 AND id = $2', orgId, id);
      return row === undefined ? null : toGroup(row);
    },
    async groups(orgId) {
      return (await q.all<GroupRow>('SELECT * FROM user_groups WHERE org_id = $1 ORDER BY created_at, id', orgId)).map(toGroup);
    },
    async groupMemberIds(orgId, groupId) {
      const sql = 'SELECT user_id FROM user_group_members WHERE org_id = $1 AND group_id = $2';
      return (await q.all<{ user_id: string }>(sql, orgId, groupId)).map((row) => row.user_id);
    },
    async createGroup(group) {
      const sql = 'INSERT INTO user_groups (org_id, id, name, created_at) VALUES ($1, $2, $3, $4)';
      await q.run(sql, group.orgId, group.id, group.name, group.createdAt);
    },
    async changeGroupMembers(orgId, groupId, add, remove) {
      if (add.length > 0) {
        await q.run(
          `INSERT INTO user_group_members (org_id, group_id, user_id)
           SELECT $1, $2, user_id FROM unnest($3::text[]) AS u (user_id) ON CONFLICT DO NOTHING`,
          orgId,
          groupId,
          add,
        );
      }
      if (remove.length > 0) {
        const sql = 'DELETE FROM user_group_members WHERE org_id = $1 AND group_id = $2 AND user_id = ANY($3::text[])';
        await q.run(sql, orgId, groupId, remove);
      }
    },
    async resourceById(orgId, id) {
      const row = await q.one<ResourceRow>('SELECT * FROM resources WHERE org_id = $1 AND id = $2', orgId, id);
      return row === undefined ? null : toResource(row);
    },
    async resources(orgId) {
      const sql = 'SELECT * FROM resources WHERE org_id = $1 ORDER BY created_at, id';
      return (await q.all<ResourceRow>(sql, orgId)).map(toResource);
    },
    async permission(orgId, resourceId, subject) {
      const sql = `SELECT access FROM permissions
        WHERE org_id = $1 AND resource_id = $2 AND subject_kind = $3 AND subject_id = $4`;
      return (await q.one<{ access: Access }>(sql, orgId, resourceId, subject.kind, subject.id))?.access ?? null;
    },
    async resourcePermissions(orgId, resourceId) {
      const sql = `SELECT subject_kind, subject_id, access FROM permissions
        WHERE org_id = $1 AND resource_id = $2 ORDER BY subject_kind DESC, subject_id`;
      return (await q.all<GrantRow>(sql, orgId, resourceId)).map(toGrant);
    },
    async createResource(resource) {
      const sql = 'INSERT INTO resources (org_id, id, type, name, created_at) VALUES ($1, $2, $3, $4, $5)';
      await q.run(sql, resource.orgId, resource.id, resource.type, resource.name, resource.createdAt);
    },
    async setPermission(orgId, resourceId, subject, access) {
      if (access === null) {
        const sql = 'DELETE FROM permissions WHERE org_id = $1 AND resource_id = $2 AND subject_kind = $3 AND subject_id = $4';
        await q.run(sql, orgId, resourceId, subject.kind, subject.id);
        return;
      }
      await q.run(
        `INSERT INTO permissions (org_id, resource_id, subject_kind, subject_id, access) VALUES ($1, $2, $3, $4, $5)
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

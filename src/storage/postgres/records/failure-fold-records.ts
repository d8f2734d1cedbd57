// The windows of failure-event flood protection on PostgreSQL. Reading a key in a transaction takes
// an advisory lock on it until commit, so servers sharing the database fold one key's failures one
// at a time (READ COMMITTED would otherwise let two of them overwrite each other's counts).
import type { FailureFoldWrites } from '../../../core/ports/platform-records.ts';
import type { PgQueries } from '../postgres-queries.ts';
import { type FailureFoldRow, toFailureFold } from '../../record-rows.ts';

export function postgresFailureFoldRecords(q: PgQueries): FailureFoldWrites {
  return {
    async failureFold(orgId, key) {
      await q.run("SELECT pg_advisory_xact_lock(hashtextextended('failure-fold/' || $1 || '/' || $2, 0))", orgId, key);
      const row = await q.one<FailureFoldRow>('SELECT * FROM failure_folds WHERE org_id = $1 AND key = $2', orgId, key);
      return row === undefined ? null : toFailureFold(row);
    },
    async saveFailureFold(fold) {
      await q.run(
        `INSERT INTO failure_folds (org_id, key, window_start, written, folded) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (org_id, key) DO UPDATE SET window_start = excluded.window_start, written = excluded.written, folded = excluded.folded`,
        fold.orgId,
        fold.key,
        fold.windowStart,
        fold.written,
        fold.folded === null ? null : JSON.stringify(fold.folded),
      );
    },
    async deleteFailureFold(orgId, key) {
      await q.run('DELETE FROM failure_folds WHERE org_id = $1 AND key = $2', orgId, key);
    },
    async failureFoldsStartedBefore(startedBefore, limit) {
      const rows = await q.all<{ org_id: string; key: string }>(
        'SELECT org_id, key FROM failure_folds WHERE window_start < $1 ORDER BY window_start LIMIT $2',
        startedBefore,
        limit,
      );
      return rows.map((row) => ({ orgId: row.org_id, key: row.key }));
    },
  };
}

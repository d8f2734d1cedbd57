// The windows of failure-event flood protection on SQLite. Transactions are serialized, so a read
// holds the key by itself until commit.
import type { FailureFoldWrites } from '../../../core/ports/platform-records.ts';
import type { SqliteStatements } from '../sqlite-statements.ts';
import { type FailureFoldRow, toFailureFold } from '../../record-rows.ts';

export function sqliteFailureFoldRecords(q: SqliteStatements): FailureFoldWrites {
  return {
    async failureFold(orgId, key) {
      const row = q.one<FailureFoldRow>('SELECT * FROM failure_folds WHERE org_id = ? AND key = ?', orgId, key);
      return row === undefined ? null : toFailureFold(row);
    },
    async saveFailureFold(fold) {
      q.run(
        `INSERT INTO failure_folds (org_id, key, window_start, written, folded) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (org_id, key) DO UPDATE SET window_start = excluded.window_start, written = excluded.written, folded = excluded.folded`,
        fold.orgId,
        fold.key,
        fold.windowStart,
        fold.written,
        fold.folded === null ? null : JSON.stringify(fold.folded),
      );
    },
    async deleteFailureFold(orgId, key) {
      q.run('DELETE FROM failure_folds WHERE org_id = ? AND key = ?', orgId, key);
    },
    async failureFoldsStartedBefore(startedBefore, limit) {
      const rows = q.all<{ org_id: string; key: string }>(
        'SELECT org_id, key FROM failure_folds WHERE window_start < ? ORDER BY window_start LIMIT ?',
        startedBefore,
        limit,
      );
      return rows.map((row) => ({ orgId: row.org_id, key: row.key }));
    },
  };
}

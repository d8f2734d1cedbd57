// Sign-in failure counts on SQLite, so that throttling holds across restarts (and, on a shared
// database, across servers).
import type { ThrottleReads, ThrottleWrites } from '../../../core/ports/platform-records.ts';
import type { SqliteStatements } from '../sqlite-statements.ts';
import { type ThrottleRow, toLoginThrottle } from '../../record-rows.ts';

export function sqliteThrottleRecords(q: SqliteStatements): ThrottleReads & ThrottleWrites {
  return {
    async loginThrottle(orgId, key) {
      const row = q.one<ThrottleRow>('SELECT * FROM login_throttle WHERE org_id = ? AND key = ?', orgId, key);
      return row === undefined ? null : toLoginThrottle(row);
    },
    async setLoginThrottle(orgId, key, state) {
      if (state === null) {
        q.run('DELETE FROM login_throttle WHERE org_id = ? AND key = ?', orgId, key);
        return;
      }
      q.run(
        `INSERT INTO login_throttle (org_id, key, failures, first_failure_at, last_failure_at, blocked_until)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (org_id, key) DO UPDATE SET failures = excluded.failures, first_failure_at = excluded.first_failure_at,
           last_failure_at = excluded.last_failure_at, blocked_until = excluded.blocked_until`,
        orgId,
        key,
        state.failures,
        state.firstFailureAt,
        state.lastFailureAt,
        state.blockedUntil,
      );
    },
    async sweepLoginThrottle(before) {
      return q.run('DELETE FROM login_throttle WHERE last_failure_at < ? AND blocked_until < ?', before, before);
    },
  };
}

// Sign-in failure counts on PostgreSQL: in the shared database, so throttling holds across
// restarts and across every server.
import type { ThrottleReads, ThrottleWrites } from '../../../core/ports/platform-records.ts';
import type { PgQueries } from '../postgres-queries.ts';
import { type ThrottleRow, toLoginThrottle } from '../../record-rows.ts';

export function postgresThrottleRecords(q: PgQueries, inTransaction: boolean): ThrottleReads & ThrottleWrites {
  return {
    async loginThrottle(orgId, key) {
      // In a transaction the count is read to be written back: hold the key until commit, so that
      // concurrent failures on other servers (READ COMMITTED) are counted, not overwritten.
      if (inTransaction) await q.run("SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0))", orgId, key);
      const row = await q.one<ThrottleRow>('SELECT * FROM login_throttle WHERE org_id = $1 AND key = $2', orgId, key);
      return row === undefined ? null : toLoginThrottle(row);
    },
    async setLoginThrottle(orgId, key, state) {
      if (state === null) {
        await q.run('DELETE FROM login_throttle WHERE org_id = $1 AND key = $2', orgId, key);
        return;
      }
      await q.run(
        `INSERT INTO login_throttle (org_id, key, failures, first_failure_at, last_failure_at, blocked_until)
         VALUES ($1, $2, $3, $4, $5, $6)
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
      return q.run('DELETE FROM login_throttle WHERE last_failure_at < $1 AND blocked_until < $1', before);
    },
  };
}

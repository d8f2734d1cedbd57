// All platform records over one PostgreSQL queryable (the pool for committed reads, or one
// transaction's client): the topic repositories combined into the port's PlatformReads and Writes.
import type { PlatformReads, PlatformWrites } from '../../core/ports/store.ts';
import { PgQueries, type Queryable } from './postgres-queries.ts';
import { postgresAccessRecords } from './records/access-records.ts';
import { postgresFailureFoldRecords } from './records/failure-fold-records.ts';
import { postgresCredentialRecords } from './records/credential-records.ts';
import { postgresInvitationRecords } from './records/invitation-records.ts';
import { postgresMemberRecords } from './records/member-records.ts';
import { postgresOrgRecords } from './records/org-records.ts';
import { postgresSealRecords } from './records/seal-records.ts';
import { postgresSessionRecords } from './records/session-records.ts';
import { postgresSsoAttemptRecords } from './records/sso-attempt-records.ts';
import { postgresThrottleRecords } from './records/throttle-records.ts';

export type PlatformRecords = PlatformReads & PlatformWrites;

/** `inTransaction`: the queryable is one transaction's client, so row locks hold until its end. */
export function postgresPlatformRecords(db: Queryable, inTransaction = false): PlatformRecords {
  const q = new PgQueries(db);
  return {
    ...postgresOrgRecords(q),
    ...postgresSealRecords(q),
    ...postgresMemberRecords(q),
    ...postgresCredentialRecords(q),
    ...postgresSessionRecords(q),
    ...postgresInvitationRecords(q),
    ...postgresAccessRecords(q),
    ...postgresThrottleRecords(q, inTransaction),
    ...postgresSsoAttemptRecords(q),
    ...postgresFailureFoldRecords(q),
  };
}

// All platform records on one SQLite connection: the topic repositories combined into the port's
// PlatformReads and PlatformWrites.
import type Database from 'better-sqlite3';
import type { PlatformReads, PlatformWrites } from '../../core/ports/store.ts';
import { sqliteAccessRecords } from './records/access-records.ts';
import { sqliteFailureFoldRecords } from './records/failure-fold-records.ts';
import { sqliteCredentialRecords } from './records/credential-records.ts';
import { sqliteInvitationRecords } from './records/invitation-records.ts';
import { sqliteMemberRecords } from './records/member-records.ts';
import { sqliteOrgRecords } from './records/org-records.ts';
import { sqliteSealRecords } from './records/seal-records.ts';
import { sqliteSessionRecords } from './records/session-records.ts';
import { sqliteSsoAttemptRecords } from './records/sso-attempt-records.ts';
import { sqliteThrottleRecords } from './records/throttle-records.ts';
import { SqliteStatements } from './sqlite-statements.ts';

export type PlatformRecords = PlatformReads & PlatformWrites;

export function sqlitePlatformRecords(db: Database.Database): PlatformRecords {
  const q = new SqliteStatements(db);
  return {
    ...sqliteOrgRecords(q),
    ...sqliteSealRecords(q),
    ...sqliteMemberRecords(q),
    ...sqliteCredentialRecords(q),
    ...sqliteSessionRecords(q),
    ...sqliteInvitationRecords(q),
    ...sqliteAccessRecords(q),
    ...sqliteThrottleRecords(q),
    ...sqliteSsoAttemptRecords(q),
    ...sqliteFailureFoldRecords(q),
  };
}

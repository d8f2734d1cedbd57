// An org's lock in a transaction: an advisory lock held until COMMIT or ROLLBACK, so that one
// transaction at a time, on any server, checks and changes the org's platform records.
import type { Queryable } from './postgres-queries.ts';

/**
 * The org locks' key space. They take two int4 keys, this class and the org id's hash; every other
 * advisory lock here takes one bigint (migrations, partitions, retention, sealing, sign-in
 * throttles), and PostgreSQL keeps the two kinds apart, so no other lock is ever an org's. Two orgs
 * whose ids hash alike share a lock: their changes take turns, which is slower but still correct.
 */
const ORG_LOCK_CLASS = 0x5ec7;

/** Waits for the org's lock and holds it until the transaction on `client` ends. */
export async function lockOrg(client: Queryable, orgId: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ORG_LOCK_CLASS, orgId]);
}

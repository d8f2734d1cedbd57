// Sealed days on PostgreSQL: how far each org is sealed, the digests and their tree nodes, and the signing keys.
import type { SealReads, SealWrites } from '../../../core/ports/platform-records.ts';
import { toSigningKey, type SigningKeyRow } from '../../record-rows.ts';
import type { PgQueries } from '../postgres-queries.ts';

export function postgresSealRecords(q: PgQueries): SealReads & SealWrites {
  return {
    async sealProgress() {
      const rows = await q.all<{ id: string; created_at: number; last_sealed_day: number | null }>(
        'SELECT o.id, o.created_at, (SELECT max(d.day) FROM day_digests d WHERE d.org_id = o.id) AS last_sealed_day FROM orgs o ORDER BY o.id',
      );
      return rows.map((row) => ({ orgId: row.id, createdAt: row.created_at, lastSealedDay: row.last_sealed_day }));
    },
    async digestJson(orgId, epochDay) {
      return (await q.one<{ digest: string }>('SELECT digest FROM day_digests WHERE org_id = $1 AND day = $2', orgId, epochDay))?.digest ?? null;
    },
    async dayTreeNodes(orgId, epochDay, positions) {
      // Stored uncompressed out of line, so each substring fetches its own slice, not the whole value.
      const sql = `SELECT chunk_size, octet_length(nodes) / 32 AS node_count,
          ARRAY(SELECT substring(nodes FROM p * 32 + 1 FOR 32) FROM unnest($3::int[]) WITH ORDINALITY AS asked (p, n) ORDER BY n) AS picked
        FROM day_tree_nodes WHERE org_id = $1 AND day = $2`;
      const row = await q.one<{ chunk_size: number; node_count: number; picked: Buffer[] }>(sql, orgId, epochDay, positions);
      return row === undefined ? null : { chunkSize: row.chunk_size, nodeCount: row.node_count, nodes: row.picked };
    },
    async signingKeys() {
      return (await q.all<SigningKeyRow>('SELECT key_id, public_key, valid_from, valid_until, announcement FROM signing_keys ORDER BY valid_from, key_id')).map(toSigningKey);
    },
    async closeDaysThrough(orgId, epochDay) {
      await q.run('UPDATE org_heads SET sealed_through = $1 WHERE org_id = $2 AND (sealed_through IS NULL OR sealed_through < $3)', epochDay, orgId, epochDay);
    },
    async saveDigest(orgId, epochDay, digestJson) {
      return (await q.run('INSERT INTO day_digests (org_id, day, digest) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', orgId, epochDay, digestJson)) === 1;
    },
    async saveDayTreeNodes(orgId, epochDay, tree) {
      const sql = 'INSERT INTO day_tree_nodes (org_id, day, chunk_size, nodes) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING';
      return (await q.run(sql, orgId, epochDay, tree.chunkSize, tree.nodes)) === 1;
    },
    async useSigningKey(key, at) {
      if ((await q.run('INSERT INTO signing_keys (key_id, public_key, valid_from, announcement) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', key.keyId, key.publicKey, at, key.announcement)) === 1) {
        await q.run('UPDATE signing_keys SET valid_until = $1 WHERE key_id <> $2 AND valid_until IS NULL', at, key.keyId);
      } else if (key.announcement !== null) {
        // A server that read the new key file first recorded the key without its announcement.
        await q.run('UPDATE signing_keys SET announcement = $1 WHERE key_id = $2 AND announcement IS NULL', key.announcement, key.keyId);
      }
    },
  };
}

// Sealed days on SQLite: how far each org is sealed, the digests and their tree nodes, and the signing keys.
import { HASH_BYTES } from '../../../core/integrity/merkle.ts';
import type { SealReads, SealWrites } from '../../../core/ports/platform-records.ts';
import { toSigningKey, type SigningKeyRow } from '../../record-rows.ts';
import type { SqliteStatements } from '../sqlite-statements.ts';

export function sqliteSealRecords(q: SqliteStatements): SealReads & SealWrites {
  return {
    async sealProgress() {
      const rows = q.all<{ id: string; created_at: number; last_sealed_day: number | null }>(
        'SELECT o.id, o.created_at, (SELECT max(d.day) FROM day_digests d WHERE d.org_id = o.id) AS last_sealed_day FROM orgs o ORDER BY o.id',
      );
      return rows.map((row) => ({ orgId: row.id, createdAt: row.created_at, lastSealedDay: row.last_sealed_day }));
    },
    async digestJson(orgId, epochDay) {
      return q.one<{ digest: string }>('SELECT digest FROM day_digests WHERE org_id = ? AND day = ?', orgId, epochDay)?.digest ?? null;
    },
    async dayTreeNodes(orgId, epochDay, positions) {
      // In process, reading the whole blob costs a copy; picking the nodes from it is simplest.
      const row = q.one<{ chunk_size: number; nodes: Buffer }>('SELECT chunk_size, nodes FROM day_tree_nodes WHERE org_id = ? AND day = ?', orgId, epochDay);
      if (row === undefined) return null;
      const nodes = positions.map((position) => row.nodes.subarray(position * HASH_BYTES, (position + 1) * HASH_BYTES));
      return { chunkSize: row.chunk_size, nodeCount: Math.floor(row.nodes.length / HASH_BYTES), nodes };
    },
    async signingKeys() {
      return q.all<SigningKeyRow>('SELECT key_id, public_key, valid_from, valid_until, announcement FROM signing_keys ORDER BY valid_from, key_id').map(toSigningKey);
    },
    async closeDaysThrough(orgId, epochDay) {
      q.run('UPDATE org_heads SET sealed_through = ? WHERE org_id = ? AND (sealed_through IS NULL OR sealed_through < ?)', epochDay, orgId, epochDay);
    },
    async saveDigest(orgId, epochDay, digestJson) {
      return q.run('INSERT INTO day_digests (org_id, day, digest) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', orgId, epochDay, digestJson) === 1;
    },
    async saveDayTreeNodes(orgId, epochDay, tree) {
      const sql = 'INSERT INTO day_tree_nodes (org_id, day, chunk_size, nodes) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING';
      return q.run(sql, orgId, epochDay, tree.chunkSize, tree.nodes) === 1;
    },
    async useSigningKey(key, at) {
      if (q.run('INSERT INTO signing_keys (key_id, public_key, valid_from, announcement) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', key.keyId, key.publicKey, at, key.announcement) === 1) {
        q.run('UPDATE signing_keys SET valid_until = ? WHERE key_id <> ? AND valid_until IS NULL', at, key.keyId);
      } else if (key.announcement !== null) {
        // A server that read the new key file first recorded the key without its announcement.
        q.run('UPDATE signing_keys SET announcement = ? WHERE key_id = ? AND announcement IS NULL', key.announcement, key.keyId);
      }
    },
  };
}

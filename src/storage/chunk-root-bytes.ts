// A sealed day's chunk roots as one column, the same on both adapters: their 32-byte hashes end to end.
import type { DayChunkRoots } from '../core/ports/platform-records.ts';
import { HASH_BYTES } from '../core/integrity/merkle.ts';

export interface ChunkRootsRow {
  chunk_size: number;
  roots: Buffer;
}

export function chunkRootsBytes(chunks: DayChunkRoots): Buffer {
  return Buffer.concat(chunks.roots);
}

export function toDayChunkRoots(row: ChunkRootsRow): DayChunkRoots {
  // A length that is not a whole number of hashes is a corrupt row: refuse it rather than prove from it.
  if (row.roots.length % HASH_BYTES !== 0) throw new Error(`stored chunk roots of ${String(row.roots.length)} bytes`);
  const roots: Buffer[] = [];
  for (let at = 0; at < row.roots.length; at += HASH_BYTES) roots.push(row.roots.subarray(at, at + HASH_BYTES));
  return { chunkSize: row.chunk_size, roots };
}

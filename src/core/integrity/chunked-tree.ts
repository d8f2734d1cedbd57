// A day's RFC 6962 tree kept as the roots of its aligned chunks of 2^k leaves, so that an inclusion
// proof needs the leaves of one chunk only, not the whole day.
import { inclusionPath, merkleRoot, MerkleRootBuilder } from './merkle.ts';

// Why this is exact: a tree of n > 2^k leaves splits at a power of two p ≥ 2^k, a multiple of 2^k,
// and p / 2^k is the largest power of two below ceil(n / 2^k). So every aligned chunk, and the
// partial one at the right edge, is a node of the tree, and the tree above them is RFC 6962's
// split applied to the chunk roots taken as leaf hashes.

export function isChunkSize(size: number): boolean {
  return Number.isSafeInteger(size) && size >= 1 && (size & (size - 1)) === 0;
}

/** Builds a tree's root leaf by leaf, like MerkleRootBuilder, keeping the root of every chunk. */
export class ChunkedRootBuilder {
  private chunk = new MerkleRootBuilder();
  private readonly roots: Buffer[] = [];
  private count = 0;

  constructor(readonly chunkSize: number) {
    if (!isChunkSize(chunkSize)) throw new RangeError(`a chunk holds a power of two of leaves, not ${String(chunkSize)}`);
  }

  addLeafHash(hash: Buffer): void {
    this.chunk.addLeafHash(hash);
    this.count += 1;
    if (this.chunk.size === this.chunkSize) {
      this.roots.push(this.chunk.root());
      this.chunk = new MerkleRootBuilder();
    }
  }

  get size(): number {
    return this.count;
  }

  /** The roots of the chunks so far, in order, the partial last one included. */
  chunkRoots(): Buffer[] {
    return this.chunk.size === 0 ? [...this.roots] : [...this.roots, this.chunk.root()];
  }

  root(): Buffer {
    return merkleRoot(this.chunkRoots());
  }
}

/** Where leaf `index` of a tree of `size` lies: its chunk's number, first leaf and leaf count. */
export function chunkOf(index: number, size: number, chunkSize: number): { readonly chunk: number; readonly start: number; readonly count: number } {
  if (!isChunkSize(chunkSize)) throw new RangeError(`a chunk holds a power of two of leaves, not ${String(chunkSize)}`);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError(`no leaf ${String(index)} in a tree of ${String(size)}`);
  const chunk = Math.floor(index / chunkSize);
  const start = chunk * chunkSize;
  return { chunk, start, count: Math.min(chunkSize, size - start) };
}

/** The number of chunks of a tree of `size` leaves. */
export function chunkCount(size: number, chunkSize: number): number {
  return Math.ceil(size / chunkSize);
}

/**
 * RFC 6962 PATH(index, D[size]) from the leaf hashes of the leaf's chunk alone and the roots of
 * every chunk: the path inside the chunk, then the chunk's path over the chunk roots.
 */
export function chunkedInclusionPath(
  chunkLeaves: readonly Buffer[],
  chunkRoots: readonly Buffer[],
  chunkSize: number,
  size: number,
  index: number,
): Buffer[] {
  const { chunk, start, count } = chunkOf(index, size, chunkSize);
  if (chunkRoots.length !== chunkCount(size, chunkSize)) {
    throw new RangeError(`${String(chunkRoots.length)} chunk roots for a tree of ${String(size)} in chunks of ${String(chunkSize)}`);
  }
  if (chunkLeaves.length !== count) throw new RangeError(`chunk ${String(chunk)} holds ${String(count)} leaves, not ${String(chunkLeaves.length)}`);
  return [...inclusionPath(chunkLeaves, index - start), ...inclusionPath(chunkRoots, chunk)];
}

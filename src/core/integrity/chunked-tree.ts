// What sealing keeps of a day's RFC 6962 tree so that an inclusion proof needs the leaves of one
// chunk only: the roots of its aligned chunks of 2^k leaves, and the nodes above them.
import { HASH_BYTES, inclusionPath, largestPowerOfTwoBelow, merkleRoot, MerkleRootBuilder, nodeHash } from './merkle.ts';

// Why this is exact: a tree of n > 2^k leaves splits at a power of two p ≥ 2^k, a multiple of 2^k,
// and p / 2^k is the largest power of two below ceil(n / 2^k). So every aligned chunk, and the
// partial one at the right edge, is a node of the tree, and the tree above them is RFC 6962's
// split applied to the chunk roots taken as leaf hashes. In that tree, every complete aligned run
// of 2^j chunk roots is a node too: kept level by level, they give a chunk's path above the chunks
// with a few hashes however long the day.

export function isChunkSize(size: number): boolean {
  return Number.isSafeInteger(size) && size >= 1 && (size & (size - 1)) === 0;
}

function checkedChunkSize(size: number): number {
  if (!isChunkSize(size)) throw new RangeError(`a chunk holds a power of two of leaves, not ${String(size)}`);
  return size;
}

/** Builds a tree's root leaf by leaf, like MerkleRootBuilder, keeping the root of every chunk. */
export class ChunkedRootBuilder {
  private chunk = new MerkleRootBuilder();
  private readonly roots: Buffer[] = [];
  private count = 0;

  constructor(readonly chunkSize: number) {
    checkedChunkSize(chunkSize);
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
  checkedChunkSize(chunkSize);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError(`no leaf ${String(index)} in a tree of ${String(size)}`);
  const chunk = Math.floor(index / chunkSize);
  const start = chunk * chunkSize;
  return { chunk, start, count: Math.min(chunkSize, size - start) };
}

/** Where each level starts among the kept nodes of a tree of `chunks` chunks (level 0 is their roots). */
function levelStarts(chunks: number): number[] {
  const starts = [0];
  for (let width = chunks, at = 0; width > 1; width = Math.floor(width / 2)) {
    at += width;
    starts.push(at);
  }
  return starts;
}

/** The number of chunks of a tree of `size` leaves. */
export function chunkCount(size: number, chunkSize: number): number {
  return Math.ceil(size / checkedChunkSize(chunkSize));
}

/** How many nodes are kept of a tree of `size` leaves in chunks of `chunkSize`. */
export function keptNodeCount(size: number, chunkSize: number): number {
  const chunks = chunkCount(size, chunkSize);
  return chunks === 0 ? 0 : (levelStarts(chunks).at(-1) ?? 0) + 1;
}

/**
 * The nodes kept of a tree above its chunks, as 32-byte hashes end to end: the chunk roots, then
 * level by level the roots of the complete aligned runs of 2, 4, 8… of them, each level in order.
 */
export function nodesAboveChunks(chunkRoots: readonly Buffer[]): Buffer {
  const levels: (readonly Buffer[])[] = [chunkRoots];
  for (let level = chunkRoots; level.length > 1; ) {
    const previous = level;
    level = Array.from({ length: Math.floor(previous.length / 2) }, (_, i) => nodeHash(previous[2 * i] as Buffer, previous[2 * i + 1] as Buffer));
    levels.push(level);
  }
  return Buffer.concat(levels.flat());
}

/** The complete aligned runs whose roots make the root of chunk roots [from, to), left to right, as kept positions. */
function runsOf(from: number, to: number, starts: readonly number[]): number[] {
  const runs: number[] = [];
  for (let at = from; at < to; ) {
    const width = to - at;
    // RFC 6962 splits at the largest power of two below the width; a complete aligned run is whole.
    const run = isChunkSize(width) && at % width === 0 ? width : largestPowerOfTwoBelow(width);
    runs.push((starts[Math.log2(run)] as number) + at / run);
    at += run;
  }
  return runs;
}

/** The ranges of chunk roots whose roots make a chunk's path above the chunks, from the chunk up. */
function siblingRanges(chunk: number, chunks: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let lo = 0, hi = chunks; hi - lo > 1; ) {
    const split = largestPowerOfTwoBelow(hi - lo);
    if (chunk < lo + split) {
      ranges.push([lo + split, hi]);
      hi = lo + split;
    } else {
      ranges.push([lo, lo + split]);
      lo += split;
    }
  }
  return ranges.reverse();
}

/** The positions of the kept nodes that the proof of leaf `index` of a tree of `size` needs. */
export function nodePositions(size: number, chunkSize: number, index: number): number[] {
  const { chunk } = chunkOf(index, size, chunkSize);
  const chunks = chunkCount(size, chunkSize);
  const starts = levelStarts(chunks);
  return [...new Set(siblingRanges(chunk, chunks).flatMap(([from, to]) => runsOf(from, to, starts)))];
}

/** The kept nodes at these positions, from all the kept nodes end to end. */
export function nodesAt(nodes: Buffer, positions: readonly number[]): Map<number, Buffer> {
  return new Map(positions.map((position) => [position, nodes.subarray(position * HASH_BYTES, (position + 1) * HASH_BYTES)]));
}

/**
 * RFC 6962 PATH(index, D[size]) from the leaf hashes of the leaf's chunk alone and the kept nodes
 * at nodePositions(size, chunkSize, index): the path inside the chunk, then the chunk's path above.
 */
export function chunkedInclusionPath(
  chunkLeaves: readonly Buffer[],
  nodes: ReadonlyMap<number, Buffer>,
  chunkSize: number,
  size: number,
  index: number,
): Buffer[] {
  const { chunk, start, count } = chunkOf(index, size, chunkSize);
  if (chunkLeaves.length !== count) throw new RangeError(`chunk ${String(chunk)} holds ${String(count)} leaves, not ${String(chunkLeaves.length)}`);
  const chunks = chunkCount(size, chunkSize);
  const starts = levelStarts(chunks);
  const node = (position: number): Buffer => {
    const found = nodes.get(position);
    if (found?.length !== HASH_BYTES) throw new RangeError(`no kept node ${String(position)} of a tree of ${String(chunks)} chunks`);
    return found;
  };
  const above = siblingRanges(chunk, chunks).map(([from, to]) =>
    runsOf(from, to, starts)
      .map(node)
      .reduceRight((right, left) => nodeHash(left, right)),
  );
  return [...inclusionPath(chunkLeaves, index - start), ...above];
}

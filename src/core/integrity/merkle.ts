// RFC 6962 Merkle trees (as in RFC 9162 §2.1): leaf hashes SHA-256(0x00‖leaf), node hashes
// SHA-256(0x01‖left‖right), a tree of n leaves split at the largest power of two below n, no
// odd node duplicated, the empty tree's root SHA-256(""). Hashes are 32-byte Buffers here and
// lowercase hex on the wire.
import { createHash } from 'node:crypto';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
export const HASH_BYTES = 32;

export function leafHash(leaf: Uint8Array | string): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(leaf).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** The largest power of two strictly below n (n ≥ 2). */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Builds a root leaf by leaf in O(log n) memory: full subtrees wait on a stack, merged as soon as
 * two of one size meet, and folded right to left at the end, which is RFC 6962's split.
 */
export class MerkleRootBuilder {
  private readonly stack: { hash: Buffer; size: number }[] = [];
  private count = 0;

  addLeafHash(hash: Buffer): void {
    let entry = { hash, size: 1 };
    for (let top = this.stack.at(-1); top !== undefined && top.size === entry.size; top = this.stack.at(-1)) {
      this.stack.pop();
      entry = { hash: nodeHash(top.hash, entry.hash), size: top.size * 2 };
    }
    this.stack.push(entry);
    this.count += 1;
  }

  get size(): number {
    return this.count;
  }

  root(): Buffer {
    let root: Buffer | null = null;
    for (let i = this.stack.length - 1; i >= 0; i -= 1) {
      const entry = this.stack[i] as { hash: Buffer };
      root = root === null ? entry.hash : nodeHash(entry.hash, root);
    }
    return root ?? EMPTY_ROOT;
  }
}

/** The root of the tree over these leaf hashes. */
export function merkleRoot(leafHashes: readonly Buffer[]): Buffer {
  const builder = new MerkleRootBuilder();
  for (const hash of leafHashes) builder.addLeafHash(hash);
  return builder.root();
}

/** RFC 6962 PATH(m, D[n]): the sibling hashes from the leaf up to the root. */
export function inclusionPath(leafHashes: readonly Buffer[], index: number): Buffer[] {
  if (!Number.isInteger(index) || index < 0 || index >= leafHashes.length) throw new RangeError(`no leaf ${String(index)} in a tree of ${String(leafHashes.length)}`);
  const path: Buffer[] = [];
  let lo = 0;
  let hi = leafHashes.length;
  let m = index;
  // Walk down from the root, noting each sibling subtree's root; the path lists them bottom-up.
  while (hi - lo > 1) {
    const k = largestPowerOfTwoBelow(hi - lo);
    if (m < k) {
      path.push(merkleRoot(leafHashes.slice(lo + k, hi)));
      hi = lo + k;
    } else {
      path.push(merkleRoot(leafHashes.slice(lo, lo + k)));
      lo += k;
      m -= k;
    }
  }
  return path.reverse();
}

/** RFC 9162 §2.1.3.2: does this path prove the leaf hash at `index` in a tree of `size` with this root? */
export function verifyInclusion(leaf: Buffer, index: number, size: number, path: readonly Buffer[], root: Buffer): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (leaf.length !== HASH_BYTES || root.length !== HASH_BYTES) return false;
  let fn = index;
  let sn = size - 1;
  let hash = leaf;
  for (const sibling of path) {
    if (sibling.length !== HASH_BYTES || sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      hash = nodeHash(sibling, hash);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      hash = nodeHash(hash, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && hash.equals(root);
}

// A tree kept as chunk roots proves exactly what the whole tree proves: the same root, and for any
// size, leaf and chunk size the same audit path as the full-tree one, verified against the root.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ChunkedRootBuilder, chunkedInclusionPath, chunkOf } from './chunked-tree.ts';
import { inclusionPath, leafHash, merkleRoot, verifyInclusion } from './merkle.ts';

const leaves = Array.from({ length: 700 }, (_, i) => leafHash(`event ${String(i)}`));

function chunkedTree(size: number, chunkSize: number): { roots: Buffer[]; root: Buffer } {
  const builder = new ChunkedRootBuilder(chunkSize);
  for (const hash of leaves.slice(0, size)) builder.addLeafHash(hash);
  return { roots: builder.chunkRoots(), root: builder.root() };
}

test('gives the path of the full tree, which verifies against its root, for any size, leaf and chunk size', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: leaves.length }),
      fc.nat(),
      fc.integer({ min: 0, max: 10 }),
      (size, pick, log2) => {
        const chunkSize = 2 ** log2;
        const index = pick % size;
        const tree = leaves.slice(0, size);
        const { roots, root } = chunkedTree(size, chunkSize);
        assert.ok(root.equals(merkleRoot(tree)), 'the same root');
        const { start, count } = chunkOf(index, size, chunkSize);
        const path = chunkedInclusionPath(tree.slice(start, start + count), roots, chunkSize, size, index);
        assert.deepEqual(path, inclusionPath(tree, index));
        assert.ok(verifyInclusion(tree[index] as Buffer, index, size, path, root));
      },
    ),
    { numRuns: 400 },
  );
});

test('keeps one root per chunk, the partial last one included, and the empty tree’s root for no leaf', () => {
  assert.deepEqual(chunkedTree(0, 4), { roots: [], root: merkleRoot([]) });
  assert.equal(chunkedTree(8, 4).roots.length, 2);
  assert.equal(chunkedTree(9, 4).roots.length, 3);
  assert.ok((chunkedTree(9, 4).roots[2] as Buffer).equals(leaves[8] as Buffer), 'a chunk of one leaf is that leaf');
});

test('refuses a chunk size that is not a power of two, and leaves or roots that do not fit the tree', () => {
  assert.throws(() => new ChunkedRootBuilder(3), RangeError);
  assert.throws(() => new ChunkedRootBuilder(0), RangeError);
  const { roots } = chunkedTree(10, 4);
  assert.throws(() => chunkedInclusionPath(leaves.slice(8, 10), roots, 4, 10, 10), RangeError, 'no such leaf');
  assert.throws(() => chunkedInclusionPath(leaves.slice(8, 9), roots, 4, 10, 9), RangeError, 'a leaf short');
  assert.throws(() => chunkedInclusionPath(leaves.slice(8, 10), roots.slice(1), 4, 10, 9), RangeError, 'a root short');
});

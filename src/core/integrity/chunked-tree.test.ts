// A tree kept as chunk roots and the nodes above them proves exactly what the whole tree proves: the
// same root, and for any size, leaf and chunk size the same audit path, verified against the root.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ChunkedRootBuilder, chunkedInclusionPath, chunkOf, keptNodeCount, nodePositions, nodesAboveChunks, nodesAt } from './chunked-tree.ts';
import { inclusionPath, leafHash, merkleRoot, verifyInclusion } from './merkle.ts';

const leaves = Array.from({ length: 700 }, (_, i) => leafHash(`event ${String(i)}`));

function chunkedTree(size: number, chunkSize: number): { roots: Buffer[]; nodes: Buffer; root: Buffer } {
  const builder = new ChunkedRootBuilder(chunkSize);
  for (const hash of leaves.slice(0, size)) builder.addLeafHash(hash);
  return { roots: builder.chunkRoots(), nodes: nodesAboveChunks(builder.chunkRoots()), root: builder.root() };
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
        const { nodes, root } = chunkedTree(size, chunkSize);
        assert.ok(root.equals(merkleRoot(tree)), 'the same root');
        assert.equal(nodes.length, keptNodeCount(size, chunkSize) * 32);
        const { start, count } = chunkOf(index, size, chunkSize);
        const positions = nodePositions(size, chunkSize, index);
        assert.ok(positions.length <= 2 * Math.log2(size) + 1, `${String(positions.length)} nodes read`);
        const path = chunkedInclusionPath(tree.slice(start, start + count), nodesAt(nodes, positions), chunkSize, size, index);
        assert.deepEqual(path, inclusionPath(tree, index));
        assert.ok(verifyInclusion(tree[index] as Buffer, index, size, path, root));
      },
    ),
    { numRuns: 400 },
  );
});

test('keeps one root per chunk, the partial last one included, then each level of complete aligned runs of them', () => {
  assert.deepEqual(chunkedTree(0, 4), { roots: [], nodes: Buffer.alloc(0), root: merkleRoot([]) });
  assert.equal(chunkedTree(8, 4).roots.length, 2);
  const { roots, nodes } = chunkedTree(19, 4);
  assert.equal(roots.length, 5);
  assert.ok((roots[4] as Buffer).equals(merkleRoot(leaves.slice(16, 19))), 'the partial chunk');
  const [a, b, c, d, e] = roots as [Buffer, Buffer, Buffer, Buffer, Buffer];
  const ab = merkleRoot([a, b]);
  const cd = merkleRoot([c, d]);
  assert.ok(nodes.equals(Buffer.concat([a, b, c, d, e, ab, cd, merkleRoot([a, b, c, d])])), 'five roots, two pairs, one run of four');
  assert.ok((roots[0] as Buffer).equals(merkleRoot(leaves.slice(0, 4))));
});

test('refuses a chunk size that is not a power of two, and leaves or nodes that do not fit the tree', () => {
  assert.throws(() => new ChunkedRootBuilder(3), RangeError);
  assert.throws(() => new ChunkedRootBuilder(0), RangeError);
  const { nodes } = chunkedTree(10, 4);
  const at = nodesAt(nodes, nodePositions(10, 4, 9));
  assert.throws(() => chunkedInclusionPath(leaves.slice(8, 10), at, 4, 10, 10), RangeError, 'no such leaf');
  assert.throws(() => chunkedInclusionPath(leaves.slice(8, 9), at, 4, 10, 9), RangeError, 'a leaf short');
  assert.throws(() => chunkedInclusionPath(leaves.slice(8, 10), new Map([...at].slice(1)), 4, 10, 9), RangeError, 'a node missing');
  assert.throws(() => chunkedInclusionPath(leaves.slice(8, 10), nodesAt(nodes.subarray(0, 40), nodePositions(10, 4, 9)), 4, 10, 9), RangeError, 'a node cut short');
});

// RFC 6962 trees: the Certificate Transparency reference roots and inclusion paths, every proof of
// many tree shapes, and no mutated proof ever accepted.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { EMPTY_ROOT, inclusionPath, leafHash, merkleRoot, MerkleRootBuilder, verifyInclusion } from './merkle.ts';
import { proofMatchesDigest, type InclusionProof } from './proof.ts';

const hex = (hash: Buffer) => hash.toString('hex');
const unhex = (text: string) => Buffer.from(text, 'hex');

// The reference leaves and tree heads of RFC 6962's test data (as published with Certificate
// Transparency's implementations), as data.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION = [
  {
    index: 0,
    size: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];
const REFERENCE = LEAVES.map((leaf) => leafHash(leaf));

describe('RFC 6962 reference data', () => {
  test('the empty tree, and the tree head of every size from 1 to 8', () => {
    assert.equal(hex(EMPTY_ROOT), ROOTS[0]);
    for (let size = 0; size <= 8; size += 1) assert.equal(hex(merkleRoot(REFERENCE.slice(0, size))), ROOTS[size], `size ${String(size)}`);
  });

  test('the reference inclusion paths, made and verified', () => {
    for (const { index, size, path } of INCLUSION) {
      const tree = REFERENCE.slice(0, size);
      assert.deepEqual(inclusionPath(tree, index).map(hex), path);
      assert.ok(verifyInclusion(tree[index] as Buffer, index, size, path.map(unhex), unhex(ROOTS[size] as string)));
    }
  });
});

const many = Array.from({ length: 70 }, (_, i) => leafHash(`event ${String(i)}`));

test('every leaf of every tree from 1 to 70 leaves has a path that verifies, and the streaming root agrees', () => {
  for (let size = 1; size <= many.length; size += 1) {
    const tree = many.slice(0, size);
    const builder = new MerkleRootBuilder();
    for (const hash of tree) builder.addLeafHash(hash);
    const root = merkleRoot(tree);
    assert.ok(builder.root().equals(root));
    for (let index = 0; index < size; index += 1) {
      assert.ok(verifyInclusion(tree[index] as Buffer, index, size, inclusionPath(tree, index), root), `${String(index)} of ${String(size)}`);
    }
  }
});

type Mutation =
  | { kind: 'flip'; element: number; bit: number }
  | { kind: 'index'; delta: number }
  | { kind: 'size'; delta: number }
  | { kind: 'truncate'; keep: number }
  | { kind: 'extend'; extra: string; atStart: boolean }
  | { kind: 'leaf'; bit: number }
  | { kind: 'root'; bit: number }
  | { kind: 'swap'; a: number; b: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), element: fc.nat(), bit: fc.nat(255) }),
  fc.record({ kind: fc.constant('index' as const), delta: fc.integer({ min: -70, max: 70 }).filter((d) => d !== 0) }),
  fc.record({ kind: fc.constant('size' as const), delta: fc.integer({ min: -70, max: 70 }).filter((d) => d !== 0) }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }),
  fc.record({
    kind: fc.constant('extend' as const),
    extra: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('hex')),
    atStart: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('leaf' as const), bit: fc.nat(255) }),
  fc.record({ kind: fc.constant('root' as const), bit: fc.nat(255) }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
);

const flipHex = (hash: string, bit: number): string => {
  const bytes = Buffer.from(hash, 'hex');
  bytes[bit >> 3] = (bytes[bit >> 3] as number) ^ (1 << (bit & 7));
  return bytes.toString('hex');
};

const FIRST_SEQ = 101;

/** The proof of one leaf, as /proof serves it, and the signed digest fields it is checked against. */
function proofOf(size: number, index: number): { proof: InclusionProof; digest: { date: string; treeSize: number; root: string; firstSeq: number } } {
  const tree = many.slice(0, size);
  const root = hex(merkleRoot(tree));
  const proof: InclusionProof = {
    eventId: `e${String(index)}`,
    date: '2025-05-17',
    seq: FIRST_SEQ + index,
    leafIndex: index,
    treeSize: size,
    leafHash: hex(tree[index] as Buffer),
    auditPath: inclusionPath(tree, index).map(hex),
    root,
  };
  return { proof, digest: { date: '2025-05-17', treeSize: size, root, firstSeq: FIRST_SEQ } };
}

test('every genuine proof matches its digest', () => {
  for (let size = 1; size <= many.length; size += 1) {
    for (let index = 0; index < size; index += 1) {
      const { proof, digest } = proofOf(size, index);
      assert.ok(proofMatchesDigest(proof, digest));
    }
  }
});

test('no mutated proof is accepted: flipped bits, wrong index or size, truncated, extended, reordered (10,000 cases)', () => {
  let tried = 0;
  fc.assert(
    fc.property(fc.integer({ min: 1, max: many.length }), fc.nat(), mutation, (size, pick, change) => {
      const { proof, digest } = proofOf(size, pick % size);
      const path = proof.auditPath;
      let mutated: InclusionProof;
      switch (change.kind) {
        case 'flip': {
          fc.pre(path.length > 0);
          const at = change.element % path.length;
          mutated = { ...proof, auditPath: path.map((hash, i) => (i === at ? flipHex(hash, change.bit) : hash)) };
          break;
        }
        case 'index':
          // The index moves with the seq it claims, or alone: both must fail.
          mutated = change.delta % 2 === 0
            ? { ...proof, leafIndex: proof.leafIndex + change.delta, seq: proof.seq + change.delta }
            : { ...proof, leafIndex: proof.leafIndex + change.delta };
          break;
        case 'size':
          mutated = { ...proof, treeSize: proof.treeSize + change.delta };
          break;
        case 'truncate':
          fc.pre(path.length > 0);
          mutated = { ...proof, auditPath: path.slice(0, change.keep % path.length) };
          break;
        case 'extend':
          mutated = { ...proof, auditPath: change.atStart ? [change.extra, ...path] : [...path, change.extra] };
          break;
        case 'leaf':
          mutated = { ...proof, leafHash: flipHex(proof.leafHash, change.bit) };
          break;
        case 'root':
          mutated = { ...proof, root: flipHex(proof.root, change.bit) };
          break;
        case 'swap': {
          fc.pre(path.length > 1);
          const a = change.a % path.length;
          const b = change.b % path.length;
          fc.pre(a !== b && path[a] !== path[b]);
          mutated = { ...proof, auditPath: path.map((hash, i) => (i === a ? (path[b] as string) : i === b ? (path[a] as string) : hash)) };
          break;
        }
      }
      tried += 1;
      return !proofMatchesDigest(mutated, digest);
    }),
    { numRuns: 12_000 },
  );
  assert.ok(tried >= 10_000, `only ${String(tried)} mutated proofs were tried`);
});

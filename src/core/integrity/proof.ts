// An inclusion proof as `/proof` serves it, and its check against the signed digest of its day.
import type { Digest } from './digest.ts';
import { verifyInclusion } from './merkle.ts';

export interface InclusionProof {
  readonly eventId: string;
  readonly date: string;
  readonly seq: number;
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: string;
  /** Hex sibling hashes, from the leaf up. */
  readonly auditPath: readonly string[];
  readonly root: string;
}

const HEX_HASH = /^[0-9a-f]{64}$/;

/**
 * True when the proof puts its leaf hash at its index in the tree the digest signed: the size and
 * root are the digest's (a proof's own claims count for nothing), the index is the event's place
 * in the day (seq − firstSeq), and the path rebuilds the root. A proof of one tree size that also
 * fits another is still refused, because only the signed size is accepted.
 */
export function proofMatchesDigest(proof: InclusionProof, digest: Pick<Digest, 'date' | 'treeSize' | 'root' | 'firstSeq'>): boolean {
  if (proof.date !== digest.date || proof.treeSize !== digest.treeSize || proof.root !== digest.root) return false;
  if (proof.leafIndex !== proof.seq - digest.firstSeq) return false;
  if (!HEX_HASH.test(proof.leafHash) || !HEX_HASH.test(digest.root) || !proof.auditPath.every((hash) => HEX_HASH.test(hash))) return false;
  const path = proof.auditPath.map((hash) => Buffer.from(hash, 'hex'));
  return verifyInclusion(Buffer.from(proof.leafHash, 'hex'), proof.leafIndex, digest.treeSize, path, Buffer.from(digest.root, 'hex'));
}

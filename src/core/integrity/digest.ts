// The signed digest of a sealed day (DESIGN §9): nine fields signed with Ed25519 over their
// RFC 8785 JSON, chained to the previous day's digest by the hash of its whole JSON.
import { createHash, verify as verifySignature, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../canonical-json.ts';

export interface DigestFields {
  readonly orgId: string;
  /** `YYYY-MM-DD`, UTC. */
  readonly date: string;
  readonly treeSize: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** Lowercase hex of the day's Merkle root. */
  readonly root: string;
  /** Hex SHA-256 of the previous day's whole digest; null on the org's first sealed day. */
  readonly prevDigestHash: string | null;
  readonly keyId: string;
  /** ISO 8601 instant. */
  readonly sealedAt: string;
}

export interface Digest extends DigestFields {
  /** Base64 Ed25519 signature over signedText(fields). */
  readonly signature: string;
}

export const DIGEST_FIELDS = ['orgId', 'date', 'treeSize', 'firstSeq', 'lastSeq', 'root', 'prevDigestHash', 'keyId', 'sealedAt'] as const;

/** What the signature covers: the nine fields, and nothing else, as RFC 8785 JSON. */
export function signedText(digest: DigestFields): string {
  return canonicalJson(Object.fromEntries(DIGEST_FIELDS.map((field) => [field, digest[field]])));
}

/** The hash the next day's digest chains to: SHA-256 of the whole digest's RFC 8785 JSON. */
export function digestHash(digest: Digest): string {
  return createHash('sha256').update(canonicalJson(digest)).digest('hex');
}

/** A public signing key as `GET /api/audit-log/keys` publishes it. */
export interface PublishedKey {
  readonly keyId: string;
  readonly algorithm: 'Ed25519';
  /** Base64 of the raw 32-byte public key. */
  readonly publicKey: string;
  readonly validFrom: string;
  readonly validUntil: string | null;
  /** Present on a key brought in by a rotation: the statement, signed by the previous key, naming this one. */
  readonly announcement?: KeyAnnouncement;
}

/** A key rotation (DESIGN §9): the old key signs a statement naming the new one. */
export interface KeyAnnouncement {
  readonly keyId: string;
  readonly publicKey: string;
  readonly previousKeyId: string;
  readonly announcedAt: string;
  /** Base64 Ed25519 signature, by the previous key, over the RFC 8785 JSON of the four fields above. */
  readonly signature: string;
}

export function announcementText(announcement: Omit<KeyAnnouncement, 'signature'>): string {
  const { keyId, publicKey, previousKeyId, announcedAt } = announcement;
  return canonicalJson({ keyId, publicKey, previousKeyId, announcedAt });
}

/** The key's id: the first 16 hex digits of the SHA-256 of its raw public key. */
export function keyIdOf(rawPublicKey: Uint8Array): string {
  return createHash('sha256').update(rawPublicKey).digest('hex').slice(0, 16);
}

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 raw bytes. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function rawEd25519PublicKey(key: KeyObject): Buffer {
  const der = key.export({ type: 'spki', format: 'der' });
  return der.subarray(ED25519_SPKI_PREFIX.length);
}

export function ed25519PublicKeyFromRaw(raw: Uint8Array): Buffer {
  return Buffer.concat([ED25519_SPKI_PREFIX, raw]);
}

/** True when `signature` (base64) is the raw Ed25519 public key's over the text. */
export function ed25519Valid(text: string, signature: string, rawPublicKey: Uint8Array): boolean {
  if (rawPublicKey.length !== 32) return false;
  try {
    const bytes = Buffer.from(signature, 'base64');
    if (bytes.length !== 64 || bytes.toString('base64') !== signature) return false;
    const key = { key: ed25519PublicKeyFromRaw(rawPublicKey), format: 'der' as const, type: 'spki' as const };
    return verifySignature(null, Buffer.from(text), key, bytes);
  } catch {
    return false;
  }
}

/** True when the signature is the key's over the digest's signed text. */
export function signatureValid(digest: Digest, rawPublicKey: Uint8Array): boolean {
  try {
    return ed25519Valid(signedText(digest), digest.signature, rawPublicKey);
  } catch {
    return false;
  }
}

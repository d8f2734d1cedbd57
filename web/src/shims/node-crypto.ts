// The part of node:crypto that the log's verification (src/core/integrity) uses, for the browser:
// SHA-256 hashing and Ed25519 verification, on audited pure-JS code (@noble). The console's bundle
// maps `node:crypto` here, so the page runs the very verifyDay that `sectrail verify` runs.
import * as ed25519 from '@noble/ed25519';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { Buffer } from 'buffer';

ed25519.hashes.sha512 = sha512;

type Input = string | Uint8Array;
const bytesOf = (input: Input): Uint8Array => (typeof input === 'string' ? new TextEncoder().encode(input) : input);

class Sha256 {
  private readonly state = sha256.create();

  update(input: Input): this {
    this.state.update(bytesOf(input));
    return this;
  }

  digest(): Buffer;
  digest(encoding: 'hex' | 'base64' | 'base64url'): string;
  digest(encoding?: 'hex' | 'base64' | 'base64url'): Buffer | string {
    const bytes = Buffer.from(this.state.digest());
    return encoding === undefined ? bytes : bytes.toString(encoding);
  }
}

export function createHash(algorithm: string): Sha256 {
  if (algorithm !== 'sha256') throw new Error(`the console hashes with sha256 only, not ${algorithm}`);
  return new Sha256();
}

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 raw bytes. */
const SPKI_PREFIX_BYTES = 12;

interface KeyInput {
  readonly key: Uint8Array;
  readonly format: 'der';
  readonly type: 'spki';
}

/** crypto.verify(null, data, key, signature) for Ed25519 keys given as SPKI DER, RFC 8032 strict. */
export function verify(algorithm: null, data: Uint8Array, key: KeyInput, signature: Uint8Array): boolean {
  if (algorithm !== null || key.format !== 'der' || key.type !== 'spki') throw new Error('the console verifies Ed25519 SPKI keys only');
  const raw = key.key.subarray(SPKI_PREFIX_BYTES);
  return ed25519.verify(signature, data, raw, { zip215: false });
}

export type KeyObject = never;

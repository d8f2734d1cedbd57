// Signs sealed days' digests. The private key stays with the implementation (a file outside the
// database, read at start); the platform sees only its id, its public half and signatures.
export interface DaySigner {
  readonly keyId: string;
  /** Base64 of the raw 32-byte Ed25519 public key. */
  readonly publicKey: string;
  /** Base64 Ed25519 signature of the text's UTF-8 bytes. */
  sign(text: string): string;
}

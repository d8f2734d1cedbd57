// Sealing secrets that must be used again later (an SSO client secret), so that they never reach
// the database in clear. Hashing is for secrets that are only ever compared.
export interface SecretSealer {
  /** An opaque, authenticated ciphertext of the secret. */
  seal(plain: string): string;
  /** The secret again; throws when the text was not sealed with this key or was altered. */
  open(sealed: string): string;
}

// Password hashing with Argon2id (OWASP's parameters: 19 MiB, 2 passes, 1 lane). Only the encoded
// hash is stored; it carries its own salt and parameters, so they can be raised later.
import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

// Algorithm.Argon2id; the package exports it as a const enum, which isolated modules cannot inline.
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export function verifyPassword(encoded: string, password: string): Promise<boolean> {
  return verify(encoded, password);
}

/** A password for a first admin when the operator gave none: 144 random bits, URL-safe. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

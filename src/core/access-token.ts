// Access-token secrets: their format (`sct_` + 43 base64url characters, 256 random bits), the hash
// kept at rest, and how they are read from an Authorization header.
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PATTERN = /^sct_[A-Za-z0-9_-]{43}$/;

export function generateTokenSecret(): string {
  return `sct_${randomBytes(32).toString('base64url')}`;
}

export function isWellFormedToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * The token from `Token token=<T>` (the seed's form, quotes allowed) or `Bearer <T>`; null for any
 * other header. Only the shape is checked here: an unknown token is still a string.
 */
export function tokenFromAuthorization(header: string | undefined): string | null {
  if (header === undefined || header.length > 512) return null;
  const match = /^(?:Token\s+token="?([^"\s]+)"?|Bearer\s+(\S+))\s*$/i.exec(header.trim());
  const token = match?.[1] ?? match?.[2];
  return token === undefined ? null : token;
}

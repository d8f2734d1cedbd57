// Opaque, HMAC-bound continuation tokens (page tokens and tail cursors). The server alone can mint
// them; a token edited, forged, or minted for another org or day fails verification.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { invalidPageToken } from './errors.ts';

const MAX_TOKEN_LENGTH = 2048;

function mac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest();
}

export function signCursor(key: Buffer, payload: object): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/** Returns the payload of a token this key signed, or throws INVALID_PAGE_TOKEN. */
export function verifyCursor(key: Buffer, token: string): unknown {
  if (token.length > MAX_TOKEN_LENGTH) throw invalidPageToken();
  const dot = token.indexOf('.');
  if (dot <= 0) throw invalidPageToken();
  const body = token.slice(0, dot);
  // Compare the text, not decoded bytes: base64url has several spellings of the same final bits.
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(key, body).toString('base64url'));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidPageToken();
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw invalidPageToken();
  }
}

// Cookies by hand (RFC 6265): reading one value from a Cookie header and writing Set-Cookie.
// sectrail sets few cookies, all with values that need no encoding, so twenty lines do the job.
import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'sectrail_session';

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 6265's cookie-octet: printable ASCII but for space, quote, comma, semicolon and backslash.
const VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

/** The first value of the named cookie in a Cookie header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals < 0 || pair.slice(0, equals).trim() !== name) continue;
    const value = pair.slice(equals + 1).trim();
    return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return null;
}

export interface CookieOptions {
  /** Seconds the browser keeps it; 0 deletes it. */
  readonly maxAgeSeconds: number;
  /** Set when the request came over TLS, so the cookie never travels in clear. */
  readonly secure: boolean;
  readonly sameSite: 'Lax' | 'Strict';
  readonly path?: string;
}

/** A Set-Cookie value: HttpOnly always, since no script of ours reads a cookie. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  if (!TOKEN.test(name) || !VALUE.test(value)) throw new Error(`cookie ${name} has an invalid name or value`);
  const parts = [
    `${name}=${value}`,
    `Path=${options.path ?? '/'}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    'HttpOnly',
    `SameSite=${options.sameSite}`,
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

export function isTls(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

export function sessionCookie(request: FastifyRequest, secret: string, maxAgeSeconds: number): string {
  return serializeCookie(SESSION_COOKIE, secret, { maxAgeSeconds, secure: isTls(request), sameSite: 'Lax' });
}

export function clearedSessionCookie(request: FastifyRequest): string {
  return serializeCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: isTls(request), sameSite: 'Lax' });
}

export function sessionSecretOf(request: FastifyRequest): string | null {
  return readCookie(request.headers.cookie, SESSION_COOKIE);
}

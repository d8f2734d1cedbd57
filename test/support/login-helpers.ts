// Helpers for the sign-in tests: password logins to a test org, the session cookie they set, and
// requests made with that cookie the way a browser would send it.
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { csrfTokenOf } from '../../src/core/session-policy.ts';
import type { TestOrg, TestServer } from './test-server.ts';

export const LOGIN_URL = '/api/auth/login';
export const LOGOUT_URL = '/api/auth/logout';
export const ME_URL = '/api/me';
/** The password test-server.ts gives every org's first admin. */
export const ADMIN_PASSWORD = 'correct horse battery';

export const adminEmail = (org: TestOrg): string => `admin@${org.org.slug}.test`;

export interface LoginOptions {
  readonly host?: string;
  readonly remoteAddress?: string;
  readonly headers?: Record<string, string>;
}

export function loginRequest(org: TestOrg, body: Record<string, unknown>, options: LoginOptions = {}): InjectOptions {
  return {
    method: 'POST',
    url: LOGIN_URL,
    headers: { host: options.host ?? org.host, 'content-type': 'application/json', ...options.headers },
    payload: JSON.stringify(body),
    ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
  };
}

/** The Set-Cookie values of an answer, as a list. */
export function setCookies(response: LightMyRequestResponse): string[] {
  const header = response.headers['set-cookie'];
  if (header === undefined) return [];
  return Array.isArray(header) ? header : [header];
}

/** The session cookie's secret from a successful login's Set-Cookie. */
export function sessionSecretFrom(response: LightMyRequestResponse): string {
  const cookie = setCookies(response).find((value) => value.startsWith('sectrail_session='));
  assert.ok(cookie !== undefined, `a session cookie is set: ${JSON.stringify(response.headers['set-cookie'])}`);
  const secret = /^sectrail_session=([^;]*)/.exec(cookie)?.[1] ?? '';
  assert.match(secret, /^[A-Za-z0-9_-]{43}$/, 'the secret is 32 random bytes, base64url');
  return secret;
}

/** Signs the org's admin in with the right password; the session cookie's secret. */
export async function signIn(server: TestServer, org: TestOrg, options: LoginOptions = {}): Promise<string> {
  const response = await server.inject(loginRequest(org, { email: adminEmail(org), password: ADMIN_PASSWORD }, options));
  assert.equal(response.statusCode, 200, response.body);
  return sessionSecretFrom(response);
}

/** A request carrying the session cookie (and no Authorization header) to the org's host. */
export function withSession(
  org: TestOrg,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  secret: string,
  headers: Record<string, string> = {},
): InjectOptions {
  // A change carries the session's CSRF token, as the console sends it; `headers` may replace it.
  const csrf = method === 'GET' ? {} : { 'x-csrf-token': csrfTokenOf(secret) };
  return { method, url, headers: { host: org.host, cookie: `sectrail_session=${secret}`, ...csrf, ...headers } };
}

// What a server's first start left in its data dir (bootstrap.txt), and signing its admin in,
// as the tests that drive a real server process need them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Bootstrap {
  readonly org: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
  /** The `siem` service account's security-log:read token. */
  readonly token: string;
}

export function readBootstrap(dataDir: string): Bootstrap {
  const text = readFileSync(join(dataDir, 'bootstrap.txt'), 'utf8');
  const field = (name: string): string => {
    const value = new RegExp(`^${name}: (\\S+)$`, 'm').exec(text)?.[1];
    assert.ok(value !== undefined, `bootstrap.txt has no ${name}`);
    return value;
  };
  return { org: field('org'), adminEmail: field('admin-email'), adminPassword: field('admin-password'), token: field('token') };
}

/** What a signed-in browser sends with a change: the session cookie and the session's CSRF token. */
export interface SessionHeaders {
  readonly cookie: string;
  readonly 'x-csrf-token': string;
  readonly [name: string]: string;
}

/** Signs the bootstrap admin in with a password; the headers a change made with that session carries. */
export async function signInAdmin(baseUrl: string, bootstrap: Bootstrap): Promise<SessionHeaders> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ org: bootstrap.org, email: bootstrap.adminEmail, password: bootstrap.adminPassword }),
  });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  assert.match(cookie, /^sectrail_session=/);
  const { csrfToken } = JSON.parse(text) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken };
}

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

/** Signs the bootstrap admin in with a password; returns the `sectrail_session=…` cookie. */
export async function signInAdmin(baseUrl: string, bootstrap: Bootstrap): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ org: bootstrap.org, email: bootstrap.adminEmail, password: bootstrap.adminPassword }),
  });
  assert.equal(response.status, 200, await response.text());
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  assert.match(cookie, /^sectrail_session=/);
  return cookie;
}

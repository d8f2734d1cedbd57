// What the demo runs against: the base URL, the org, the admin who signs in and the token that
// reads the trail. Flags win; what they leave out comes from bootstrap.txt in the data dir, which
// the server's first start writes.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { invalidRequest } from '../../core/errors.ts';

export interface DemoFlags {
  readonly url: string;
  readonly org?: string;
  readonly email?: string;
  readonly password?: string;
  readonly token?: string;
}

export interface DemoOptions {
  readonly url: URL;
  /** Sent with the admin's sign-in; null leaves the org to the URL's host. */
  readonly org: string | null;
  readonly email: string;
  readonly password: string;
  /** A security-log:read token; null: the demo issues one to a service account of its own. */
  readonly token: string | null;
  /** Where the defaults came from, for the opening line. */
  readonly bootstrapFile: string | null;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The data dir as config.ts reads it; only bootstrap.txt is read from it, so no other setting matters here. */
function bootstrapPath(env: Env): string {
  return join(resolve(env['SECTRAIL_DATA_DIR'] || 'data'), 'bootstrap.txt');
}

/** The `key: value` lines of bootstrap.txt; empty when there is no such file. */
export function readBootstrap(file: string): ReadonlyMap<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const entries = text.split('\n').flatMap((line) => {
    const match = /^([a-z-]+):\s*(\S.*?)\s*$/.exec(line);
    return match?.[1] === undefined || match[2] === undefined ? [] : [[match[1], match[2]] as const];
  });
  return new Map(entries);
}

function baseUrl(raw: string): URL {
  let url: URL | null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (url === null || !['http:', 'https:'].includes(url.protocol) || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw invalidRequest(`--url must be the server's http(s) base URL, such as http://127.0.0.1:8080; got ${JSON.stringify(raw)}.`);
  }
  return url;
}

export function demoOptions(flags: DemoFlags, env: Env): DemoOptions {
  const url = baseUrl(flags.url);
  const file = bootstrapPath(env);
  const found = readBootstrap(file);
  // The bootstrap's admin and token belong to the bootstrap's org, so they are no default for another.
  const bootstrap = flags.org === undefined || flags.org === found.get('org') ? found : new Map<string, string>();
  if ((flags.email === undefined) !== (flags.password === undefined)) {
    throw invalidRequest('--email and --password go together.');
  }
  const email = flags.email ?? bootstrap.get('admin-email');
  const password = flags.password ?? bootstrap.get('admin-password');
  if (email === undefined || password === undefined) {
    throw invalidRequest(
      `Name an admin of the org to sign in as with --email and --password (${file} has none for it; SECTRAIL_DATA_DIR picks the data dir).`,
    );
  }
  return {
    url,
    org: flags.org ?? bootstrap.get('org') ?? null,
    email,
    password,
    token: flags.token ?? bootstrap.get('token') ?? null,
    bootstrapFile: bootstrap.size > 0 ? file : null,
  };
}

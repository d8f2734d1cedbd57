// The credentials of a conformance run, made over HTTP as an org admin would: the bootstrap admin
// signs in, and writes with that session; the other writers and every reader get tokens of their
// own, so that each token's first use is one more event the run must explain.
import type { Bootstrap } from '../support/bootstrap-file.ts';
import type { ConformanceClient, Credential } from './conformance-client.ts';

export interface RunCredentials {
  readonly writers: readonly Credential[];
  readonly readers: readonly Credential[];
}

async function makeToken(client: ConformanceClient, session: Credential, name: string, scope: string): Promise<Credential> {
  const answer = await client.expect(201, '/api/tokens', { name, scopes: [scope] }, session, 'token');
  return { token: (JSON.parse(answer.text) as { token: string }).token };
}

export async function makeCredentials(client: ConformanceClient, bootstrap: Bootstrap, writers: number, readers: number): Promise<RunCredentials> {
  const login = { org: bootstrap.org, email: bootstrap.adminEmail, password: bootstrap.adminPassword };
  const signedIn = await client.expect(200, '/api/auth/login', login, null, 'sign-in');
  const session = {
    cookie: (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
    csrfToken: (JSON.parse(signedIn.text) as { csrfToken: string }).csrfToken,
  };
  const writing: Credential[] = [session];
  for (let writer = 1; writer < writers; writer += 1) writing.push(await makeToken(client, session, `writer-${String(writer)}`, 'platform:admin'));
  const reading: Credential[] = [];
  for (let reader = 0; reader < readers; reader += 1) reading.push(await makeToken(client, session, `reader-${String(reader)}`, 'security-log:read'));
  return { writers: writing, readers: reading };
}

// The two orgs the workload changes, made as an operator would: `demo` from the server's first
// start, `acme` with the CLI; in each an admin service account whose platform:admin token the
// clients use, and members (invited and accepted over HTTP) that each client alone changes.
import { runCli } from '../support/processes.ts';
import type { ChangeLedger } from './change-ledger.ts';
import type { LifeConnection } from './crash-http.ts';

export interface CrashOrg {
  readonly slug: string;
  readonly id: string;
  /** An admin service account's token: platform:admin and security-log:read. */
  readonly token: string;
}

async function cli(args: readonly string[], env: Record<string, string>): Promise<string> {
  const result = await runCli(args, env);
  if (result.code !== 0) throw new Error(`sectrail ${args.join(' ')} failed (${result.code}):\n${result.stderr}`);
  return result.stdout;
}

/** Makes the org (unless the first start did) and its admin token; `env` holds the store and the clock. */
export async function setUpOrg(slug: string, http: LifeConnection, env: () => Record<string, string>): Promise<CrashOrg> {
  if (slug !== 'demo') {
    await cli(['org', 'create', slug, '--name', slug, '--admin-email', `admin@${slug}.test`, '--admin-password', 'correct horse battery'], env());
    await cli(['org', 'enable-security-log', slug], env());
  }
  await cli(['service-account', 'create', '--org', slug, '--name', 'automation', '--role', 'admin'], env());
  const out = await cli(['token', 'create', '--org', slug, '--service-account', 'automation', '--scope', 'platform:admin', '--scope', 'security-log:read'], env());
  const token = out.trimEnd().split('\n').at(-1) ?? '';
  const me = await http.json<{ org: { id: string } }>('GET', '/api/me', { token });
  return { slug, id: me.org.id, token };
}

/** Invites and signs up `count` members over HTTP (the requests go into the ledger); returns their ids. */
export async function addMembers(http: LifeConnection, org: CrashOrg, tag: string, count: number, ledger: ChangeLedger): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 1; index <= count; index += 1) {
    const name = `${tag}.member.${index}`;
    const inviteId = `${name}.invite`;
    const invitation = await http.json<{ id: string; acceptUrl: string }>('POST', '/api/invitations', { token: org.token, requestId: inviteId, body: { email: `${name}@crash.test`, role: 'reader' } }, 201);
    ledger.add({ requestId: inviteId, orgSlug: org.slug, eventType: 'invitation.created', outcome: 'acked', status: 201, droppedWhileUp: false, createdId: invitation.id, note: 'setup' });
    const secret = invitation.acceptUrl.slice(invitation.acceptUrl.lastIndexOf('/') + 1);
    const acceptId = `${name}.accept`;
    const accepted = await http.json<{ userId: string }>('POST', `/api/invitations/${secret}/accept`, { requestId: acceptId, body: { name, password: 'correct horse battery staple' } }, 201);
    ledger.add({ requestId: acceptId, orgSlug: org.slug, eventType: 'invitation.accepted', outcome: 'acked', status: 201, droppedWhileUp: false, createdId: accepted.userId, note: 'setup' });
    ids.push(accepted.userId);
  }
  return ids;
}

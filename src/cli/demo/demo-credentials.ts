// Machine credentials: service accounts and their tokens, a token's first use, a rotation (a new
// token, the old one revoked) and a forgotten job still presenting the revoked one.
import { USER_AGENTS } from './demo-cast.ts';
import { stringField, type DemoAgent } from './demo-client.ts';
import type { DemoWorld } from './demo-world.ts';

interface IssuedToken {
  readonly id: string;
  readonly secret: string;
}

async function createServiceAccount(world: DemoWorld, name: string, role: string): Promise<string> {
  return world.run.step(`the admin creates the service account ${name} (${role})`, async () =>
    stringField(await world.admin.call('POST', '/api/service-accounts', { name, role }, 201), 'id'),
  );
}

async function issueToken(world: DemoWorld, serviceAccountId: string, name: string, scope: string, days: number): Promise<IssuedToken> {
  return world.run.step(`the admin issues the token ${name} (${scope}, ${days} days)`, async () => {
    const body = { name, serviceAccountId, scopes: [scope], expiresInDays: days };
    const answer = await world.admin.call('POST', '/api/tokens', body, 201);
    return { id: stringField(answer, 'id'), secret: stringField(answer, 'token') };
  });
}

/** A security-log:read token of the demo's own, for a run given none. */
export async function issueSiemToken(world: DemoWorld): Promise<string> {
  const id = await createServiceAccount(world, `siem-${world.cast.tag}`, 'reader');
  return (await issueToken(world, id, 'siem', 'security-log:read', 90)).secret;
}

function scriptWith(world: DemoWorld, userAgent: string, token: string): DemoAgent {
  return world.client.agent(userAgent, { kind: 'token', authorization: `Bearer ${token}` });
}

export async function automation(world: DemoWorld): Promise<void> {
  const accountId = await createServiceAccount(world, `terraform-${world.cast.tag}`, 'admin');
  const first = await issueToken(world, accountId, 'terraform-ci', 'platform:admin', 30);
  await world.run.step('Terraform lists the members with its new token', () =>
    scriptWith(world, USER_AGENTS.terraform, first.secret).call('GET', '/api/users', undefined, 200),
  );
  await issueToken(world, accountId, 'terraform-ci (rotated)', 'platform:admin', 30);
  await world.run.step('the admin revokes the old terraform-ci token', () =>
    world.admin.call('DELETE', `/api/tokens/${first.id}`, undefined, 200),
  );
  await world.run.step(
    'a forgotten cron job still presents the revoked token',
    () => scriptWith(world, USER_AGENTS.cron, first.secret).call('GET', '/api/users', undefined, 401),
    (answer) => `refused (${answer.status})`,
  );
}

// `sectrail service-account …` and `sectrail token …`: the operator's way to issue credentials.
import { Option, type Command } from 'commander';
import { notFound } from '../../core/errors.ts';
import type { Org } from '../../core/platform-model.ts';
import { ROLES, SECURITY_LOG_SCOPE, serviceAccountOwner, type Role } from '../../core/platform-model.ts';
import { issueToken, listTokens, revokeToken } from '../../platform/access-tokens.ts';
import type { PlatformDeps } from '../../platform/platform-deps.ts';
import { createServiceAccount } from '../../platform/service-accounts.ts';
import { operatorContext, withPlatform, type CliRuntime } from '../cli-runtime.ts';

async function orgNamed(deps: PlatformDeps, slug: string): Promise<Org> {
  const org = await deps.store.platform.orgBySlug(slug);
  if (org === null) throw notFound(`The org ${slug}`);
  return org;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerCredentialCommands(program: Command, runtime: CliRuntime): void {
  program
    .command('service-account')
    .description('manage service accounts')
    .command('create')
    .description('create a service account')
    .requiredOption('--org <slug>', 'the org')
    .requiredOption('--name <name>', 'its name, unique in the org')
    .addOption(new Option('--role <role>', 'its role').choices(ROLES).default('reader'))
    .action(async (options: { org: string; name: string; role: Role }) => {
      const account = await withPlatform(runtime, async (deps) => {
        const org = await orgNamed(deps, options.org);
        const context = operatorContext(runtime, 'service-account create');
        return createServiceAccount(deps, context, org.id, { name: options.name, role: options.role });
      });
      runtime.out(`service account: ${account.name} (${account.id}), role ${account.role}`);
    });

  const token = program.command('token').description('manage access tokens');

  token
    .command('create')
    .description('issue a token to a service account; the token is printed alone on the last line')
    .requiredOption('--org <slug>', 'the org')
    .requiredOption('--service-account <name>', 'the owning service account')
    .option('--name <name>', "the token's name (default: the service account's name)")
    .option('--scope <scope>', `a scope, repeatable (default: ${SECURITY_LOG_SCOPE})`, collect)
    .option('--expires-in-days <days>', 'expire after this many days', (value) => Number(value))
    .action(
      async (options: { org: string; serviceAccount: string; name?: string; scope?: string[]; expiresInDays?: number }) => {
        const issued = await withPlatform(runtime, async (deps) => {
          const org = await orgNamed(deps, options.org);
          const account = await deps.store.platform.serviceAccountByName(org.id, options.serviceAccount);
          if (account === null) throw notFound(`The service account ${options.serviceAccount}`);
          return issueToken(deps, operatorContext(runtime, 'token create'), org.id, {
            name: options.name ?? account.name,
            owner: serviceAccountOwner(account),
            scopes: options.scope ?? [SECURITY_LOG_SCOPE],
            expiresInDays: options.expiresInDays,
          });
        });
        const expires = issued.record.expiresAt === null ? 'never' : new Date(issued.record.expiresAt).toISOString();
        runtime.out(`token id: ${issued.record.id}`);
        runtime.out(`scopes: ${issued.record.scopes.join(' ')}; expires: ${expires}`);
        runtime.out('the token is shown once; keep it secret:');
        runtime.out(issued.secret);
      },
    );

  token
    .command('list')
    .description("list an org's tokens (never their secrets)")
    .requiredOption('--org <slug>', 'the org')
    .action(async (options: { org: string }) => {
      const views = await withPlatform(runtime, async (deps) => listTokens(deps, (await orgNamed(deps, options.org)).id));
      runtime.out(['id', 'name', 'owner', 'scopes', 'expires', 'last used', 'revoked'].join('\t'));
      for (const view of views) {
        const owner = view['owner'] as { name: string };
        const columns = [view['id'], view['name'], owner.name, (view['scopes'] as string[]).join(',')];
        runtime.out([...columns, view['expiresAt'] ?? '-', view['lastUsedAt'] ?? '-', view['revokedAt'] ?? '-'].join('\t'));
      }
    });

  token
    .command('revoke <tokenId>')
    .description('revoke a token for good')
    .action(async (tokenId: string) => {
      const record = await withPlatform(runtime, (deps) =>
        revokeToken(deps, operatorContext(runtime, 'token revoke'), null, tokenId),
      );
      runtime.out(`revoked: ${record.id} (${record.name})`);
    });
}

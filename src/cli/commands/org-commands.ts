// `sectrail org …`: create orgs and switch their security-log entitlement.
import type { Command } from 'commander';
import { notFound } from '../../core/errors.ts';
import { createOrg, setSecurityLogEnabled } from '../../platform/orgs.ts';
import { operatorContext, withPlatform, type CliRuntime } from '../cli-runtime.ts';

export function registerOrgCommands(program: Command, runtime: CliRuntime): void {
  const org = program.command('org').description('create orgs and manage their entitlements');

  org
    .command('create <slug>')
    .description('create an org and its first admin')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--admin-email <email>', "the first admin's email")
    .option('--admin-password <password>', 'the first admin\u2019s password (generated and printed once when omitted)')
    .action(async (slug: string, options: { name: string; adminEmail: string; adminPassword?: string }) => {
      const created = await withPlatform(runtime, (deps) =>
        createOrg(deps, operatorContext(runtime, 'org create'), {
          slug,
          name: options.name,
          adminEmail: options.adminEmail,
          adminPassword: options.adminPassword,
        }),
      );
      runtime.out(`org: ${created.org.slug} (${created.org.id})`);
      runtime.out(`admin-email: ${created.admin.email}`);
      if (created.generatedPassword !== null) runtime.out(`admin-password: ${created.generatedPassword}`);
      runtime.out('security log: disabled (sectrail org enable-security-log to enable it)');
    });

  for (const [name, enabled] of [
    ['enable-security-log', true],
    ['disable-security-log', false],
  ] as const) {
    org
      .command(`${name} <slug>`)
      .description(`${enabled ? 'turn on' : 'turn off'} the org's security event log`)
      .action(async (slug: string) => {
        const updated = await withPlatform(runtime, async (deps) => {
          if ((await deps.store.platform.orgBySlug(slug)) === null) throw notFound(`The org ${slug}`);
          return setSecurityLogEnabled(deps, operatorContext(runtime, `org ${name}`), slug, enabled);
        });
        runtime.out(`security log for ${updated.slug}: ${updated.securityLogEnabled ? 'enabled' : 'disabled'}`);
      });
  }
}

// First start on an empty store: org `demo` with its security log on, an admin, and a service
// account `siem` with a security-log:read token, so the seed's curl works at once. All of it is one
// transaction: a crash leaves either nothing (and the next start bootstraps) or everything.
import { isSectrailError } from '../core/errors.ts';
import type { RequestContext } from '../core/events/envelope.ts';
import { SECURITY_LOG_SCOPE, serviceAccountOwner } from '../core/platform-model.ts';
import { addToken, prepareToken } from './access-tokens.ts';
import { addOrg, prepareOrg } from './orgs.ts';
import type { PlatformDeps } from './platform-deps.ts';
import { addServiceAccount, prepareServiceAccount } from './service-accounts.ts';

export const BOOTSTRAP_ORG = 'demo';

export interface BootstrapCredentials {
  readonly org: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
  readonly token: string;
}

/** Bootstraps when the store has no org yet; returns null when it had one. */
export async function bootstrapIfEmpty(
  deps: PlatformDeps,
  context: RequestContext,
): Promise<BootstrapCredentials | null> {
  if ((await deps.store.platform.countOrgs()) > 0) return null;
  const adminEmail = `admin@${BOOTSTRAP_ORG}.localhost`;
  const created = await prepareOrg(deps, { slug: BOOTSTRAP_ORG, name: 'Demo', adminEmail, securityLogEnabled: true });
  const siem = prepareServiceAccount(deps.clock, created.org.id, { name: 'siem' });
  const owner = serviceAccountOwner(siem);
  const token = prepareToken(deps.clock, created.org.id, { name: 'siem', owner, scopes: [SECURITY_LOG_SCOPE] });
  let done: boolean;
  try {
    done = await deps.store.transact(async (tx) => {
      // Checked again in the transaction: another process may have bootstrapped meanwhile.
      if ((await tx.countOrgs()) > 0) return false;
      await addOrg(tx, context, created);
      await addServiceAccount(tx, context, siem);
      await addToken(tx, context, token.record, owner);
      return true;
    });
  } catch (error) {
    // On a shared PostgreSQL database two servers can both see it empty; the slug's unique key
    // lets one win, and the other, refused, has nothing to print.
    if (isSectrailError(error) && error.code === 'CONFLICT') return null;
    throw error;
  }
  if (!done) return null;
  return { org: created.org.slug, adminEmail, adminPassword: created.generatedPassword ?? '', token: token.secret };
}

export function bootstrapFileText(credentials: BootstrapCredentials): string {
  return [
    `org: ${credentials.org}`,
    `admin-email: ${credentials.adminEmail}`,
    `admin-password: ${credentials.adminPassword}`,
    `token: ${credentials.token}`,
    '',
  ].join('\n');
}

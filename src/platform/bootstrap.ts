// First start on an empty store: org `demo` with its security log on, an admin, and a service
// account `siem` with a security-log:read token, so the seed's curl works at once.
import { isSectrailError } from '../core/errors.ts';
import type { RequestContext } from '../core/events/envelope.ts';
import { SECURITY_LOG_SCOPE } from '../core/platform-model.ts';
import { issueToken } from './access-tokens.ts';
import { createOrg } from './orgs.ts';
import type { PlatformDeps } from './platform-deps.ts';
import { createServiceAccount } from './service-accounts.ts';

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
  let created;
  try {
    created = await createOrg(deps, { slug: BOOTSTRAP_ORG, name: 'Demo', adminEmail, securityLogEnabled: true });
  } catch (error) {
    // Another process bootstrapped between our check and our write: it printed the credentials.
    if (isSectrailError(error) && error.code === 'CONFLICT') return null;
    throw error;
  }
  const { org, generatedPassword } = created;
  const siem = await createServiceAccount(deps, context, org.id, { name: 'siem' });
  const { secret } = await issueToken(deps, context, org.id, {
    name: 'siem',
    owner: { kind: 'service_account', id: siem.id, name: siem.name, email: null, role: siem.role },
    scopes: [SECURITY_LOG_SCOPE],
  });
  return { org: org.slug, adminEmail, adminPassword: generatedPassword ?? '', token: secret };
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

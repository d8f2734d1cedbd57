// Orgs and the operator's entitlement switch. Creating an org also creates its first admin; both
// are the first event of the org's log.
import { conflict, invalidRequest, notFound } from '../core/errors.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import { displayName, emailAddress, orgSlug } from '../core/names.ts';
import type { Member, Org } from '../core/platform-model.ts';
import { UniqueViolationError, type Transaction } from '../core/ports/store.ts';
import { newId } from './new-id.ts';
import { generatePassword, hashPassword } from './passwords.ts';
import type { PlatformDeps } from './platform-deps.ts';

export const MIN_PASSWORD_LENGTH = 12;

export interface NewOrg {
  readonly slug: string;
  readonly name: string;
  readonly adminEmail: string;
  readonly adminPassword?: string | undefined;
  readonly securityLogEnabled?: boolean;
}

export interface CreatedOrg {
  readonly org: Org;
  readonly admin: Member;
  /** Set when the password was generated: shown once to the operator, stored only hashed. */
  readonly generatedPassword: string | null;
}

/** Validates the input and hashes the admin's password, outside any transaction (it is slow). */
export async function prepareOrg(deps: PlatformDeps, input: NewOrg): Promise<CreatedOrg> {
  const slug = orgSlug(input.slug);
  const password = input.adminPassword ?? generatePassword();
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw invalidRequest(`A password has at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  const now = deps.clock.now();
  const org: Org = {
    id: newId(),
    slug,
    name: displayName(input.name, 'An org name'),
    securityLogEnabled: input.securityLogEnabled ?? false,
    createdAt: now,
  };
  const email = emailAddress(input.adminEmail);
  const admin: Member = {
    orgId: org.id,
    id: newId(),
    email,
    name: email.split('@')[0] ?? email,
    role: 'admin',
    privileges: [],
    passwordHash: await hashPassword(password),
    createdAt: now,
  };
  return { org, admin, generatedPassword: input.adminPassword === undefined ? password : null };
}

/** Writes the org, its first admin and the org.created event in the caller's transaction. */
export async function addOrg(tx: Transaction, context: RequestContext, created: CreatedOrg): Promise<void> {
  const { org, admin } = created;
  try {
    await tx.createOrg(org);
  } catch (error) {
    if (error instanceof UniqueViolationError) throw conflict(`The org ${org.slug} exists.`);
    throw error;
  }
  await tx.createMember(admin);
  tx.record(
    org.id,
    draftEvent('org.created', context, {
      org: { id: org.id, slug: org.slug, name: org.name },
      admin: { id: admin.id, name: admin.name, email: admin.email },
      securityLogEnabled: org.securityLogEnabled,
    }),
  );
}

export async function createOrg(deps: PlatformDeps, context: RequestContext, input: NewOrg): Promise<CreatedOrg> {
  const created = await prepareOrg(deps, input);
  await deps.store.transact((tx) => addOrg(tx, context, created));
  return created;
}

/**
 * Turns the org's security log on or off; logs the switch, and nothing when nothing changes (also
 * when two commands flip it at once: the org's lock makes the second see the first's switch).
 */
export async function setSecurityLogEnabled(
  deps: PlatformDeps,
  context: RequestContext,
  slug: string,
  enabled: boolean,
): Promise<Org> {
  return deps.store.transact(async (tx) => {
    const named = await tx.orgBySlug(slug);
    if (named === null) throw notFound(`The org ${slug}`);
    await tx.lockOrg(named.id);
    // Read again under the lock: a switch committed while this one waited is seen.
    const org = (await tx.orgById(named.id)) ?? named;
    if (org.securityLogEnabled === enabled) return org;
    await tx.setSecurityLogEnabled(org.id, enabled);
    tx.record(
      org.id,
      draftEvent('org.security_log.updated', context, { before: org.securityLogEnabled, after: enabled }),
    );
    return { ...org, securityLogEnabled: enabled };
  });
}

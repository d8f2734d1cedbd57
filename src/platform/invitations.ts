// Invitations: an admin (or a member with members:invite) invites an email with a role; the secret
// in the accept URL is shown once and kept only as its SHA-256; it works once, for 7 days. Accepting
// creates the member, marks the invitation used and logs invitation.accepted, all in one transaction.
import { createHash, randomBytes } from 'node:crypto';
import { conflict, invalidRequest, notFound } from '../core/errors.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import type { UserRef } from '../core/events/refs.ts';
import { displayName, emailAddress } from '../core/names.ts';
import { memberOwner, type Invitation, type Member, type Org, type Role, type TokenOwner } from '../core/platform-model.ts';
import { actorOf } from '../core/principal.ts';
import type { Clock } from '../core/ports/clock.ts';
import { UniqueViolationError, type PlatformReads, type Transaction } from '../core/ports/store.ts';
import { newId } from './new-id.ts';
import { MIN_PASSWORD_LENGTH } from './orgs.ts';
import { hashPassword } from './passwords.ts';
import type { PlatformDeps } from './platform-deps.ts';

export const INVITATION_TTL_MS = 7 * 86_400_000;
const SECRET_PATTERN = /^sci_[A-Za-z0-9_-]{43}$/;

export interface NewInvitation {
  readonly email: string;
  readonly role: Role;
  readonly invitedBy: TokenOwner;
}

export interface IssuedInvitation {
  readonly invitation: Invitation;
  /** The secret of the accept URL: returned once, to the inviter, never stored or logged. */
  readonly secret: string;
}

export function hashInvitationSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** `sci_` and 256 random bits, like an access token: recognisable to secret scanners. */
function generateInvitationSecret(): string {
  return `sci_${randomBytes(32).toString('base64url')}`;
}

function inviterRef(owner: TokenOwner): UserRef {
  return { id: owner.id, name: owner.name, email: owner.email };
}

/** Who sent the invitation, as the acceptance event names them: a member or a service account. */
async function invitedByRef(reads: PlatformReads | Transaction, invitation: Invitation): Promise<UserRef> {
  const member = await reads.memberById(invitation.orgId, invitation.invitedById);
  if (member !== null) return { id: member.id, name: member.name, email: member.email };
  const account = await reads.serviceAccountById(invitation.orgId, invitation.invitedById);
  return { id: invitation.invitedById, name: account?.name ?? '', email: null };
}

export function prepareInvitation(clock: Clock, orgId: string, input: NewInvitation): IssuedInvitation {
  const now = clock.now();
  const secret = generateInvitationSecret();
  const invitation: Invitation = {
    orgId,
    id: newId(),
    hash: hashInvitationSecret(secret),
    email: emailAddress(input.email),
    role: input.role,
    invitedById: input.invitedBy.id,
    createdAt: now,
    expiresAt: now + INVITATION_TTL_MS,
    acceptedAt: null,
    acceptedUserId: null,
  };
  return { invitation, secret };
}

/**
 * Writes the invitation (its hash only) and invitation.created; a current member's email is 409. In
 * a transaction that holds the org's lock, so that the email cannot become a member meanwhile.
 */
export async function addInvitation(tx: Transaction, context: RequestContext, invitation: Invitation, invitedBy: TokenOwner): Promise<void> {
  if ((await tx.memberByEmail(invitation.orgId, invitation.email)) !== null) {
    throw conflict('This email already belongs to a member of the org.');
  }
  await tx.createInvitation(invitation);
  tx.record(
    invitation.orgId,
    draftEvent('invitation.created', context, {
      invitationId: invitation.id,
      email: invitation.email,
      role: invitation.role,
      invitedBy: inviterRef(invitedBy),
    }),
  );
}

export async function createInvitation(
  deps: PlatformDeps,
  context: RequestContext,
  orgId: string,
  input: NewInvitation,
): Promise<IssuedInvitation> {
  const issued = prepareInvitation(deps.clock, orgId, input);
  await deps.store.transact(async (tx) => {
    await tx.lockOrg(orgId);
    await addInvitation(tx, context, issued.invitation, input.invitedBy);
  });
  return issued;
}

/**
 * In the caller's transaction, which holds the org's lock: makes the invitee a member with the
 * invited role, marks the invitation used, and logs invitation.accepted with the new member as the
 * actor. Used by the accept endpoint and by SSO sign-in. A used invitation or a taken email is 409
 * and writes nothing.
 */
export async function addAcceptedInvitation(
  tx: Transaction,
  context: RequestContext,
  invitation: Invitation,
  member: Member,
): Promise<void> {
  const taken = () => conflict('This email already belongs to a member of the org.');
  if ((await tx.memberByEmail(invitation.orgId, invitation.email)) !== null) throw taken();
  try {
    await tx.createMember(member);
  } catch (error) {
    if (error instanceof UniqueViolationError) throw taken();
    throw error;
  }
  // The conditional update decides between concurrent accepts; the loser's member is rolled back.
  if (!(await tx.acceptInvitation(invitation.orgId, invitation.id, member.createdAt, member.id))) {
    throw conflict('This invitation has already been accepted.');
  }
  tx.record(
    invitation.orgId,
    draftEvent('invitation.accepted', { ...context, actor: actorOf(memberOwner(member)) }, {
      invitationId: invitation.id,
      email: invitation.email,
      role: invitation.role,
      invitedBy: await invitedByRef(tx, invitation),
    }),
  );
}

export interface Acceptance {
  readonly secret: string;
  /** The org named by the Host, or null when the Host names none (the invitation's org is used). */
  readonly hostOrg: Org | null;
  readonly name: string;
  readonly password: string;
}

/** The invitation a secret opens, if it can still be accepted; unknown, foreign and expired ones are alike 404. */
async function openInvitation(reads: PlatformReads | Transaction, acceptance: Acceptance, now: number): Promise<Invitation> {
  const invitation = SECRET_PATTERN.test(acceptance.secret)
    ? await reads.invitationByHash(hashInvitationSecret(acceptance.secret))
    : null;
  if (invitation === null || (acceptance.hostOrg !== null && invitation.orgId !== acceptance.hostOrg.id) || invitation.expiresAt <= now) {
    throw notFound('The invitation');
  }
  if (invitation.acceptedAt !== null) throw conflict('This invitation has already been accepted.');
  return invitation;
}

/** Accepts an invitation with a name and password; the secret is the credential. */
export async function acceptInvitation(deps: PlatformDeps, context: RequestContext, acceptance: Acceptance): Promise<Member> {
  const name = displayName(acceptance.name, 'A name');
  if (acceptance.password.length < MIN_PASSWORD_LENGTH) {
    throw invalidRequest(`A password has at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  // Checked before the slow hash so that unknown secrets cost little, and again under the org's lock.
  const { orgId } = await openInvitation(deps.store.platform, acceptance, deps.clock.now());
  const passwordHash = await hashPassword(acceptance.password);
  return deps.store.transact(async (tx) => {
    await tx.lockOrg(orgId);
    const now = deps.clock.now();
    const invitation = await openInvitation(tx, acceptance, now);
    const member: Member = {
      orgId: invitation.orgId,
      id: newId(),
      email: invitation.email,
      name,
      role: invitation.role,
      privileges: [],
      passwordHash,
      createdAt: now,
    };
    await addAcceptedInvitation(tx, context, invitation, member);
    return member;
  });
}

/**
 * The org's invitations still open, newest first, with who sent each (named as invitedByRef does,
 * from one read of the members and service accounts); their secrets are not kept, so not shown.
 * One whose email has become a member meanwhile (through another invitation) is left out: it could
 * only answer 409.
 */
export async function listPendingInvitations(deps: PlatformDeps, orgId: string): Promise<Record<string, unknown>[]> {
  const reads = deps.store.platform;
  const [invitations, members, accounts] = await Promise.all([reads.pendingInvitations(orgId, deps.clock.now()), reads.members(orgId), reads.serviceAccounts(orgId)]);
  const senders = new Map<string, UserRef>([
    ...accounts.map((account): [string, UserRef] => [account.id, { id: account.id, name: account.name, email: null }]),
    ...members.map((member): [string, UserRef] => [member.id, { id: member.id, name: member.name, email: member.email }]),
  ]);
  const memberEmails = new Set(members.map((member) => member.email));
  return invitations.filter((invitation) => !memberEmails.has(invitation.email)).map((invitation) => ({
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    invitedBy: senders.get(invitation.invitedById) ?? { id: invitation.invitedById, name: '', email: null },
    createdAt: new Date(invitation.createdAt).toISOString(),
    expiresAt: new Date(invitation.expiresAt).toISOString(),
  }));
}

export function invitationView(issued: IssuedInvitation, acceptUrl: string): Record<string, unknown> {
  const { invitation } = issued;
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    acceptUrl,
    expiresAt: new Date(invitation.expiresAt).toISOString(),
  };
}

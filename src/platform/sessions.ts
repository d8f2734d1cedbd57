// A person's sign-in sessions: started by a login (password or SSO) in the login's transaction,
// proven by the cookie's secret (only its SHA-256 is kept), ended by logout, idleness or age.
import { forbidden, unauthenticated } from '../core/errors.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import { memberOwner, type Member, type Org, type SessionRecord } from '../core/platform-model.ts';
import type { Transaction } from '../core/ports/store.ts';
import { actorOf, type Principal } from '../core/principal.ts';
import {
  generateSessionSecret,
  hashSessionSecret,
  isWellFormedSessionSecret,
  SESSION_ABSOLUTE_MS,
  sessionStatus,
  touchDue,
} from '../core/session-policy.ts';
import { newId } from './new-id.ts';
import type { PlatformDeps } from './platform-deps.ts';

// Re-exported for the logins that start sessions.
export { memberOwner };

export interface StartedSession {
  readonly record: SessionRecord;
  /** The cookie's value: given to the browser once, never stored or logged. */
  readonly secret: string;
}

/** Writes a new session for the member in the caller's transaction (the login's, beside its event). */
export async function startSession(
  tx: Transaction,
  member: Member,
  method: SessionRecord['method'],
  now: number,
): Promise<StartedSession> {
  const secret = generateSessionSecret();
  const record: SessionRecord = {
    orgId: member.orgId,
    hash: hashSessionSecret(secret),
    id: newId(),
    userId: member.id,
    method,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + SESSION_ABSOLUTE_MS,
    revokedAt: null,
  };
  await tx.createSession(record);
  return { record, secret };
}

export interface SessionAttempt {
  readonly secret: string;
  /** The org the Host names; null when it names none (the session's org is used). */
  readonly hostOrg: Org | null;
}

/**
 * The principal a session cookie proves. Unknown, revoked, idle, expired, another org's: all the
 * same UNAUTHENTICATED. A use moves lastSeenAt forward, at most once a minute.
 */
export async function authenticateSession(deps: PlatformDeps, attempt: SessionAttempt): Promise<Principal> {
  if (!isWellFormedSessionSecret(attempt.secret)) throw unauthenticated();
  const session = await deps.store.platform.sessionByHash(hashSessionSecret(attempt.secret));
  if (session === null || (attempt.hostOrg !== null && session.orgId !== attempt.hostOrg.id)) throw unauthenticated();
  const now = deps.clock.now();
  if (sessionStatus(session, now) !== 'active') throw unauthenticated();
  const org = attempt.hostOrg ?? (await deps.store.platform.orgById(session.orgId));
  const member = await deps.store.platform.memberById(session.orgId, session.userId);
  if (org === null || member === null) throw unauthenticated();
  let current = session;
  if (touchDue(session, now)) {
    await deps.store.transact((tx) => tx.touchSession(session.orgId, session.id, now));
    current = { ...session, lastSeenAt: now };
  }
  return { org, owner: memberOwner(member), credential: { kind: 'session', session: current } };
}

/** Ends the principal's session and logs the logout, together. A session already ended logs nothing. */
export async function endSession(deps: PlatformDeps, context: RequestContext, principal: Principal): Promise<void> {
  if (principal.credential.kind !== 'session') throw unauthenticated();
  const { session } = principal.credential;
  await deps.store.transact(async (tx) => {
    if (!(await tx.revokeSession(session.orgId, session.id, deps.clock.now()))) return;
    tx.record(session.orgId, draftEvent('logout', context, { method: session.method }));
  });
}

const CSRF_REFUSALS = {
  cross_site_request: { required: 'same-origin', message: 'A change made with a sign-in cookie must come from this site.' },
  csrf_token_invalid: { required: 'csrf-token', message: 'A change made with a sign-in cookie must carry the session\u2019s X-CSRF-Token.' },
} as const;

/**
 * Refuses a change a browser may have been made to send with the person's cookie (CSRF): from
 * another site, or without the session's CSRF token. Logged as access.denied like every 403.
 */
export async function refuseForgeableChange(
  deps: PlatformDeps,
  principal: Principal,
  context: RequestContext,
  reason: keyof typeof CSRF_REFUSALS,
): Promise<never> {
  const { required, message } = CSRF_REFUSALS[reason];
  const details = { endpoint: context.endpoint ?? '', reason, required };
  const attributed = { ...context, actor: actorOf(principal.owner) };
  await deps.store.transact(async (tx) => {
    tx.record(principal.org.id, draftEvent('access.denied', attributed, details, 'failure'));
  });
  throw forbidden(message);
}

// Signing in to one org with an email and a password (DESIGN §3). A wrong password and an unknown
// email get the same answer after the same work (an Argon2 check against a dummy hash); failures
// are counted per (org, email) and per (org, IP) in the store, and a throttled attempt is refused
// without looking at its password. Every outcome is in the org's log.
import { forbidden, rateLimited, SectrailError } from '../core/errors.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import {
  afterFailure,
  EMAIL_THROTTLE,
  emailThrottleKey,
  IP_THROTTLE,
  lapsedBefore,
  ipThrottleKey,
  retryAfterSeconds,
  unknownOrgThrottleKey,
  waitMs,
  type ThrottlePolicy,
} from '../core/login-throttle.ts';
import { emailAddress } from '../core/names.ts';
import { memberOwner, type Member, type Org } from '../core/platform-model.ts';
import { INSTALLATION_WIDE, type PlatformReads } from '../core/ports/store.ts';
import { actorOf } from '../core/principal.ts';
import { logFailure, recordFailure } from './failure-log.ts';
import { generatePassword, hashPassword, verifyPassword } from './passwords.ts';
import type { PlatformDeps } from './platform-deps.ts';
import { startSession, type StartedSession } from './sessions.ts';

type FailureReason = 'invalid_credentials' | 'unknown_user' | 'method_disabled' | 'throttled';

export type PasswordLoginDeps = PlatformDeps;

export interface PasswordAttempt {
  /** The org signed in to; null when the one named does not exist (answered like a wrong password). */
  readonly org: Org | null;
  /** The slug the attempt named, whether or not its org exists. */
  readonly orgSlug: string;
  readonly email: string;
  readonly password: string;
  /** The request's facts without an actor: who acted is what this establishes. */
  readonly context: RequestContext;
}

export interface SignedIn {
  readonly org: Org;
  readonly member: Member;
  readonly session: StartedSession;
}

/** One answer for a wrong password, an unknown email, an account without a password, an unknown org. */
const invalidCredentials = (): SectrailError =>
  new SectrailError('UNAUTHENTICATED', 'The email or password is not correct.');

let dummyHash: Promise<string> | null = null;

/** Checks the password against a hash of nothing, so an unknown email costs what a known one does. */
async function spendVerification(password: string): Promise<void> {
  dummyHash ??= hashPassword(generatePassword());
  await verifyPassword(await dummyHash, password);
}

interface ThrottleKey {
  /** The org the count belongs to, or INSTALLATION_WIDE for an address's count across orgs. */
  readonly scope: string;
  readonly key: string;
  readonly policy: ThrottlePolicy;
}

/** An email is counted in its org; an address across every org, so spraying orgs gains nothing. */
function throttleKeys(orgId: string, email: string, ip: string | null): ThrottleKey[] {
  const keys = [{ scope: orgId, key: emailThrottleKey(email), policy: EMAIL_THROTTLE }];
  return ip === null ? keys : [...keys, { scope: INSTALLATION_WIDE, key: ipThrottleKey(ip), policy: IP_THROTTLE }];
}

/** How long the attempt must wait: the longest block among its keys; 0 when none is blocked. */
async function throttleWait(reads: PlatformReads, keys: readonly ThrottleKey[], now: number): Promise<number> {
  const waits = await Promise.all(
    keys.map(async ({ scope, key, policy }) => waitMs(policy, await reads.loginThrottle(scope, key), now)),
  );
  return Math.max(0, ...waits);
}

/**
 * An attempt on an org that does not exist: refused like a wrong password, and throttled like one
 * (per slug and email, and against the client's address), so that repeating it cannot tell a slug
 * that names no org from one whose sign-ins are being throttled. Nothing is logged: no org to log to.
 */
async function refuseUnknownOrg(deps: PasswordLoginDeps, attempt: PasswordAttempt, email: string): Promise<never> {
  const keys: ThrottleKey[] = [{ scope: INSTALLATION_WIDE, key: unknownOrgThrottleKey(attempt.orgSlug, email), policy: EMAIL_THROTTLE }];
  if (attempt.context.ipAddress !== null) keys.push({ scope: INSTALLATION_WIDE, key: ipThrottleKey(attempt.context.ipAddress), policy: IP_THROTTLE });
  const wait = await throttleWait(deps.store.platform, keys, deps.clock.now());
  if (wait > 0) throw rateLimited(retryAfterSeconds(wait));
  await spendVerification(attempt.password);
  const waitNow = await deps.store.transact(async (tx) => {
    const now = deps.clock.now();
    const blocked = await throttleWait(tx, keys, now);
    if (blocked > 0) return blocked;
    for (const { scope, key, policy } of keys) await tx.setLoginThrottle(scope, key, afterFailure(policy, await tx.loginThrottle(scope, key), now));
    return 0;
  });
  if (waitNow > 0) throw rateLimited(retryAfterSeconds(waitNow));
  throw invalidCredentials();
}

type Outcome = { kind: 'signed_in'; session: StartedSession } | { kind: 'failed' } | { kind: 'throttled'; waitMs: number };

export async function passwordLogin(deps: PasswordLoginDeps, attempt: PasswordAttempt): Promise<SignedIn> {
  const email = emailAddress(attempt.email);
  const { org } = attempt;
  if (org === null) return refuseUnknownOrg(deps, attempt, email);
  const member = await deps.store.platform.memberByEmail(org.id, email);
  // A failure names the account it was aimed at when there is one (DESIGN §5), the email always.
  const failure = (reason: FailureReason) =>
    draftEvent(
      'login.failed',
      { ...attempt.context, actor: member === null ? null : actorOf(memberOwner(member)) },
      { method: 'password', reason, attemptedEmail: email },
      'failure',
    );
  const throttled = async (wait: number): Promise<never> => {
    // Throttled attempts are flood-protected like every failure: an address hammering a blocked
    // account cannot grow the log by more than a few events a minute.
    await logFailure(deps, org.id, failure('throttled'));
    throw rateLimited(retryAfterSeconds(wait));
  };

  if (!(await deps.store.platform.authSettings(org.id)).plainLogin) {
    await logFailure(deps, org.id, failure('method_disabled'));
    throw forbidden('Signing in with a password is turned off for this organization.');
  }
  const keys = throttleKeys(org.id, email, attempt.context.ipAddress);
  const wait = await throttleWait(deps.store.platform, keys, deps.clock.now());
  if (wait > 0) return throttled(wait);

  let valid = false;
  if (member?.passwordHash == null) await spendVerification(attempt.password);
  else valid = await verifyPassword(member.passwordHash, attempt.password);

  const outcome = await deps.store.transact(async (tx): Promise<Outcome> => {
    const now = deps.clock.now();
    // Checked again under the write lock: attempts sent in parallel cannot slip past a block
    // that an earlier one of them has just set.
    const waitNow = await throttleWait(tx, keys, now);
    if (waitNow > 0) return { kind: 'throttled', waitMs: waitNow };
    if (valid && member !== null) {
      // Success forgets the email's failures, not the address's: one good account must not
      // launder an address that is spraying others.
      await tx.setLoginThrottle(org.id, emailThrottleKey(email), null);
      const session = await startSession(tx, member, 'password', now);
      tx.record(org.id, draftEvent('login.succeeded', { ...attempt.context, actor: actorOf(memberOwner(member)) }, { method: 'password' }));
      return { kind: 'signed_in', session };
    }
    for (const { scope, key, policy } of keys) {
      await tx.setLoginThrottle(scope, key, afterFailure(policy, await tx.loginThrottle(scope, key), now));
    }
    await recordFailure(tx, org.id, failure(member === null ? 'unknown_user' : 'invalid_credentials'), now);
    return { kind: 'failed' };
  });

  if (outcome.kind === 'throttled') return throttled(outcome.waitMs);
  if (outcome.kind === 'failed' || member === null) throw invalidCredentials();
  return { org, member, session: outcome.session };
}

/** Forgets the failure counts that have lapsed, so that a stranger's guesses do not pile up; how many went. */
export async function forgetLapsedThrottles(deps: PlatformDeps): Promise<number> {
  return deps.store.transact((tx) => tx.sweepLoginThrottle(lapsedBefore(deps.clock.now())));
}

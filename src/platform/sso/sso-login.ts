// Signing in with OpenID Connect: the start (a provider of the org, a single-use attempt bound to
// the browser) and the callback (the verified email signs in its member, or accepts its pending
// invitation, in one transaction with the events). Every refusal is logged as login.failed.
import { createHash, randomBytes } from 'node:crypto';
import { GOOGLE_PROVIDER } from '../../core/auth-settings-rules.ts';
import { clientAddressKey } from '../../core/client-address.ts';
import { forbidden, notFound, SectrailError } from '../../core/errors.ts';
import { draftEvent, type RequestContext } from '../../core/events/envelope.ts';
import { displayName, emailAddress } from '../../core/names.ts';
import type { Member, Org } from '../../core/platform-model.ts';
import {
  OidcProviderUnavailableError,
  type OidcClient,
  type OidcProviderConfig,
  type VerifiedIdentity,
} from '../../core/ports/oidc.ts';
import { actorOf } from '../../core/principal.ts';
import { openedAuthSettings, type AuthSettingsDeps } from '../auth-settings.ts';
import { logFailure as logFailureEvent } from '../failure-log.ts';
import { addAcceptedInvitation } from '../invitations.ts';
import { newId } from '../new-id.ts';
import { memberOwner, startSession } from '../sessions.ts';
import { pkceChallenge, randomNonce, randomPkceVerifier, randomState } from './openid-client-adapter.ts';

const ATTEMPT_TTL_MS = 10 * 60_000;
/** Sign-ins one client may have open at once in an org; starting another drops its oldest. */
export const OPEN_ATTEMPTS_PER_CLIENT = 20;

export interface SsoDeps extends AuthSettingsDeps {
  readonly oidc: OidcClient;
  /** The operator's Google client; null when SECTRAIL_GOOGLE_CLIENT_ID is unset. */
  readonly google: OidcProviderConfig | null;
}

type FailureReason = 'method_disabled' | CallbackFailure;
/** Why a callback is refused (a provider turned off is refused at the start). */
type CallbackFailure = 'unknown_user' | 'sso_error';

function validEmail(claim: string | null): string | null {
  try {
    return claim === null ? null : emailAddress(claim);
  } catch {
    return null;
  }
}

function validName(claim: string | null): string | null {
  try {
    return claim === null ? null : displayName(claim, 'A name');
  } catch {
    return null;
  }
}

const hashHandle = (handle: string) => createHash('sha256').update(handle).digest('hex');

async function logFailure(
  deps: SsoDeps,
  orgId: string,
  context: RequestContext,
  provider: string,
  reason: FailureReason,
  attemptedEmail: string | null = null,
): Promise<void> {
  const details = { method: 'sso' as const, reason, attemptedEmail, provider };
  await logFailureEvent(deps, orgId, draftEvent('login.failed', context, details, 'failure'));
}

/** The provider's configuration, or NOT_FOUND / FORBIDDEN (method disabled, logged). */
async function providerOf(deps: SsoDeps, org: Org, name: string, context: RequestContext): Promise<OidcProviderConfig> {
  const settings = await openedAuthSettings(deps, deps.store.platform, org.id);
  if (name === GOOGLE_PROVIDER) {
    if (settings.googleOAuth && deps.google !== null) return deps.google;
    if (deps.google === null && !settings.googleOAuth) throw notFound('The SSO provider');
    await logFailure(deps, org.id, context, name, 'method_disabled');
    throw forbidden('Google sign-in is turned off for this organization.');
  }
  const provider = settings.sso?.providers.find((candidate) => candidate.name === name);
  if (provider === undefined) throw notFound('The SSO provider');
  return provider;
}

function unavailable(cause: unknown): SectrailError {
  return new SectrailError('SSO_PROVIDER_UNAVAILABLE', 'The identity provider cannot be reached; try again later.', { cause });
}

export interface SsoStart {
  readonly location: string;
  /** The browser's handle on this attempt: set as an HttpOnly cookie, sent back on the callback. */
  readonly handle: string;
}

export async function startSsoLogin(
  deps: SsoDeps,
  context: RequestContext,
  input: { readonly org: Org; readonly provider: string; readonly callbackUrl: string },
): Promise<SsoStart> {
  const provider = await providerOf(deps, input.org, input.provider, context);
  const verifier = randomPkceVerifier();
  const state = randomState();
  const nonce = randomNonce();
  let location: string;
  try {
    location = await deps.oidc.authorizationUrl(provider, {
      redirectUri: input.callbackUrl,
      state,
      nonce,
      codeChallenge: await pkceChallenge(verifier),
    });
  } catch (error) {
    if (error instanceof OidcProviderUnavailableError) throw unavailable(error);
    throw error;
  }
  const handle = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const attempt = {
    orgId: input.org.id,
    hash: hashHandle(handle),
    provider: input.provider,
    state,
    nonce,
    sealedVerifier: deps.sealer.seal(verifier),
    createdAt: now,
    expiresAt: now + ATTEMPT_TTL_MS,
    clientKey: context.ipAddress === null ? null : clientAddressKey(context.ipAddress),
  };
  await deps.store.transact((tx) => tx.createSsoAttempt(attempt, OPEN_ATTEMPTS_PER_CLIENT));
  return { location, handle };
}

export interface SsoCallback {
  readonly hostOrg: Org | null;
  readonly provider: string;
  readonly handle: string | null;
  /** The callback URL on the public origin, with the provider's whole query. */
  readonly callbackUrl: string;
}

export interface SsoSignedIn {
  readonly member: Member;
  readonly sessionSecret: string;
}

/** What a refused callback says (to the person whose browser came back): why, and what to do. */
const REFUSALS: Readonly<Record<CallbackFailure, string>> = {
  sso_error:
    'Signing in through the identity provider did not complete: the attempt expired, was already used or was started in another browser, or the provider did not confirm an email address. Start again from the sign-in page.',
  unknown_user: 'The identity provider confirmed your email address, but it is not a member of this organization and has no pending invitation. Ask an admin to invite you.',
};

/** Redeems the callback; every failure is logged and answered UNAUTHENTICATED (or 502 when unreachable). */
export async function finishSsoLogin(deps: SsoDeps, context: RequestContext, input: SsoCallback): Promise<SsoSignedIn> {
  // Taken in a transaction of its own: the attempt is spent whatever happens next.
  const attempt = input.handle === null ? null : await deps.store.transact((tx) => tx.takeSsoAttempt(hashHandle(input.handle ?? '')));
  const orgId = attempt?.orgId ?? input.hostOrg?.id ?? null;
  const refuse = async (reason: CallbackFailure, email: string | null = null): Promise<never> => {
    if (orgId !== null) await logFailure(deps, orgId, context, input.provider, reason, email);
    throw new SectrailError('UNAUTHENTICATED', REFUSALS[reason]);
  };
  const now = deps.clock.now();
  if (attempt === null || attempt.expiresAt <= now || attempt.provider !== input.provider) return refuse('sso_error');
  if (input.hostOrg !== null && input.hostOrg.id !== attempt.orgId) return refuse('sso_error');
  const org = await deps.store.platform.orgById(attempt.orgId);
  if (org === null) return refuse('sso_error');

  let identity: VerifiedIdentity;
  try {
    const provider = await providerOf(deps, org, input.provider, context);
    identity = await deps.oidc.redeem(provider, {
      callbackUrl: input.callbackUrl,
      codeVerifier: deps.sealer.open(attempt.sealedVerifier),
      state: attempt.state,
      nonce: attempt.nonce,
    });
  } catch (error) {
    if (error instanceof OidcProviderUnavailableError) {
      await logFailure(deps, org.id, context, input.provider, 'sso_error');
      throw unavailable(error);
    }
    return refuse('sso_error');
  }
  // The provider's claims go through the same rules as typed input: they end up in log lines.
  const email = validEmail(identity.email);
  if (email === null || !identity.emailVerified) return refuse('sso_error', email);
  const name = validName(identity.name) ?? validName(email.split('@')[0] ?? '') ?? 'member';

  const signedIn = await deps.store.transact(async (tx) => {
    // An acceptance of the same email's invitation at the same moment takes turns with this one:
    // whichever comes second finds the member the first made (and signs in as them, here).
    await tx.lockOrg(org.id);
    let member = await tx.memberByEmail(org.id, email);
    if (member === null) {
      const invitation = await tx.pendingInvitation(org.id, email, now);
      if (invitation === null) return null;
      member = {
        orgId: org.id,
        id: newId(),
        email,
        name,
        role: invitation.role,
        privileges: [],
        passwordHash: null,
        createdAt: now,
      };
      await addAcceptedInvitation(tx, context, invitation, member);
    }
    const session = await startSession(tx, member, 'sso', now);
    const signedInContext = { ...context, actor: actorOf(memberOwner(member)) };
    tx.record(org.id, draftEvent('login.succeeded', signedInContext, { method: 'sso', provider: input.provider }));
    return { member, sessionSecret: session.secret };
  });
  if (signedIn === null) return refuse('unknown_user', email);
  return signedIn;
}

// Authenticating a request by its access token. Every failure ends in the same UNAUTHENTICATED
// error, whatever the cause; the cause goes to the org's log (when the org is known), not to the
// caller. A successful use is logged on first use and then at most hourly per token.
import { hashToken, isWellFormedToken, tokenFromAuthorization } from '../core/access-token.ts';
import { unauthenticated } from '../core/errors.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import type { AccessTokenRecord, Org } from '../core/platform-model.ts';
import { actorOf, type Principal } from '../core/principal.ts';
import { tokenOwner } from './access-tokens.ts';
import { logFailure } from './failure-log.ts';
import type { PlatformDeps } from './platform-deps.ts';

const USE_LOG_INTERVAL_MS = 3_600_000;
/** Last-used times are kept to the minute, so a busy token does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

type FailureReason = 'invalid_credentials' | 'revoked_token' | 'expired_token';

export type TokenAuthenticationDeps = PlatformDeps;

export interface TokenAttempt {
  readonly authorization: string | undefined;
  /** The org named by the Host, or null when the Host names none (the token's org is used). */
  readonly hostOrg: Org | null;
  /** Request context without an actor: the actor is what this function establishes. */
  readonly context: RequestContext;
}

async function fail(
  deps: TokenAuthenticationDeps,
  attempt: TokenAttempt,
  refusal: Refusal,
): Promise<never> {
  const { org, reason, tokenId } = refusal;
  if (org !== null) {
    const details = { method: 'api_token' as const, reason, attemptedEmail: null, ...(tokenId === undefined ? {} : { tokenId }) };
    await logFailure(deps, org.id, draftEvent('login.failed', attempt.context, details, 'failure'));
  }
  throw unauthenticated();
}

interface Refusal {
  readonly org: Org | null;
  readonly reason: FailureReason;
  readonly tokenId?: string;
}

/** The token the header carries and its org, or why it does not authenticate. Reads only. */
async function lookUp(
  deps: TokenAuthenticationDeps,
  attempt: Pick<TokenAttempt, 'authorization' | 'hostOrg'>,
): Promise<{ record: AccessTokenRecord; org: Org } | Refusal> {
  // A missing header is a failure like any other: logged (flood-protected) when the org is known.
  const secret = tokenFromAuthorization(attempt.authorization);
  if (secret === null || !isWellFormedToken(secret)) return { org: attempt.hostOrg, reason: 'invalid_credentials' };
  const record = await deps.store.platform.tokenByHash(hashToken(secret));
  // A token shown under another org's host is, for that org, an unknown token.
  if (record === null || (attempt.hostOrg !== null && record.orgId !== attempt.hostOrg.id)) {
    return { org: attempt.hostOrg, reason: 'invalid_credentials' };
  }
  const org = attempt.hostOrg ?? (await deps.store.platform.orgById(record.orgId));
  if (org === null) return { org: null, reason: 'invalid_credentials' };
  const now = deps.clock.now();
  if (record.revokedAt !== null) return { org, reason: 'revoked_token', tokenId: record.id };
  if (record.expiresAt !== null && record.expiresAt <= now) return { org, reason: 'expired_token', tokenId: record.id };
  return { record, org };
}

/** Whether the header carries a token that authenticates, without logging or recording anything. */
export async function tokenWouldAuthenticate(
  deps: TokenAuthenticationDeps,
  attempt: Pick<TokenAttempt, 'authorization' | 'hostOrg'>,
): Promise<boolean> {
  return 'record' in (await lookUp(deps, attempt));
}

export async function authenticateToken(deps: TokenAuthenticationDeps, attempt: TokenAttempt): Promise<Principal> {
  const found = await lookUp(deps, attempt);
  if (!('record' in found)) return fail(deps, attempt, found);
  const { record, org } = found;
  const now = deps.clock.now();
  const owner = await tokenOwner(deps.store.platform, record);
  const principal: Principal = { org, owner, credential: { kind: 'token', token: record } };
  const useDue = record.useLoggedAt === null || now - record.useLoggedAt >= USE_LOG_INTERVAL_MS;
  const lastUsedStale = record.lastUsedAt === null || now - record.lastUsedAt >= LAST_USED_RESOLUTION_MS;
  if (useDue || lastUsedStale) {
    await deps.store.transact(async (tx) => {
      // The conditional update decides, so two concurrent first uses log once.
      if (await tx.touchToken(org.id, record.id, now, now - USE_LOG_INTERVAL_MS)) {
        const context = { ...attempt.context, actor: actorOf(owner) };
        tx.record(org.id, draftEvent('login.succeeded', context, { method: 'api_token', tokenId: record.id }));
      }
    });
  }
  return principal;
}

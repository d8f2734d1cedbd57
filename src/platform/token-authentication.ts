// Authenticating a request by its access token. Every failure ends in the same UNAUTHENTICATED
// error, whatever the cause; the cause goes to the org's log (when the org is known), not to the
// caller. A successful use is logged on first use and then at most hourly per token.
import { hashToken, isWellFormedToken, tokenFromAuthorization } from '../core/access-token.ts';
import { unauthenticated } from '../core/errors.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import type { Org } from '../core/platform-model.ts';
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
  org: Org | null,
  reason: FailureReason,
  tokenId?: string,
): Promise<never> {
  if (org !== null) {
    const details = { method: 'api_token' as const, reason, attemptedEmail: null, ...(tokenId ? { tokenId } : {}) };
    await logFailure(deps, org.id, draftEvent('login.failed', attempt.context, details, 'failure'));
  }
  throw unauthenticated();
}

export async function authenticateToken(deps: TokenAuthenticationDeps, attempt: TokenAttempt): Promise<Principal> {
  // A missing header is a failure like any other: logged (flood-protected) when the org is known.
  const secret = tokenFromAuthorization(attempt.authorization);
  if (secret === null || !isWellFormedToken(secret)) return fail(deps, attempt, attempt.hostOrg, 'invalid_credentials');
  const record = await deps.store.platform.tokenByHash(hashToken(secret));
  // A token shown under another org's host is, for that org, an unknown token.
  if (record === null || (attempt.hostOrg !== null && record.orgId !== attempt.hostOrg.id)) {
    return fail(deps, attempt, attempt.hostOrg, 'invalid_credentials');
  }
  const org = attempt.hostOrg ?? (await deps.store.platform.orgById(record.orgId));
  if (org === null) throw unauthenticated();
  const now = deps.clock.now();
  if (record.revokedAt !== null) return fail(deps, attempt, org, 'revoked_token', record.id);
  if (record.expiresAt !== null && record.expiresAt <= now) return fail(deps, attempt, org, 'expired_token', record.id);

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

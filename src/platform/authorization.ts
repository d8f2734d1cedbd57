// What an authenticated caller may do. Every refusal is answered with 403 and written to the org's
// log as access.denied, with the reason and what was required.
import { adminRefusal, securityLogRefusal, type AdminAction, type Refusal } from '../core/access-rules.ts';
import { featureNotEnabled, forbidden, type SectrailError } from '../core/errors.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import { PLATFORM_ADMIN_SCOPE } from '../core/platform-model.ts';
import { hasScope, type Principal } from '../core/principal.ts';
import type { PlatformDeps } from './platform-deps.ts';

async function deny(
  deps: PlatformDeps,
  principal: Principal,
  context: RequestContext,
  reason: string,
  required: string | null,
  error: SectrailError,
): Promise<never> {
  const details = { endpoint: context.endpoint ?? '', reason, required };
  await deps.store.transact(async (tx) => { tx.record(principal.org.id, draftEvent('access.denied', context, details, 'failure')); },
  );
  throw error;
}

/** Answers a refusal of the access rules with 403 and access.denied; does nothing when there is none. */
async function enforce(deps: PlatformDeps, principal: Principal, context: RequestContext, refusal: Refusal | null): Promise<void> {
  if (refusal !== null) return deny(deps, principal, context, refusal.reason, refusal.required, forbidden(refusal.message));
}

/**
 * The org must hold the security-log entitlement, a token its read scope, and a signed-in member
 * the admin role or the security-log:read privilege.
 */
export async function authorizeSecurityLogRead(
  deps: PlatformDeps,
  principal: Principal,
  context: RequestContext,
): Promise<void> {
  if (!principal.org.securityLogEnabled) {
    return deny(deps, principal, context, 'feature_not_enabled', null, featureNotEnabled());
  }
  return enforce(deps, principal, context, securityLogRefusal(principal));
}

/** An administration action of DESIGN §6, by the rules of core/access-rules.ts. */
export async function authorizeAction(
  deps: PlatformDeps,
  principal: Principal,
  context: RequestContext,
  action: AdminAction,
): Promise<void> {
  return enforce(deps, principal, context, adminRefusal(principal, action));
}

/** Admin endpoints need the platform:admin scope on a token whose owner is an org admin. */
export async function authorizeAdmin(deps: PlatformDeps, principal: Principal, context: RequestContext): Promise<void> {
  if (!hasScope(principal, PLATFORM_ADMIN_SCOPE)) {
    return deny(deps, principal, context, 'missing_scope', PLATFORM_ADMIN_SCOPE, forbidden('This token may not administer the org.'));
  }
  if (principal.owner.role !== 'admin') {
    return deny(deps, principal, context, 'not_admin', 'role:admin', forbidden('Only an org admin may do this.'));
  }
}

// An org's login settings: read with secrets redacted, changed with the change and its event in one
// transaction. Client secrets are sealed before they reach the store; issuers are checked first.
import {
  assertCanSignIn,
  changedAuthSettings,
  checkedProviders,
  comparableIssuer,
  mergeAuthSettings,
  redactedAuthSettings,
  type AuthSettingsPatch,
} from '../core/auth-settings-rules.ts';
import { invalidRequest } from '../core/errors.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import type { AuthSettings } from '../core/platform-model.ts';
import { DestinationRefusedError, type DestinationCheck } from '../core/ports/destination-check.ts';
import type { SecretSealer } from '../core/ports/secret-sealer.ts';
import type { PlatformReads } from '../core/ports/store.ts';
import type { PlatformDeps } from './platform-deps.ts';

export interface AuthSettingsDeps extends PlatformDeps {
  readonly sealer: SecretSealer;
  /** Whether the operator set SECTRAIL_GOOGLE_CLIENT_ID, without which googleOAuth signs nobody in. */
  readonly googleConfigured: boolean;
  /** Whether the server may connect where an issuer's host resolves (the destination policy). */
  readonly destinations: DestinationCheck;
}

function mapSecrets(settings: AuthSettings, map: (secret: string) => string): AuthSettings {
  if (settings.sso === null) return settings;
  const providers = settings.sso.providers.map((provider) => ({ ...provider, clientSecret: map(provider.clientSecret) }));
  return { ...settings, sso: { providers } };
}

/** The org's settings with their client secrets in clear, for the SSO sign-in only. */
export async function openedAuthSettings(
  deps: AuthSettingsDeps,
  reads: PlatformReads,
  orgId: string,
): Promise<AuthSettings> {
  return mapSecrets(await reads.authSettings(orgId), (sealed) => deps.sealer.open(sealed));
}

export async function readAuthSettings(deps: AuthSettingsDeps, orgId: string): Promise<AuthSettings> {
  return redactedAuthSettings(await deps.store.platform.authSettings(orgId));
}

/**
 * Refuses (INVALID_REQUEST, naming the field) a new or changed issuer whose host resolves to an
 * address the server may not connect to, or does not resolve: better told now than at the first
 * sign-in. An issuer already stored is not looked up again (the console sends the whole list with
 * every change): it was checked when it was saved, and every connection to it is checked anyway.
 */
async function assertIssuersAllowed(deps: AuthSettingsDeps, orgId: string, patch: AuthSettingsPatch): Promise<void> {
  if (patch.sso === undefined || patch.sso === null) return;
  const providers = checkedProviders(patch.sso.providers);
  const stored = new Set((await deps.store.platform.authSettings(orgId)).sso?.providers.map((provider) => comparableIssuer(provider.issuer)));
  const checks = await Promise.allSettled(
    providers.map(async (provider) => {
      if (!stored.has(provider.issuer)) await deps.destinations.checkHost(new URL(provider.issuer).hostname);
    }),
  );
  for (const [index, check] of checks.entries()) {
    if (check.status === 'fulfilled') continue;
    const error: unknown = check.reason;
    if (!(error instanceof DestinationRefusedError)) throw error;
    throw invalidRequest(
      `sso.providers.${index}.issuer: ${error.host} ${error.reason}. An issuer's host must resolve, and only to public addresses unless the operator allows others (SECTRAIL_ALLOW_PRIVATE_DESTINATIONS).`,
    );
  }
}

/**
 * Applies the patch; answers the redacted settings. A patch that changes nothing writes nothing.
 * Under the org's lock, so that two patches at once merge in turn: neither is lost, and the second
 * is refused when the two together would leave no way to sign in.
 */
export async function updateAuthSettings(
  deps: AuthSettingsDeps,
  context: RequestContext,
  orgId: string,
  patch: AuthSettingsPatch,
): Promise<AuthSettings> {
  // Outside the transaction: a DNS lookup must not hold one open.
  await assertIssuersAllowed(deps, orgId, patch);
  return deps.store.transact(async (tx) => {
    await tx.lockOrg(orgId);
    const before = await openedAuthSettings(deps, tx, orgId);
    const after = mergeAuthSettings(before, patch);
    const changed = changedAuthSettings(before, after);
    if (changed.length === 0) return redactedAuthSettings(after);
    assertCanSignIn(after, deps.googleConfigured);
    await tx.setAuthSettings(orgId, mapSecrets(after, (secret) => deps.sealer.seal(secret)));
    const details = {
      before: { ...redactedAuthSettings(before) },
      after: { ...redactedAuthSettings(after) },
      changed,
    };
    tx.record(orgId, draftEvent('org.auth_settings.updated', context, details));
    return redactedAuthSettings(after);
  });
}

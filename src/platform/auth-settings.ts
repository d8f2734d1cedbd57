// An org's login settings: read with secrets redacted, changed with the change and its event in one
// transaction. Client secrets are sealed before they reach the store.
import {
  assertCanSignIn,
  changedAuthSettings,
  mergeAuthSettings,
  redactedAuthSettings,
  type AuthSettingsPatch,
} from '../core/auth-settings-rules.ts';
import { draftEvent, type RequestContext } from '../core/events/envelope.ts';
import type { AuthSettings } from '../core/platform-model.ts';
import type { SecretSealer } from '../core/ports/secret-sealer.ts';
import type { PlatformReads } from '../core/ports/store.ts';
import type { PlatformDeps } from './platform-deps.ts';

export interface AuthSettingsDeps extends PlatformDeps {
  readonly sealer: SecretSealer;
  /** Whether the operator set SECTRAIL_GOOGLE_CLIENT_ID, without which googleOAuth signs nobody in. */
  readonly googleConfigured: boolean;
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

// What a sign-in page offers for an org: password sign-in, and the SSO providers the org enabled
// (Google only where the operator configured it). Asked before anyone signs in, so an org that
// does not exist answers like one left at the defaults, and a made-up slug tells nothing.
import { GOOGLE_PROVIDER } from '../core/auth-settings-rules.ts';
import type { Org } from '../core/platform-model.ts';
import type { AuthSettingsDeps } from './auth-settings.ts';

export interface SignInMethods {
  readonly password: boolean;
  readonly providers: string[];
}

const DEFAULT_METHODS: SignInMethods = { password: true, providers: [] };

export async function signInMethods(deps: AuthSettingsDeps, org: Org | null): Promise<SignInMethods> {
  if (org === null) return DEFAULT_METHODS;
  const settings = await deps.store.platform.authSettings(org.id);
  const google = settings.googleOAuth && deps.googleConfigured ? [GOOGLE_PROVIDER] : [];
  return { password: settings.plainLogin, providers: [...google, ...(settings.sso?.providers.map((provider) => provider.name) ?? [])] };
}

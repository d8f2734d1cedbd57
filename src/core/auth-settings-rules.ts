// An org's login settings: how a PATCH merges into them, what changed, how they are shown (client
// secrets never), and the rule that a change may not leave the org without a way to sign in.
import { conflict, invalidRequest } from './errors.ts';
import type { AuthSettings, SsoProvider } from './platform-model.ts';

export const REDACTED = '***';
const PROVIDER_NAME = /^[a-z0-9-]{1,32}$/;
export const GOOGLE_PROVIDER = 'google';

export interface ProviderInput {
  readonly name: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
}

export interface AuthSettingsPatch {
  readonly plainLogin?: boolean | undefined;
  readonly googleOAuth?: boolean | undefined;
  readonly sso?: { readonly providers: readonly ProviderInput[] } | null | undefined;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function checkedIssuer(issuer: string): string {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw invalidRequest(`The issuer ${JSON.stringify(issuer)} is not a URL.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw invalidRequest('An SSO issuer must be an https URL (http only on loopback).');
  }
  return issuer;
}

/** The new provider list: secrets sent as "***" or left out are kept from the stored provider of that name. */
function mergedProviders(inputs: readonly ProviderInput[], stored: readonly SsoProvider[]): SsoProvider[] {
  const names = new Set<string>();
  return inputs.map((input) => {
    if (!PROVIDER_NAME.test(input.name)) throw invalidRequest('An SSO provider name is 1 to 32 of a-z, 0-9 and -.');
    if (input.name === GOOGLE_PROVIDER) throw invalidRequest('The provider name google is reserved for googleOAuth.');
    if (names.has(input.name)) throw invalidRequest(`The SSO provider name ${input.name} is used twice.`);
    names.add(input.name);
    const keep = input.clientSecret === undefined || input.clientSecret === REDACTED;
    const previous = stored.find((provider) => provider.name === input.name);
    if (keep && previous === undefined) throw invalidRequest(`The new SSO provider ${input.name} needs a clientSecret.`);
    // A kept secret may only go where it went before: otherwise a new issuer would receive it.
    if (keep && (previous?.issuer !== input.issuer || previous.clientId !== input.clientId)) {
      throw invalidRequest(`Changing the issuer or clientId of ${input.name} needs its clientSecret again.`);
    }
    if (input.clientId.length === 0) throw invalidRequest('An SSO provider needs a clientId.');
    return {
      name: input.name,
      issuer: checkedIssuer(input.issuer),
      clientId: input.clientId,
      clientSecret: keep ? (previous?.clientSecret ?? '') : (input.clientSecret ?? ''),
    };
  });
}

export function mergeAuthSettings(current: AuthSettings, patch: AuthSettingsPatch): AuthSettings {
  const sso =
    patch.sso === undefined
      ? current.sso
      : patch.sso === null
        ? null
        : { providers: mergedProviders(patch.sso.providers, current.sso?.providers ?? []) };
  return {
    plainLogin: patch.plainLogin ?? current.plainLogin,
    googleOAuth: patch.googleOAuth ?? current.googleOAuth,
    sso,
  };
}

/** Settings as they may be shown or logged: every client secret replaced by "***". */
export function redactedAuthSettings(settings: AuthSettings): AuthSettings {
  return {
    plainLogin: settings.plainLogin,
    googleOAuth: settings.googleOAuth,
    sso:
      settings.sso === null
        ? null
        : { providers: settings.sso.providers.map((provider) => ({ ...provider, clientSecret: REDACTED })) },
  };
}

/** Top-level fields that differ; a changed secret counts as a change of `sso`. */
export function changedAuthSettings(before: AuthSettings, after: AuthSettings): string[] {
  const changed: string[] = [];
  if (before.plainLogin !== after.plainLogin) changed.push('plainLogin');
  if (before.googleOAuth !== after.googleOAuth) changed.push('googleOAuth');
  if (JSON.stringify(before.sso) !== JSON.stringify(after.sso)) changed.push('sso');
  return changed;
}

/** Refuses settings that leave no way to sign in (CONFLICT). */
export function assertCanSignIn(settings: AuthSettings, googleConfigured: boolean): void {
  const sso = (settings.sso?.providers.length ?? 0) > 0;
  const google = settings.googleOAuth && googleConfigured;
  if (!settings.plainLogin && !sso && !google) {
    throw conflict('These settings would leave no way to sign in to the org.');
  }
}

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

// Names, issuers and client ids end up in log lines, events and SIEM output.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function printable(value: string, field: string): string {
  if (CONTROL.test(value)) throw invalidRequest(`${field} must not contain control characters.`);
  return value;
}

/**
 * The issuer as stored and compared: scheme and host lowercased, no default port, no trailing
 * slash on a bare origin. openid-client compares the discovered issuer with this one as URLs, so
 * `https://idp.example` still matches a provider that says `https://idp.example/`; any other
 * path is kept as written, trailing slash included, since the provider's issuer has it or not.
 * Credentials, a query or a fragment are refused: an issuer has none (OpenID Connect Discovery).
 */
export function normalisedIssuer(issuer: string, field = 'issuer'): string {
  printable(issuer, field);
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw invalidRequest(`${field} must be a URL such as https://idp.example.com.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw invalidRequest(`${field} must be an https URL (http only on loopback).`);
  }
  if (url.username !== '' || url.password !== '') throw invalidRequest(`${field} must not carry a user name or password.`);
  if (url.search !== '' || url.hash !== '') throw invalidRequest(`${field} must not have a query or a fragment.`);
  return url.pathname === '/' ? url.origin : `${url.origin}${url.pathname}`;
}

/** A stored issuer in the same form, for comparing; one saved before normalisation may differ. */
export function comparableIssuer(issuer: string): string {
  try {
    return normalisedIssuer(issuer);
  } catch {
    return issuer;
  }
}

/** The providers of a patch checked on their own (names, issuers, client ids), issuers normalised. */
export function checkedProviders(inputs: readonly ProviderInput[]): ProviderInput[] {
  const names = new Set<string>();
  return inputs.map((input, index) => {
    const field = `sso.providers.${index}`;
    printable(input.name, `${field}.name`);
    if (!PROVIDER_NAME.test(input.name)) throw invalidRequest(`${field}.name must be 1 to 32 of a-z, 0-9 and -.`);
    if (input.name === GOOGLE_PROVIDER) throw invalidRequest(`${field}.name: google is reserved for googleOAuth.`);
    if (names.has(input.name)) throw invalidRequest(`${field}.name: the SSO provider name ${input.name} is used twice.`);
    names.add(input.name);
    printable(input.clientId, `${field}.clientId`);
    if (input.clientId.length === 0) throw invalidRequest(`${field}.clientId must not be empty.`);
    return { ...input, issuer: normalisedIssuer(input.issuer, `${field}.issuer`) };
  });
}

/** The new provider list: secrets sent as "***" or left out are kept from the stored provider of that name. */
function mergedProviders(inputs: readonly ProviderInput[], stored: readonly SsoProvider[]): SsoProvider[] {
  return checkedProviders(inputs).map((input) => {
    const keep = input.clientSecret === undefined || input.clientSecret === REDACTED;
    const previous = stored.find((provider) => provider.name === input.name);
    if (keep && previous === undefined) throw invalidRequest(`The new SSO provider ${input.name} needs a clientSecret.`);
    // A kept secret may only go where it went before: otherwise a new issuer would receive it.
    if (keep && (previous === undefined || comparableIssuer(previous.issuer) !== input.issuer || previous.clientId !== input.clientId)) {
      throw invalidRequest(`Changing the issuer or clientId of ${input.name} needs its clientSecret again.`);
    }
    return {
      name: input.name,
      issuer: input.issuer,
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

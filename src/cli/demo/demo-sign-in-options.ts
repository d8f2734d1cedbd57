// The org's sign-in options: what is configured, and Google sign-in switched one way and back (the
// SSO sign-in, with the demo's own provider, is demo-sso.ts).
import type { DemoWorld } from './demo-world.ts';

interface SignInOptions {
  readonly googleOAuth: boolean;
  readonly providers: readonly string[];
}

function signInOptionsOf(body: unknown): SignInOptions {
  const settings = (typeof body === 'object' && body !== null ? body : {}) as { googleOAuth?: unknown; sso?: { providers?: { name?: unknown }[] } | null };
  const providers = (settings.sso?.providers ?? []).map((provider) => String(provider.name));
  return { googleOAuth: settings.googleOAuth === true, providers };
}

export async function checkSignInOptions(world: DemoWorld): Promise<SignInOptions> {
  const options = await world.run.step(
    "the admin opens the org's sign-in settings",
    async () => signInOptionsOf((await world.admin.call('GET', '/api/org/auth-settings', undefined, 200)).body),
    ({ googleOAuth, providers }) => `Google ${googleOAuth ? 'on' : 'off'}, SSO providers: ${providers.length === 0 ? 'none' : providers.join(', ')}`,
  );
  return options;
}

/** Switches Google sign-in on and off again (or off and on, if it was on); password sign-in stays on throughout. */
export async function tryGoogleSignIn(world: DemoWorld, options: SignInOptions): Promise<void> {
  for (const googleOAuth of [!options.googleOAuth, options.googleOAuth]) {
    await world.run.step(`the admin turns Google sign-in ${googleOAuth ? 'on' : 'off'}`, () =>
      world.admin.call('PATCH', '/api/org/auth-settings', { googleOAuth }, 200),
    );
  }
}

// The org's sign-in options: what is configured (an SSO sign-in needs a person at the provider, so
// the demo says so instead of pretending), and Google sign-in switched one way and back.
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
  const configured = [...(options.googleOAuth ? ['google'] : []), ...options.providers];
  world.run.say(
    configured.length === 0
      ? '     SSO: no provider is configured, so there is no SSO sign-in to show (test/http-sso.test.ts drives one end to end)'
      : `     SSO: skipped; ${configured.join(', ')} ${configured.length === 1 ? 'is' : 'are'} configured, but an SSO sign-in needs a person at the provider's page (test/http-sso.test.ts drives one end to end)`,
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

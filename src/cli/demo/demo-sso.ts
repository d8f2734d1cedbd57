// An SSO sign-in, when the server runs on this machine: the demo starts its own OpenID provider on
// 127.0.0.1, the admin adds it to the org as demo-idp, a member signs in through it at the org's
// address (<org>.localhost), and the admin removes it again. A remote server could not reach it.
import { joinedAs, type DemoWorld } from './demo-world.ts';
import { DemoClient, stringField, type DemoAgent } from './demo-client.ts';
import { CookieJar } from './demo-cookie-jar.ts';
import type { IdentityProvider } from './demo-identity-provider.ts';

const PROVIDER = 'demo-idp';

interface ProviderEntry {
  readonly name: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The SSO part of the settings as they may be sent back: "***" keeps each stored secret. */
type SsoSetting = { readonly providers: readonly ProviderEntry[] } | null;

function isLocalServer(url: URL): boolean {
  const name = url.hostname.toLowerCase().replace(/\.$/, '');
  return name === '127.0.0.1' || name === 'localhost' || name.endsWith('.localhost');
}

function ssoSettingOf(body: unknown): SsoSetting {
  const sso = (typeof body === 'object' && body !== null ? (body as { sso?: unknown }).sso : null) as { providers?: unknown } | null | undefined;
  if (sso === null || sso === undefined || !Array.isArray(sso.providers)) return null;
  const providers = (sso.providers as Record<string, unknown>[]).map((provider) => ({
    name: String(provider['name']),
    issuer: String(provider['issuer']),
    clientId: String(provider['clientId']),
    clientSecret: '***',
  }));
  return { providers };
}

/** The org's own address on the server the demo talks to: the org's name under localhost, the same port. */
function orgBaseUrl(base: URL, org: string): URL {
  const url = new URL(base.href);
  url.hostname = `${org}.localhost`;
  return url;
}

async function setSso(admin: DemoAgent, sso: SsoSetting): Promise<void> {
  await admin.call('PATCH', '/api/org/auth-settings', { sso }, 200);
}

/** Sends the member's browser through the provider; answers why not, when the server will not have it. */
async function signInThrough(world: DemoWorld, provider: IdentityProvider, orgClient: DemoClient, callbackUrl: string): Promise<string | null> {
  const { sofia } = world.cast;
  joinedAs(world, sofia);
  const browser = orgClient.agent(sofia.userAgent, { kind: 'browser' });
  const startPath = `/api/auth/sso/${PROVIDER}/start`;
  const location = await world.run.step(
    `${sofia.name} opens the org's address ${orgClient.base.host} and chooses ${PROVIDER}`,
    async () => {
      const answer = await browser.call('GET', startPath, undefined, [302, 400]);
      if (answer.status === 400) return null;
      return answer.headers.location ?? '';
    },
    (sent) => (sent === null ? 'refused (400)' : `sent to ${new URL(sent).origin}`),
  );
  if (location === null) {
    return `the server does not take ${orgClient.base.host} as the org's address (is its SECTRAIL_BASE_DOMAIN other than localhost?)`;
  }
  const redirectUri = new URL(location).searchParams.get('redirect_uri');
  if (redirectUri !== callbackUrl) {
    return `the server asks the provider to return to ${String(redirectUri)} (SECTRAIL_PUBLIC_URL?), not to ${callbackUrl}, where the demo's provider may send it`;
  }
  const callback = await world.run.step(`${sofia.name} signs in at ${PROVIDER}, which vouches for ${sofia.email}`, async () => {
    const url = new URL(await provider.followLogin(location, 'sofia', new CookieJar()));
    if (url.searchParams.has('error')) throw new Error(`the provider answered ${url.searchParams.get('error') ?? ''}: ${url.searchParams.get('error_description') ?? ''}`);
    return url;
  }, () => 'sent back to the server with a code');
  await world.run.step(
    `the server redeems the code and signs ${sofia.name} in`,
    async () => {
      await browser.call('GET', `${callback.pathname}${callback.search}`, undefined, 302);
      const me = await browser.call('GET', '/api/me', undefined, 200);
      return `${stringField(me, 'user', 'email')}, session works`;
    },
    (note) => note,
  );
  return null;
}

export async function ssoSignIn(world: DemoWorld): Promise<void> {
  const base = world.client.base;
  if (!isLocalServer(base)) {
    world.run.say(`     SSO: skipped; ${base.host} is not this machine, so the server could not reach the demo's own OpenID provider on 127.0.0.1`);
    return;
  }
  const orgClient = new DemoClient(orgBaseUrl(base, world.org), world.client.requestIds);
  const callbackUrl = `${orgClient.base.origin}/api/auth/sso/${PROVIDER}/callback`;
  const { sofia } = world.cast;
  // Loaded only here: oidc-provider is big, and on Node 20 it warns on import that it wants Node 22.
  const { startIdentityProvider } = await import('./demo-identity-provider.ts');
  const provider = await world.run.step(
    'the demo starts its own OpenID provider on 127.0.0.1',
    () => startIdentityProvider({
      redirectUri: callbackUrl,
      accounts: [{ sub: 'sofia', email: sofia.email, email_verified: true, name: sofia.name }],
    }),
    (started) => started.issuer,
  );
  let previous: SsoSetting | undefined;
  let failure: Error | null = null;
  const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
  try {
    await world.run.step(`the admin adds it as the org's SSO provider ${PROVIDER}`, async () => {
      const before = ssoSettingOf((await world.admin.call('GET', '/api/org/auth-settings', undefined, 200)).body);
      const others = (before?.providers ?? []).filter((entry) => entry.name !== PROVIDER);
      const ours = { name: PROVIDER, issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret };
      await setSso(world.admin, { providers: [...others, ours] });
      previous = before;
    });
    const skipped = await signInThrough(world, provider, orgClient, callbackUrl);
    if (skipped !== null) world.run.say(`     SSO: skipped; ${skipped}`);
  } catch (error) {
    failure = asError(error);
  }
  try {
    if (previous !== undefined) {
      const restored = previous;
      await world.run.step(`the admin removes ${PROVIDER} again`, () => setSso(world.admin, restored));
    }
  } catch (error) {
    failure ??= asError(error);
  } finally {
    await provider.close();
  }
  if (failure !== null) throw failure;
}

// A real OpenID provider (oidc-provider) on 127.0.0.1 with accounts given by its starter and a
// scripted login: followLogin plays the browser with fetch and a cookie jar, no page is rendered.
// The demo signs a member in through it; the SSO tests use it as their provider.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type InteractionResults, type JWK } from 'oidc-provider';
import { CookieJar } from './demo-cookie-jar.ts';
import { inMemoryAdapterFactory } from './demo-provider-store.ts';

export { CookieJar } from './demo-cookie-jar.ts';

export interface ProviderAccount {
  readonly sub: string;
  readonly email: string;
  readonly email_verified: boolean;
  readonly name: string;
}

export interface IdentityProviderOptions {
  /** The client's one registered redirect URI; followLogin stops when it reaches it. */
  readonly redirectUri: string;
  readonly accounts: readonly ProviderAccount[];
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** openid-client's default (a secret string given to discovery) is client_secret_post. */
  readonly tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  /**
   * true (default): email, email_verified and name are in the ID token, as Google does. false: the
   * ID token holds only sub (oidc-provider's conformant default) and the claims come from userinfo.
   */
  readonly claimsInIdToken?: boolean;
  /**
   * The account a browser that reaches the login page without ?login= signs in as, as if the
   * person had typed their credentials there (a real browser following redirects cannot add it).
   */
  readonly browserAccount?: string;
}

export interface IdentityProvider {
  /** http://127.0.0.1:<port>, without a trailing slash. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Errors the provider or the interaction route hit while answering (a 500 shows up here). */
  readonly serverErrors: readonly Error[];
  /**
   * Plays the browser from startUrl (an authorization URL, or the app's own start URL) through the
   * provider's login, signing in accountSub and consenting to what was asked, and returns the first
   * URL on redirectUri's origin and path without requesting it: the callback with code and state, or
   * with error and state (an unknown accountSub gives access_denied). Cookies are kept per host and
   * path in the jar, so the caller can send the app's cookies with the callback. A jar that already
   * holds a provider session signs that session's account in again, as a browser would.
   */
  followLogin(startUrl: string, accountSub: string, cookieJar?: CookieJar): Promise<string>;
  /** Stops the server and drops open connections; afterwards the issuer is unreachable. Idempotent. */
  close(): Promise<void>;
}

function signingKey(): JWK {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export async function startIdentityProvider(options: IdentityProviderOptions): Promise<IdentityProvider> {
  const clientId = options.clientId ?? 'sectrail';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const accounts = new Map(options.accounts.map((account) => [account.sub, account]));
  const serverErrors: Error[] = [];
  const redirectTarget = new URL(options.redirectUri);

  let handle: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
    response.writeHead(503).end();
  };
  const server = createServer((request, response) => {
    handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    adapter: inMemoryAdapterFactory(),
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [options.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: options.tokenEndpointAuthMethod ?? 'client_secret_post',
    }],
    // oidc-provider requires PKCE only for public clients by default; DESIGN §6 wants it always.
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: options.claimsInIdToken === false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      return account === undefined ? undefined : { accountId: sub, claims: () => ({ ...account }) };
    },
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    // Explicit lifetimes keep oidc-provider from printing "you SHOULD change" notices.
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
  });
  provider.on('server_error', (_ctx: unknown, error: Error) => {
    serverErrors.push(error);
  });

  // The login and consent "pages": login signs in ?login=<sub>, consent grants everything requested.
  const interact = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const details = await provider.interactionDetails(request, response);
    let result: InteractionResults;
    if (details.prompt.name === 'login') {
      const sub = new URL(request.url ?? '/', issuer).searchParams.get('login') ?? options.browserAccount ?? '';
      result = accounts.has(sub)
        ? { login: { accountId: sub } }
        : { error: 'access_denied', error_description: 'no such account' };
    } else if (details.prompt.name === 'consent') {
      const { Grant } = provider;
      const accountId = details.session?.accountId;
      const existing = details.grantId === undefined ? undefined : await Grant.find(details.grantId);
      const grant = existing ?? new Grant({ accountId, clientId: String(details.params['client_id']) });
      const promptDetails = details.prompt.details;
      grant.addOIDCScope(stringList(promptDetails['missingOIDCScope']));
      grant.addOIDCClaims(stringList(promptDetails['missingOIDCClaims']));
      result = { consent: { grantId: await grant.save() } };
    } else {
      throw new Error(`the identity provider has no page for the prompt ${details.prompt.name}`);
    }
    await provider.interactionFinished(request, response, result, { mergeWithLastSubmission: true });
  };

  const providerCallback = provider.callback();
  handle = (request, response) => {
    if (request.url?.startsWith('/interaction/') === true) {
      interact(request, response).catch((error: unknown) => {
        serverErrors.push(error instanceof Error ? error : new Error(String(error)));
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(`interaction failed: ${String(error)}`);
      });
    } else {
      void providerCallback(request, response);
    }
  };

  const followLogin = async (startUrl: string, accountSub: string, cookieJar = new CookieJar()): Promise<string> => {
    let url = new URL(startUrl);
    for (let hop = 0; hop < 20; hop += 1) {
      if (hop > 0 && url.origin === redirectTarget.origin && url.pathname === redirectTarget.pathname) return url.href;
      if (url.origin === issuer && url.pathname.startsWith('/interaction/')) url.searchParams.set('login', accountSub);
      const cookie = cookieJar.header(url);
      const response = await fetch(url, { redirect: 'manual', headers: cookie === undefined ? {} : { cookie } });
      cookieJar.store(url, response.headers.getSetCookie());
      const body = await response.text();
      const location = response.headers.get('location');
      if (response.status < 300 || response.status > 399 || location === null) {
        throw new Error(`the login stopped at ${url.href} with status ${response.status}: ${body.slice(0, 500)}`);
      }
      url = new URL(location, url);
    }
    throw new Error(`the login did not reach ${options.redirectUri} within 20 redirects`);
  };

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
      server.closeAllConnections();
    });
    return closing;
  };

  return { issuer, clientId, clientSecret, serverErrors, followLogin, close };
}

// Generated requests to one route: its method (mostly), its path with the parameters filled,
// Host, Authorization, cookies, Origin and other headers, a content type and a body, each drawn
// from real values of the fixtures, near-valid ones shaped by the route's schema, and garbage.
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { EVENT_TYPES } from '../../src/core/events/catalogue.ts';
import { SCOPES } from '../../src/core/platform-model.ts';
import { PRIVILEGE_CATALOGUE } from '../../src/core/privileges.ts';
import { csrfTokenOf } from '../../src/core/session-policy.ts';
import { awkwardString, bentValue, deepJson, headerText, hugeJson, mutatedToken, schemaValue, type Vocabulary } from './hostile-arbitraries.ts';
import type { HostileFixtures } from './hostile-fixtures.ts';
import type { RouteEntry } from './route-table.ts';

type Cookie = { readonly kind: 'none' } | { readonly kind: 'session'; readonly org: 'acme' | 'beta'; readonly form: string } | { readonly kind: 'raw'; readonly value: string };

export interface Attempt {
  readonly method: string;
  readonly path: string;
  readonly host: string;
  readonly authorization: string | null;
  readonly cookie: Cookie;
  readonly headers: Partial<Record<string, string>>;
  readonly contentType: string | null;
  readonly body: string | null;
}

/** The text with lone surrogates dropped: a URL cannot carry them. */
const wellFormed = (text: string): string => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');

export interface HostileRequests {
  readonly attemptFor: (route: RouteEntry) => fc.Arbitrary<Attempt>;
  readonly send: (attempt: Attempt) => Promise<LightMyRequestResponse>;
}

export function hostileRequests(fixtures: HostileFixtures): HostileRequests {
  const { server, acme, beta, off, today, accountId, spareTokenId, ids, emails, realTokens, pageTokens, cursors, invitations, eventIds, endedSession, freshSession } = fixtures;
  const vocabulary: Vocabulary = {
    strings: [...ids, ...realTokens, ...pageTokens, ...cursors, ...invitations, ...EVENT_TYPES, ...SCOPES, 'admin', 'acme', 'google', ...emails],
    integers: [1, 2, 12, 29, 31, 1970, 2024],
    byName: {
      year: [today.year, today.year - 1],
      month: [today.month],
      day: [today.day, 1],
      pageSize: [1, 2, 10_000],
      email: emails,
      password: ['correct horse battery', 'short', 'twelve chars'],
      org: ['acme', 'beta', 'nosuch', 'ACME'],
      role: ['reader', 'writer', 'admin'],
      access: ['none', 'read', 'write', 'admin'],
      kind: ['user', 'group'],
      id: ids,
      add: [...ids, ...PRIVILEGE_CATALOGUE.map((privilege) => privilege.name)],
      remove: [...ids, ...PRIVILEGE_CATALOGUE.map((privilege) => privilege.name)],
      serviceAccountId: [accountId, spareTokenId],
      scopes: [...SCOPES],
      eventTypes: [...EVENT_TYPES],
      eventId: eventIds,
      pageToken: pageTokens,
      after: cursors,
      type: ['project', 'dashboard', 'Project'],
      name: ['ops', 'web', 'spare', 'okta', 'google', 'a|b=c\\d'],
      issuer: ['http://example.com', 'not a url', 'ftp://acme.test', 'https://'],
      clientId: ['client', ''],
      clientSecret: ['***', 'secret'],
      provider: ['okta', 'google', 'x'],
      token: invitations,
    },
  };

  const anyRealToken = fc.constantFrom(...realTokens);
  const tokenLike = fc.oneof(
    { weight: 3, arbitrary: anyRealToken },
    { weight: 2, arbitrary: mutatedToken(anyRealToken) },
    { weight: 1, arbitrary: fc.constantFrom(...pageTokens, ...cursors, ...invitations, endedSession) },
    { weight: 1, arbitrary: fc.stringMatching(/^sct_[A-Za-z0-9_-]{43}$/) },
    { weight: 1, arbitrary: headerText(600) },
  );
  const authorization = fc.oneof(
    { weight: 8, arbitrary: fc.constant(`Token token=${acme.adminToken}`) },
    { weight: 3, arbitrary: fc.constant(null) },
    {
      weight: 5,
      arbitrary: fc
        .tuple(fc.constantFrom('Token token=%', 'Bearer %', 'token token="%"', 'BEARER  %', 'Token %', 'Basic %', 'Bearer % extra', 'Digest username=%', '%', 'Bearer', ''), tokenLike)
        .map(([scheme, token]) => scheme.replace('%', token)),
    },
    { weight: 1, arbitrary: headerText() },
  );

  const cookie: fc.Arbitrary<Cookie> = fc.oneof(
    { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('session' as const),
        org: fc.constantFrom('acme' as const, 'beta' as const),
        form: fc.constantFrom('sectrail_session=%', 'a=b; sectrail_session=%', 'sectrail_session="%"', 'sectrail_session=%; sectrail_session=x', 'sectrail_session =%'),
      }),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(fc.constantFrom(endedSession, ...realTokens, 'x', ''), mutatedToken(fc.constant(endedSession)), headerText())
        .map((value) => ({ kind: 'raw' as const, value: `sectrail_session=${value}` })),
    },
  );

  const host = fc.oneof(
    { weight: 8, arbitrary: fc.constant(acme.host) },
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        beta.host,
        off.host,
        'nosuch.localhost',
        'ACME.LOCALHOST:8080',
        'acme.localhost.',
        'x.acme.localhost',
        '.localhost',
        'localhost',
        '127.0.0.1',
        '127.0.0.1:8080',
        '[::1]:8080',
        'acme.localhost:99999',
        'ac me.localhost',
        `${'a'.repeat(300)}.localhost`,
        '',
      ),
    },
    { weight: 1, arbitrary: headerText() },
  );

  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant<string | null>('application/json') },
    {
      weight: 4,
      arbitrary: fc.constantFrom<string | null>(
        null,
        'application/json; charset=utf-8',
        'APPLICATION/JSON',
        'application/json; charset=latin1',
        'application/json;;;',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/jsonx',
        'application/vnd.api+json',
        'json',
        '',
      ),
    },
    { weight: 1, arbitrary: headerText() },
  );

  const otherHeaders = fc.record(
    {
      origin: fc.oneof(fc.constantFrom('http://acme.localhost', 'http://evil.test', 'null', 'http://beta.localhost'), headerText()),
      'sec-fetch-site': fc.oneof(fc.constantFrom('cross-site', 'same-site', 'same-origin', 'none'), headerText()),
      'user-agent': headerText(600),
      'x-request-id': fc.oneof(fc.constantFrom('a'.repeat(64), 'a'.repeat(65), 'ok-1'), headerText()),
      'x-forwarded-for': fc.oneof(fc.ipV4(), fc.ipV6(), headerText()),
      'content-length': fc.oneof(fc.constantFrom('0', '1', '-1', 'abc', '99999999999999999999'), fc.nat({ max: 70_000 }).map(String)),
      accept: fc.oneof(fc.constantFrom('*/*', 'text/html', 'application/json'), headerText()),
    },
    { requiredKeys: [] },
  );

  function bodyFor(route: RouteEntry): fc.Arbitrary<string | null> {
    const shaped = route.body === null ? fc.jsonValue() : schemaValue(route.body, vocabulary);
    return fc.oneof(
      { weight: 2, arbitrary: fc.constant(null) },
      { weight: 10, arbitrary: shaped.map((value) => JSON.stringify(value)) },
      { weight: 5, arbitrary: bentValue(shaped).map((value) => JSON.stringify(value)) },
      { weight: 2, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
      { weight: 1, arbitrary: deepJson },
      { weight: 1, arbitrary: hugeJson },
    );
  }

  const pathSegment = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ids, ...invitations, 'google', 'okta', 'x') },
    { weight: 2, arbitrary: awkwardString.map((text) => encodeURIComponent(wellFormed(text))) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%E0%A4%A', '..', '%2e%2e', '%00', '%2F', 'a%20b', '%C0%AF', '%ED%A0%80', 'x'.repeat(250), 'json', 'static%2Findex.html') },
    { weight: 1, arbitrary: fc.constantFrom('index.html', 'swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png') },
  );

  function pathFor(route: RouteEntry): fc.Arbitrary<string> {
    const names = [...route.url.matchAll(/:(\w+)|\*/g)].map((match) => match[1] ?? '*');
    const paramSchemas = route.params?.properties ?? {};
    const values = names.map((name) => {
      const schema = paramSchemas[name];
      return schema === undefined ? pathSegment : fc.oneof(pathSegment, schemaValue(schema, vocabulary, name).map((value) => encodeURIComponent(wellFormed(String(value)))));
    });
    const query = fc.oneof(
      { weight: 6, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.constantFrom('?__proto__[admin]=1', '?constructor[prototype][x]=1', '?a=%', '?&&==', `?${'q=1&'.repeat(500)}`) },
      { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }).map((entries) => `?${new URLSearchParams(entries).toString()}`) },
    );
    return fc.tuple(fc.tuple(...values), query).map(([filled, search]) => {
      let index = 0;
      const path = route.url.replace(/:(\w+)|\*/g, () => filled[index++] as string);
      return `${path}${search}`;
    });
  }

  function attemptFor(route: RouteEntry): fc.Arbitrary<Attempt> {
    const hostile = fc.record({
      method: fc.oneof({ weight: 12, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS') }),
      path: pathFor(route),
      host,
      authorization,
      cookie,
      headers: fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 2, arbitrary: otherHeaders }),
      contentType,
      body: bodyFor(route),
    });
    // A request a well-behaved admin client could send, but for its path and body: these reach the
    // code behind validation, where the hostile ones mostly stop at the door.
    const shaped = route.body === null ? fc.constant(null) : schemaValue(route.body, vocabulary).map((value) => JSON.stringify(value));
    const plain = fc.record({
      method: fc.constant(route.method),
      path: pathFor(route),
      host: fc.constant(acme.host),
      authorization: fc.constant<string | null>(`Token token=${acme.adminToken}`),
      cookie: fc.constant<Cookie>({ kind: 'none' }),
      headers: fc.constant({}),
      contentType: fc.constant<string | null>('application/json'),
      body: shaped,
    });
    return fc.oneof({ weight: 3, arbitrary: hostile }, { weight: 2, arbitrary: plain });
  }

  async function send(attempt: Attempt): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(attempt.headers)) if (value !== undefined) headers[name] = value;
    headers['host'] = attempt.host;
    if (attempt.authorization !== null) headers['authorization'] = attempt.authorization;
    if (attempt.cookie.kind === 'session') {
      const secret = await freshSession(attempt.cookie.org);
      headers['cookie'] = attempt.cookie.form.replace('%', secret);
      headers['x-csrf-token'] ??= csrfTokenOf(secret);
    }
    if (attempt.cookie.kind === 'raw') headers['cookie'] = attempt.cookie.value;
    if (attempt.body === null) {
      delete headers['content-length'];
      return server.inject({ method: attempt.method, url: attempt.path, headers });
    }
    if (attempt.contentType !== null) headers['content-type'] = attempt.contentType;
    return server.inject({ method: attempt.method, url: attempt.path, headers, payload: attempt.body });
  }

  return { attemptFor, send };
}

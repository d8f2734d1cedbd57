// Three orgs on one server, each fully set up (admin and member sessions, reader and admin tokens,
// a service account, a group, a resource and its permissions, an SSO provider, a pending
// invitation, sealed days). Every credential of each org calls every route the server has, with
// the other orgs' ids, days, page tokens and cursors, under its own host, a host naming no org, and
// the other orgs' hosts. Nothing of another org may come back, change, or show that it exists: an
// answer about another org's object must be the answer about an object that exists nowhere.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { after, before, test } from 'node:test';
import { csrfTokenOf, hashSessionSecret } from '../src/core/session-policy.ts';
import { hashInvitationSecret } from '../src/platform/invitations.ts';
import { newId } from '../src/platform/new-id.ts';
import { authed, documentedErrorCode, storedEvents, tokenIdOf, TAIL_URL, TRAIL_URL, type DayPage, type Envelope, type TailPage } from './support/http-helpers.ts';
import { ADMIN_PASSWORD, adminEmail, loginRequest, sessionSecretFrom } from './support/login-helpers.ts';
import { probesFor, serverRoutes, type Method, type Probe, type ProbeValue, type Route, type ValueKind } from './support/route-probes.ts';
import { startTestServer, type TestOrg, type TestServer } from './support/test-server.ts';

const DAY_MS = 86_400_000;
const NO_ORG_HOST = '127.0.0.1:8080';
const MEMBER_PASSWORD = 'member password, long enough';
/** Kinds of value a caller types in (names, emails): an org may have stored them itself, so they are not a sign of another org in its answers. */
const TYPED_KINDS: readonly ValueKind[] = ['name', 'email', 'provider', 'issuer', 'client_id'];

interface Credential {
  readonly label: string;
  readonly kind: 'token' | 'session';
  readonly secret: string;
}

interface Tenant {
  readonly org: TestOrg;
  readonly createdOn: string;
  readonly credentials: Credential[];
  /** Values of this org that others may try: ids, names, emails, days, page tokens, cursors. */
  readonly values: ProbeValue[];
  /** Every distinctive string of this org: none may reach another org's caller. */
  readonly marks: Set<string>;
  readonly own: { group: string; resource: string; member: string };
  readonly pendingInvitation: { secret: string; email: string };
  readonly sessions: string[];
}

let server: TestServer;
let routes: Route[];
let tenants: Tenant[];
let offset = 0;
let unique = 0;
const randomOf = new Map<string, string>();
const typedBy = new Map<string, Set<string>>();
/** Request ids of the requests addressed to each org (its Host, or its slug in a sign-in body) by another org's caller. */
const addressedTo = new Map<string, Set<string>>();

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const slugOf = (label: string) => `${label}-${randomBytes(3).toString('hex')}`;
const startOfToday = () => Math.floor(Date.now() / DAY_MS) * DAY_MS;

function moveClockTo(ms: number): void {
  offset = ms - Date.now();
}

/** Routes that answer for the Host's org to anyone, signed in or not: what its sign-in page shows. */
const SIGN_IN_PAGE = new Set(['GET /api/auth/methods']);

function nextAddress(): string {
  unique += 1;
  return `10.${String((unique >> 16) & 255)}.${String((unique >> 8) & 255)}.${String(unique & 255)}`;
}

/** A request as a client of that org would send it: the token header, or the cookie with the host's own origin. */
function send(credential: Credential | null, method: Method, url: string, host: string, body: unknown, remoteAddress = nextAddress()) {
  const headers: Record<string, string> = { host };
  if (credential?.kind === 'token') headers['authorization'] = `Bearer ${credential.secret}`;
  if (credential?.kind === 'session') {
    headers['cookie'] = `sectrail_session=${credential.secret}`;
    if (method !== 'GET') {
      headers['origin'] = `http://${host}`;
      headers['x-csrf-token'] = csrfTokenOf(credential.secret);
    }
  }
  if (body === undefined) return server.inject({ method, url, headers, remoteAddress });
  return server.inject({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body), remoteAddress });
}

async function ok(response: Promise<LightMyRequestResponse>, status = 200): Promise<Record<string, unknown>> {
  const answer = await response;
  assert.equal(answer.statusCode, status, answer.body);
  return answer.statusCode === 204 ? {} : answer.json<Record<string, unknown>>();
}

/**
 * A value of the same kind and form that exists in no org (the same one each time it is asked
 * for): names, emails and the like with the owning org's slug swapped for a made-up one.
 */
function randomLike(value: ProbeValue, ownerSlug: string): ProbeValue {
  const key = `${value.kind}\u0000${value.value}`;
  let made = randomOf.get(key);
  if (made === undefined) {
    const noise = (length: number) => randomBytes(length).toString('base64url').slice(0, length);
    const byKind: Partial<Record<ValueKind, string>> = {
      invitation: `sci_${noise(43)}`,
      page_token: noise(value.value.length),
      cursor: noise(value.value.length),
      day: isoDay(startOfToday() - 9 * DAY_MS),
    };
    const swapped = value.value.split(ownerSlug).join(slugOf('nowhere'));
    made = byKind[value.kind] ?? (swapped === value.value ? newId() : swapped);
    randomOf.set(key, made);
  }
  return { kind: value.kind, value: made };
}

/** A day of the org's life: invitations, a member, a group, a resource and grants, a service account and token, an SSO provider. */
async function populate(org: TestOrg): Promise<Omit<Tenant, 'credentials' | 'values' | 'marks' | 'sessions' | 'createdOn'> & { extra: string[] }> {
  const slug = org.org.slug;
  const admin = (method: Method, url: string, body?: unknown, status = 200) => ok(server.inject(authed(org, method, url, body, org.adminToken)), status);
  const invited = await admin('POST', '/api/invitations', { email: `dana-${slug}@${slug}.test`, role: 'writer' }, 201);
  const secret = /sci_[A-Za-z0-9_-]+$/.exec(String(invited['acceptUrl']))?.[0] ?? '';
  const accept = { method: 'POST' as const, url: `/api/invitations/${secret}/accept`, headers: { host: org.host, 'content-type': 'application/json' } };
  const member = String((await ok(server.inject({ ...accept, payload: JSON.stringify({ name: `Dana ${slug}`, password: MEMBER_PASSWORD }) }), 201))['userId']);
  await admin('PATCH', `/api/users/${member}/privileges`, { add: ['groups:manage', 'permissions:manage', 'security-log:read'] });
  const pending = await admin('POST', '/api/invitations', { email: `pending-${slug}@${slug}.test`, role: 'reader' }, 201);
  const group = String((await admin('POST', '/api/groups', { name: `${slug}-ops` }, 201))['id']);
  await admin('PATCH', `/api/groups/${group}/members`, { add: [member] });
  const resource = String((await admin('POST', '/api/resources', { type: 'project', name: `${slug}-payments` }, 201))['id']);
  await admin('PUT', `/api/resources/${resource}/permissions`, { subject: { kind: 'group', id: group }, access: 'read' });
  await admin('PUT', `/api/resources/${resource}/permissions`, { subject: { kind: 'user', id: member }, access: 'write' });
  const account = String((await admin('POST', '/api/service-accounts', { name: `${slug}-ingest` }, 201))['id']);
  const issued = await admin('POST', '/api/tokens', { name: `${slug}-ingest-token`, serviceAccountId: account, scopes: ['security-log:read'] }, 201);
  const provider = { name: `${slug}-idp`, issuer: `https://idp.${slug}.example.test`, clientId: `${slug}-client`, clientSecret: randomBytes(16).toString('hex') };
  await admin('PATCH', '/api/org/auth-settings', { sso: { providers: [provider] } });
  return {
    org,
    own: { group, resource, member },
    pendingInvitation: { secret: /sci_[A-Za-z0-9_-]+$/.exec(String(pending['acceptUrl']))?.[0] ?? '', email: `pending-${slug}@${slug}.test` },
    extra: [String(issued['token']), String(issued['id']), provider.clientSecret, provider.name, provider.issuer, provider.clientId, secret],
  };
}

async function signInAs(org: TestOrg, email: string, password: string): Promise<string> {
  return sessionSecretFrom(await server.inject(loginRequest(org, { email, password })));
}

/** The org's values others will try, and its marks, read once the day's data is all there. */
async function describeTenant(partial: Awaited<ReturnType<typeof populate>>, createdOn: string, sessions: string[]): Promise<Tenant> {
  const { org } = partial;
  const id = org.org.id;
  const platform = server.runtime.store.platform;
  const members = await platform.members(id);
  const accounts = await platform.serviceAccounts(id);
  const tokens = await platform.tokens(id);
  const events = await storedEvents(server, id);
  const reader = (body: unknown, url = TRAIL_URL) => ok(server.inject(authed(org, 'POST', url, body)));
  const [year, month, day] = isoDay(Date.now() + offset).split('-').map(Number);
  const todayPage = (await reader({ year, month, day, pageSize: 1 })) as unknown as DayPage;
  const [y0, m0, d0] = createdOn.split('-').map(Number);
  const firstPage = (await reader({ year: y0, month: m0, day: d0, pageSize: 1 })) as unknown as DayPage;
  const cursor = ((await reader({ pageSize: 1 }, TAIL_URL)) as unknown as TailPage).cursor;
  const provider = partial.extra[3] ?? '';
  const values: ProbeValue[] = [
    { kind: 'org', value: id },
    { kind: 'slug', value: org.org.slug },
    ...members.flatMap((member) => [{ kind: 'user' as const, value: member.id }, { kind: 'email' as const, value: member.email }]),
    { kind: 'name', value: `Dana ${org.org.slug}` },
    ...accounts.map((account) => ({ kind: 'service_account' as const, value: account.id })),
    { kind: 'name', value: `${org.org.slug}-ingest` },
    ...tokens.map((token) => ({ kind: 'token' as const, value: token.id })),
    { kind: 'group', value: partial.own.group },
    { kind: 'name', value: `${org.org.slug}-ops` },
    { kind: 'resource', value: partial.own.resource },
    { kind: 'name', value: `${org.org.slug}-payments` },
    // The org's first event (on a sealed day, except for the org made today) and its latest.
    { kind: 'event', value: events[0]?.id ?? '' },
    { kind: 'event', value: events.at(-1)?.id ?? '' },
    { kind: 'provider', value: provider },
    { kind: 'issuer', value: partial.extra[4] ?? '' },
    { kind: 'client_id', value: partial.extra[5] ?? '' },
    { kind: 'invitation', value: partial.pendingInvitation.secret },
    { kind: 'email', value: partial.pendingInvitation.email },
    { kind: 'page_token', value: todayPage.nextPageToken ?? '' },
    { kind: 'page_token', value: firstPage.nextPageToken ?? '' },
    { kind: 'cursor', value: cursor },
    { kind: 'day', value: createdOn },
  ];
  assert.ok(values.every((value) => value.value !== ''), 'every value of the org was found');
  const credentials: Credential[] = [
    { label: `${org.org.slug} admin session`, kind: 'session', secret: sessions[0] ?? '' },
    { label: `${org.org.slug} member session`, kind: 'session', secret: sessions[1] ?? '' },
    { label: `${org.org.slug} reader token`, kind: 'token', secret: org.token },
    { label: `${org.org.slug} admin token`, kind: 'token', secret: org.adminToken },
  ];
  const marks = new Set([
    ...values.filter((value) => value.kind !== 'day').map((value) => value.value),
    ...events.map((event) => event.id),
    ...partial.extra,
    org.token,
    org.adminToken,
    ...sessions,
  ]);
  return { ...partial, createdOn, credentials, values, marks, sessions };
}

/** What may not change in an org when others call: its objects, grants, settings, credentials and sealed days. */
async function stateOf(tenant: Tenant): Promise<string> {
  const platform = server.runtime.store.platform;
  const id = tenant.org.org.id;
  const groups = await platform.groups(id);
  const resources = await platform.resources(id);
  const members = await platform.members(id);
  const subjects = [...members.map((member) => ({ kind: 'user' as const, id: member.id })), ...groups.map((group) => ({ kind: 'group' as const, id: group.id }))];
  const grants = await Promise.all(resources.flatMap((resource) => subjects.map((subject) => platform.permission(id, resource.id, subject))));
  return JSON.stringify({
    org: await platform.orgById(id),
    settings: await platform.authSettings(id),
    members,
    groups: await Promise.all(groups.map(async (group) => ({ group, members: await platform.groupMemberIds(id, group.id) }))),
    resources,
    grants,
    accounts: await platform.serviceAccounts(id),
    tokens: await platform.tokens(id),
    sessions: await Promise.all(tenant.sessions.map((secret) => platform.sessionByHash(hashSessionSecret(secret)))),
    invitation: await platform.invitationByHash(hashInvitationSecret(tenant.pendingInvitation.secret)),
    digests: await Promise.all([-3, -2, -1].map((days) => platform.digestJson(id, Math.floor(startOfToday() / DAY_MS) + days))),
  });
}

/** The answer's text with the probe's own values and what its org typed in taken out: what is left must name no other org. */
function foreignMarksIn(response: LightMyRequestResponse, caller: Tenant, removed: readonly string[]): string[] {
  const headers = Object.entries(response.headers).filter(([name]) => name !== 'x-request-id');
  let text = `${JSON.stringify(headers)}\n${response.body}`;
  for (const value of [...removed, ...(typedBy.get(caller.org.org.id) ?? [])].sort((a, b) => b.length - a.length)) text = text.split(value).join('<typed>');
  return tenants.filter((other) => other !== caller).flatMap((other) => [...other.marks].filter((mark) => text.includes(mark)).map((mark) => `${other.org.org.slug}: ${mark}`));
}

/** The answer as it may be compared with another: the error body, or the shape of a success. */
function comparable(response: LightMyRequestResponse, values: readonly string[]): string {
  if (response.statusCode >= 400) {
    documentedErrorCode(response);
    let body = response.body;
    for (const value of values) body = body.split(value).join('<value>');
    return `${String(response.statusCode)} ${body}`;
  }
  const shape = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(shape).slice(0, 1) : value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shape(inner)])) : typeof value;
  return `${String(response.statusCode)} ${response.body === '' ? '' : JSON.stringify(shape(JSON.parse(response.body)))}`;
}

function noteTyped(caller: Tenant, value: ProbeValue): void {
  if (!TYPED_KINDS.includes(value.kind)) return;
  const set = typedBy.get(caller.org.org.id) ?? new Set<string>();
  set.add(value.value);
  typedBy.set(caller.org.org.id, set);
}

function noteAddressed(tenant: Tenant, response: LightMyRequestResponse): void {
  const ids = addressedTo.get(tenant.org.org.id) ?? new Set<string>();
  ids.add(String(response.headers['x-request-id']));
  addressedTo.set(tenant.org.org.id, ids);
}

const defaultsOf = (tenant: Tenant) => (segment: string) =>
  ({ groups: tenant.own.group, resources: tenant.own.resource, users: tenant.own.member })[segment] ?? null;

/** Whether the plain request would end the caller's own session (the one thing a probe must not do to its own org). */
const endsSession = (credential: Credential, route: Route) => credential.kind === 'session' && route.path === '/api/auth/logout';

before(async () => {
  server = await startTestServer(
    { SECTRAIL_RATE_LIMIT_PER_MINUTE: '1000000', SECTRAIL_SEAL_GRACE_SECONDS: '0' },
    { clock: { now: () => Date.now() + offset } },
  );
  // Three orgs made on three days: the two older ones have sealed days the youngest never had.
  const today = Math.max(Date.now(), startOfToday() + 10 * 60_000);
  const made: Awaited<ReturnType<typeof populate>>[] = [];
  const createdOn: string[] = [];
  for (const [index, label] of ['alpha', 'beta', 'gamma'].entries()) {
    moveClockTo(index === 2 ? today : startOfToday() - (2 - index) * DAY_MS + 12 * 3_600_000);
    createdOn.push(isoDay(Date.now() + offset));
    made.push(await populate(await server.createOrg(slugOf(label))));
  }
  moveClockTo(today);
  await server.seal();
  tenants = [];
  for (const [index, partial] of made.entries()) {
    const slug = partial.org.org.slug;
    const sessions = [await signInAs(partial.org, adminEmail(partial.org), ADMIN_PASSWORD), await signInAs(partial.org, `dana-${slug}@${slug}.test`, MEMBER_PASSWORD)];
    tenants.push(await describeTenant(partial, createdOn[index] ?? '', sessions));
  }
  routes = await serverRoutes(server);
});

after(async () => {
  await server.close();
});

test('the server describes every route it has, and the probes reach each of them', () => {
  const paths = routes.map((route) => `${route.method} ${route.path}`);
  for (const expected of ['POST /api/audit-log/security-trail/proof', 'DELETE /api/tokens/{id}', 'PUT /api/resources/{id}/permissions', 'POST /api/invitations/{token}/accept']) {
    assert.ok(paths.includes(expected), `${expected} is among ${paths.join(', ')}`);
  }
  const tenant = tenants[0];
  assert.ok(tenant !== undefined);
  const unreached = routes.filter((route) => probesFor(route, null, defaultsOf(tenant), 0).length === 0);
  assert.deepEqual(unreached, []);
});

test("each org's day, page tokens, cursors and sealed events were made as intended", async () => {
  const [alpha, beta, gamma] = tenants;
  assert.ok(alpha !== undefined && beta !== undefined && gamma !== undefined);
  assert.deepEqual(new Set(tenants.map((tenant) => tenant.createdOn)).size, 3, 'three orgs, three days');
  const [year, month, day] = alpha.createdOn.split('-').map(Number);
  const digest = await server.inject(authed(alpha.org, 'POST', '/api/audit-log/security-trail/digest', { year, month, day }));
  assert.equal(digest.statusCode, 200, "alpha's first day is sealed");
  const proof = await server.inject(authed(alpha.org, 'POST', '/api/audit-log/security-trail/proof', { eventId: alpha.values.find((value) => value.kind === 'event')?.value }));
  assert.equal(proof.statusCode, 200, "alpha's first event has a proof");
});

for (const [index, label] of ['alpha', 'beta', 'gamma'].entries()) {
  test(`${label}'s people signing in at another org, by its host or by name, get the answer an unknown person or org gets`, async () => {
    const caller = tenants[index];
    assert.ok(caller !== undefined);
    const slug = caller.org.org.slug;
    const people = [
      { email: adminEmail(caller.org), password: ADMIN_PASSWORD },
      { email: `dana-${slug}@${slug}.test`, password: MEMBER_PASSWORD },
    ];
    const ghost = slugOf('ghost');
    const login = (org: TestOrg, body: Record<string, unknown>, host: string) => server.inject(loginRequest(org, body, { host, remoteAddress: nextAddress() }));
    for (const other of tenants.filter((tenant) => tenant !== caller)) {
      const before = await stateOf(other);
      const host = other.org.host;
      for (const person of people) {
        const stranger = { ...person, email: randomLike({ kind: 'email', value: person.email }, slug).value };
        noteTyped(other, { kind: 'email', value: person.email });
        noteTyped(other, { kind: 'email', value: stranger.email });
        const attempts: [LightMyRequestResponse, LightMyRequestResponse][] = [
          [await login(other.org, person, host), await login(other.org, stranger, host)],
          [await login(other.org, { ...person, org: other.org.org.slug }, NO_ORG_HOST), await login(other.org, { ...stranger, org: other.org.org.slug }, NO_ORG_HOST)],
          [await login(other.org, person, host), await login(other.org, person, `${ghost}.localhost`)],
          [await login(other.org, { ...person, org: other.org.org.slug }, NO_ORG_HOST), await login(other.org, { ...person, org: ghost }, NO_ORG_HOST)],
        ];
        for (const [answer, baseline] of attempts) {
          noteAddressed(other, answer);
          assert.equal(answer.statusCode, 401, answer.body);
          assert.equal(comparable(answer, [person.email]), comparable(baseline, [person.email, stranger.email]));
          assert.equal(answer.headers['set-cookie'], undefined, 'no session is started');
        }
      }
      assert.equal(await stateOf(other), before, `${other.org.org.slug} is unchanged`);
    }
  });
}

for (const [index, label] of ['alpha', 'beta', 'gamma'].entries()) {
  test(`every credential of ${label} on every route, with the other orgs' values, under its own host and a host naming no org, sees and changes nothing of them`, async () => {
    const caller = tenants[index];
    assert.ok(caller !== undefined);
    const others = tenants.filter((tenant) => tenant !== caller);
    const before = await Promise.all(others.map(async (other) => ({ state: await stateOf(other), events: (await storedEvents(server, other.org.org.id)).length })));
    const callerFrom = Date.parse(`${caller.createdOn}T00:00:00Z`);
    // Another org's day means something only when this org did not exist yet.
    const foreign = others
      .flatMap((other) => other.values.map((value) => ({ value, owner: other.org.org.slug })))
      .filter(({ value }) => value.kind !== 'day' || Date.parse(`${value.value}T00:00:00Z`) < callerFrom);
    const problems: string[] = [];
    let pairs = 0;
    for (const credential of caller.credentials) {
      for (const host of [caller.org.host, NO_ORG_HOST]) {
        for (const route of routes) {
          if (!endsSession(credential, route)) {
            for (const probe of probesFor(route, null, defaultsOf(caller), (unique += 1))) {
              const response = await send(credential, route.method, probe.url, host, probe.body);
              problems.push(...foreignMarksIn(response, caller, []).map((mark) => `${credential.label} ${route.method} ${probe.url} at ${host} shows ${mark}`));
            }
          }
          for (const { value, owner } of foreign) {
            // The invitation's secret is itself a credential of its org: under a host naming no
            // org it is used as such, like a token. Sign-ins with another org's people are below,
            // apart, as sign-in throttling counts the failures of each email.
            if (value.kind === 'invitation' && host === NO_ORG_HOST) continue;
            if (value.kind === 'email' && route.path === '/api/auth/login') continue;
            const seed = (unique += 1);
            const random = randomLike(value, owner);
            const withValue = probesFor(route, value, defaultsOf(caller), seed);
            const withRandom = probesFor(route, random, defaultsOf(caller), seed);
            for (const [probeIndex, probe] of withValue.entries()) {
              const twin = withRandom[probeIndex] as Probe;
              noteTyped(caller, value);
              const address = nextAddress();
              const answer = await send(credential, route.method, probe.url, host, probe.body, address);
              const baseline = await send(credential, route.method, twin.url, host, twin.body, address);
              pairs += 1;
              const where = `${credential.label} ${route.method} ${route.path} at ${host} with ${value.kind} ${JSON.stringify(probe.body ?? probe.url)}`;
              if (comparable(answer, [value.value]) !== comparable(baseline, [random.value])) {
                problems.push(`${where}: ${String(answer.statusCode)} ${answer.body} but for one of no org ${String(baseline.statusCode)} ${baseline.body}`);
              }
              problems.push(...foreignMarksIn(answer, caller, [value.value]).map((mark) => `${where} shows ${mark}`));
              // A sign-in naming another org in its body is addressed to that org, as its Host would be.
              const named = others.find((other) => JSON.stringify(probe.body ?? null).includes(`"${other.org.org.slug}"`));
              if (route.path === '/api/auth/login' && named !== undefined) noteAddressed(named, answer);
            }
          }
        }
      }
    }
    assert.deepEqual(problems.slice(0, 20), [], `${String(problems.length)} problems in ${String(pairs)} pairs`);
    assert.ok(pairs > 500, `${String(pairs)} pairs of requests compared`);
    for (const [otherIndex, other] of others.entries()) {
      assert.equal(await stateOf(other), before[otherIndex]?.state, `${other.org.org.slug} is unchanged`);
      const events = (await storedEvents(server, other.org.org.id)).slice(before[otherIndex]?.events ?? 0);
      assertOnlyAddressedFailures(other, caller, events);
    }
  });

  test(`every credential of ${label} under another org's host gets what it gets under a host naming no existing org`, async () => {
    const caller = tenants[index];
    assert.ok(caller !== undefined);
    const others = tenants.filter((tenant) => tenant !== caller);
    const before = await Promise.all(others.map(async (other) => ({ state: await stateOf(other), events: (await storedEvents(server, other.org.org.id)).length })));
    const ghost = `${slugOf('ghost')}.localhost`;
    const problems: string[] = [];
    for (const credential of caller.credentials) {
      for (const other of others) {
        for (const route of routes) {
          for (const probe of probesFor(route, null, defaultsOf(caller), (unique += 1))) {
            const address = nextAddress();
            const answer = await send(credential, route.method, probe.url, other.org.host, probe.body, address);
            // An org's sign-in methods are its public sign-in page: what anyone at its address sees,
            // with a credential or none. Elsewhere, a made-up org is the baseline.
            const baseline = SIGN_IN_PAGE.has(`${route.method} ${route.path}`)
              ? await send(null, route.method, probe.url, other.org.host, probe.body, address)
              : await send(credential, route.method, probe.url, ghost, probe.body, address);
            noteAddressed(other, answer);
            const where = `${credential.label} ${route.method} ${probe.url} at ${other.org.host}`;
            if (comparable(answer, []) !== comparable(baseline, [])) problems.push(`${where}: ${answer.body} but at ${ghost}: ${baseline.body}`);
            problems.push(...foreignMarksIn(answer, caller, []).map((mark) => `${where} shows ${mark}`));
          }
        }
      }
    }
    assert.deepEqual(problems.slice(0, 20), [], `${String(problems.length)} problems`);
    for (const [otherIndex, other] of others.entries()) {
      assert.equal(await stateOf(other), before[otherIndex]?.state, `${other.org.org.slug} is unchanged`);
      assertOnlyAddressedFailures(other, caller, (await storedEvents(server, other.org.org.id)).slice(before[otherIndex]?.events ?? 0));
    }
  });

}

/**
 * The only events another org may gain while this org's callers work: failures of the requests
 * addressed to it (its host, or its slug in a sign-in), which name nothing of the caller's org.
 */
function assertOnlyAddressedFailures(other: Tenant, caller: Tenant, events: readonly Envelope[]): void {
  const addressed = addressedTo.get(other.org.org.id) ?? new Set<string>();
  const callerMarks = [...caller.marks];
  for (const event of events) {
    assert.equal(event.type, 'login.failed', `${other.org.org.slug} gained ${JSON.stringify(event)}`);
    assert.equal(event.outcome, 'failure');
    assert.ok(event.requestId === null || addressed.has(event.requestId), `${JSON.stringify(event)} answers a request addressed to ${other.org.org.slug}`);
    const text = JSON.stringify(event);
    assert.deepEqual(callerMarks.filter((mark) => text.includes(mark)), [], `${JSON.stringify(event)} names nothing of ${caller.org.org.slug}`);
  }
}

test('after all of it, every org still works: its sessions, its tokens, and its pending invitation', async () => {
  for (const tenant of tenants) {
    for (const credential of tenant.credentials) {
      const me = await send(credential, 'GET', '/api/me', tenant.org.host, undefined);
      assert.equal(me.statusCode, 200, `${credential.label}: ${me.body}`);
    }
    const accept = await server.inject({
      method: 'POST',
      url: `/api/invitations/${tenant.pendingInvitation.secret}/accept`,
      headers: { host: tenant.org.host, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'Late joiner', password: MEMBER_PASSWORD }),
    });
    assert.equal(accept.statusCode, 201, accept.body);
    assert.ok((await tokenIdOf(server, tenant.org.token)).length > 0);
  }
});

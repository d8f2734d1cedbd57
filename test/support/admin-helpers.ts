// Helpers for the administration tests: members made directly in the store (no event: fixtures,
// not the behaviour under test), tokens owned by them, and the one event a request wrote.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { memberOwner, type Member, type Role, type Scope } from '../../src/core/platform-model.ts';
import { csrfTokenOf } from '../../src/core/session-policy.ts';
import type { Privilege } from '../../src/core/privileges.ts';
import { issueToken } from '../../src/platform/access-tokens.ts';
import { newId } from '../../src/platform/new-id.ts';
import { startSession } from '../../src/platform/sessions.ts';
import { authed, ofType, storedEvents, tokenIdOf, type Envelope } from './http-helpers.ts';
import { OPERATOR, type TestOrg, type TestServer } from './test-server.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface MemberOptions {
  readonly role?: Role;
  readonly privileges?: readonly Privilege[];
  readonly name?: string;
}

/** A member written straight to the store, with a unique email. */
export async function addMember(server: TestServer, org: TestOrg, label: string, options: MemberOptions = {}): Promise<Member> {
  const member: Member = {
    orgId: org.org.id,
    id: newId(),
    email: `${label}-${newId().slice(-8)}@${org.org.slug}.test`,
    name: options.name ?? label,
    role: options.role ?? 'reader',
    privileges: options.privileges ?? [],
    passwordHash: null,
    createdAt: Date.now(),
  };
  await server.runtime.store.transact((tx) => tx.createMember(member));
  return member;
}

/** A token owned by the member (platform:admin unless other scopes are given), already used once. */
export async function memberToken(
  server: TestServer,
  org: TestOrg,
  member: Member,
  scopes: readonly Scope[] = ['platform:admin'],
): Promise<string> {
  const issued = await issueToken(server.runtime.deps, OPERATOR, org.org.id, { name: member.name, owner: memberOwner(member), scopes });
  await warm(server, org, issued.secret);
  return issued.secret;
}

/**
 * Uses a token once, so that its first-use login.succeeded is not written by the request under
 * test (which could then not be told apart from a request that logs nothing).
 */
export async function warm(server: TestServer, org: TestOrg, token: string): Promise<void> {
  await server.inject(authed(org, 'GET', '/api/privileges', undefined, token));
}

const SESSION_PREFIX = 'session:';

/**
 * The member signed in, as a login would leave them: a session written straight to the store. The
 * credential it returns makes call() send the cookie (and the org's own Origin) instead of a token.
 */
export async function memberSession(server: TestServer, org: TestOrg, member: Member): Promise<string> {
  const started = await server.runtime.store.transact((tx) => startSession(tx, member, 'password', server.runtime.deps.clock.now()));
  return SESSION_PREFIX + started.secret;
}

/** A request with a token, or with a session from memberSession(). */
export function call(server: TestServer, org: TestOrg, method: Method, url: string, body?: unknown, token: string = org.adminToken) {
  if (!token.startsWith(SESSION_PREFIX)) return server.inject(authed(org, method, url, body, token));
  const secret = token.slice(SESSION_PREFIX.length);
  const headers: Record<string, string> = {
    host: org.host,
    cookie: `sectrail_session=${secret}`,
    origin: `http://${org.host}`,
    // The token the console gets with the session (login answer, /api/me).
    ...(method === 'GET' ? {} : { 'x-csrf-token': csrfTokenOf(secret) }),
  };
  if (body === undefined) return server.inject({ method, url, headers });
  return server.inject({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
}

export function requestIdOf(response: LightMyRequestResponse): string {
  return String(response.headers['x-request-id']);
}

/** Every event the request wrote, but a token's first-use login.succeeded. */
export async function eventsOfRequest(server: TestServer, org: TestOrg, response: LightMyRequestResponse): Promise<Envelope[]> {
  const requestId = requestIdOf(response);
  return (await storedEvents(server, org.org.id)).filter((event) => event.requestId === requestId && event.type !== 'login.succeeded');
}

/** The single event of this type written by the request, after checking it wrote no other. */
export async function onlyEventOf(server: TestServer, org: TestOrg, type: string, response: LightMyRequestResponse): Promise<Envelope> {
  const events = await eventsOfRequest(server, org, response);
  assert.deepEqual(events.map((event) => event.type), [type], `the request wrote one ${type}`);
  return events[0]!;
}

export async function countOf(server: TestServer, org: TestOrg, type: string): Promise<number> {
  return ofType(await storedEvents(server, org.org.id), type).length;
}

/** The event names the caller, the route pattern, the request id and the caller's address, and succeeded. */
export function assertAttribution(
  event: Envelope,
  response: LightMyRequestResponse,
  endpoint: string,
  user: Envelope['user'],
): void {
  assert.deepEqual(event.user, user);
  assert.equal(event.outcome, 'success');
  assert.equal(event.endpoint, endpoint);
  assert.equal(event.requestId, requestIdOf(response));
  assert.equal(event.ipAddress, '127.0.0.1');
}

/** The actor an org's adminToken appears as: the admin service account `automation`. */
export async function automationActor(server: TestServer, org: TestOrg): Promise<Envelope['user']> {
  const record = await server.runtime.store.platform.tokenById(org.org.id, await tokenIdOf(server, org.adminToken));
  assert.ok(record !== null);
  return { kind: 'service_account', id: record.ownerId, name: 'automation', email: null };
}

export function userActor(member: Member): Envelope['user'] {
  return { kind: 'user', id: member.id, name: member.name, email: member.email };
}

/** A 403 for the request, logged as access.denied with these details and nothing else. */
export async function assertDenied(
  server: TestServer,
  org: TestOrg,
  response: LightMyRequestResponse,
  details: { endpoint: string; reason: string; required: string | null },
): Promise<void> {
  assert.equal(response.statusCode, 403, response.body);
  assert.equal(response.json<{ error: { code: string } }>().error.code, 'FORBIDDEN');
  const denied = await onlyEventOf(server, org, 'access.denied', response);
  assert.equal(denied.outcome, 'failure');
  assert.equal(denied.endpoint, details.endpoint);
  assert.deepEqual(denied.details, details);
}

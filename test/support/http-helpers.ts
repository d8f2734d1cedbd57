// Helpers for the HTTP tests: requests made with an org's token, the one check every error body
// must pass, reading an org's log, and tokens made the way an operator (or a past clock) would.
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { hashToken } from '../../src/core/access-token.ts';
import { ERROR_CODES } from '../../src/core/errors.ts';
import { serviceAccountOwner, type Role, type Scope } from '../../src/core/platform-model.ts';
import { issueToken } from '../../src/platform/access-tokens.ts';
import { createServiceAccount } from '../../src/platform/service-accounts.ts';
import { dayBody, OPERATOR, type TestOrg, type TestServer } from './test-server.ts';

export const TRAIL_URL = '/api/audit-log/security-trail/';
export const TAIL_URL = '/api/audit-log/security-trail/tail';
export const EVENT_TYPES_URL = '/api/audit-log/event-types';

/** An event as the trail serves it (DESIGN §5), loosely typed for assertions. */
export interface Envelope {
  readonly id: string;
  readonly seq: number;
  readonly timestamp: string;
  readonly type: string;
  readonly category: string;
  readonly outcome: 'success' | 'failure';
  readonly user: { readonly kind: string; readonly id?: string; readonly name: string; readonly email?: string | null } | null;
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
  readonly endpoint: string | null;
  readonly requestId: string | null;
  readonly details: Record<string, unknown>;
}

export interface DayPage {
  readonly result: Envelope[];
  readonly nextPageToken: string | null;
  readonly complete: boolean;
}

export interface TailPage {
  readonly result: Envelope[];
  readonly cursor: string;
}

/** A request to the org's host with a token (the org's reader token unless another is given). */
export function authed(
  org: TestOrg,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  token: string = org.token,
): InjectOptions {
  const headers: Record<string, string> = { host: org.host, authorization: `Token token=${token}` };
  if (body === undefined) return { method, url, headers };
  return { method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) };
}

interface ErrorBodyShape {
  error: { code: unknown; message: unknown };
}

/** The response is `status` with exactly `{"error": {"code", "message"}}`, the code `code`. */
export function assertError(response: LightMyRequestResponse, status: number, code: string): void {
  assert.equal(response.statusCode, status, `expected ${status} ${code}, got ${response.statusCode}: ${response.body}`);
  assert.match(String(response.headers['content-type']), /^application\/json/);
  const body = response.json<ErrorBodyShape>();
  assert.deepEqual(Object.keys(body), ['error']);
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message']);
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.ok((body.error.message as string).length > 0, 'the message is not empty');
}

/** The documented code of an error answer, after checking the body has exactly the error shape. */
export function documentedErrorCode(response: LightMyRequestResponse): string {
  const body = response.json<ErrorBodyShape>();
  assert.deepEqual(Object.keys(body), ['error']);
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message']);
  assert.equal(typeof body.error.message, 'string');
  assert.ok((ERROR_CODES as readonly unknown[]).includes(body.error.code), `undocumented code ${String(body.error.code)}`);
  return body.error.code as string;
}

/** Every event of the org, straight from the store: reading it this way logs nothing. */
export async function storedEvents(server: TestServer, orgId: string): Promise<Envelope[]> {
  const rows = await server.runtime.store.trail.after(orgId, 0, 1_000_000);
  return rows.map((row) => JSON.parse(row.json) as Envelope);
}

/** Today's events of the org read over HTTP, as a SIEM would (this read is itself logged). */
export async function readToday(server: TestServer, org: TestOrg, token: string = org.token): Promise<Envelope[]> {
  const response = await server.inject(authed(org, 'POST', TRAIL_URL, dayBody(), token));
  assert.equal(response.statusCode, 200, response.body);
  return response.json<DayPage>().result;
}

export async function tokenIdOf(server: TestServer, secret: string): Promise<string> {
  const record = await server.runtime.store.platform.tokenByHash(hashToken(secret));
  assert.ok(record !== null, 'the token exists');
  return record.id;
}

export interface ExtraTokenOptions {
  /** A new service account's name, which owns the token. */
  readonly accountName: string;
  readonly role: Role;
  readonly scopes: readonly Scope[];
  readonly expiresInDays?: number;
  /** The instant the token is issued at (a clock other than the server's); now by default. */
  readonly issuedAtMs?: number;
}

/** A token issued the way the CLI does, owned by a new service account of the given role. */
export async function extraToken(
  server: TestServer,
  org: TestOrg,
  options: ExtraTokenOptions,
): Promise<{ secret: string; id: string; accountId: string }> {
  const deps = server.runtime.deps;
  const account = await createServiceAccount(deps, OPERATOR, org.org.id, { name: options.accountName, role: options.role });
  const issuedAt = options.issuedAtMs;
  const clock = issuedAt === undefined ? deps.clock : { now: () => issuedAt };
  const issued = await issueToken({ store: deps.store, clock }, OPERATOR, org.org.id, {
    name: options.accountName,
    owner: serviceAccountOwner(account),
    scopes: options.scopes,
    expiresInDays: options.expiresInDays,
  });
  return { secret: issued.secret, id: issued.record.id, accountId: account.id };
}

export function ofType(events: readonly Envelope[], type: string): Envelope[] {
  return events.filter((event) => event.type === type);
}

// Two `sectrail serve` processes on one fresh PostgreSQL database, sharing secrets.key, with org
// demo made beforehand through a store of the test's own (which also reads the log, and stands in
// for the CLI): its first admin, an admin service account with a platform:admin token, and plain
// requests to either server.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestContext } from '../../src/core/events/envelope.ts';
import { memberOwner, serviceAccountOwner, type Member, type Org, type Role } from '../../src/core/platform-model.ts';
import { issueToken } from '../../src/platform/access-tokens.ts';
import { newId } from '../../src/platform/new-id.ts';
import { createOrg, setSecurityLogEnabled } from '../../src/platform/orgs.ts';
import type { PlatformDeps } from '../../src/platform/platform-deps.ts';
import { createServiceAccount } from '../../src/platform/service-accounts.ts';
import { SystemClock } from '../../src/platform/system-clock.ts';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.ts';
import { holdRequest, type HeldRequestSpec, type RawAnswer } from './held-requests.ts';
import type { Envelope } from './http-helpers.ts';
import { createTestDatabase, type TestDatabase } from './postgres-databases.ts';
import { startServerProcess, type ServerProcess } from './processes.ts';

/** The origin both servers build SSO callbacks and invitation links on. */
export const PUBLIC_URL = 'http://demo.localhost';
export const ADMIN_PASSWORD = 'correct horse battery';

export const OPERATOR: RequestContext = {
  actor: { kind: 'operator', name: 'test' },
  ipAddress: null,
  userAgent: null,
  endpoint: 'cli: sectrail test',
  requestId: null,
};

export interface Cluster {
  /** The two servers' ports: A, then B. */
  readonly ports: readonly [number, number];
  readonly database: TestDatabase;
  /** The test's own store on the same database (as a CLI command has). */
  readonly deps: PlatformDeps;
  readonly org: Org;
  /** The org's first admin, made with it. */
  readonly firstAdmin: Member;
  /** The admin service account's platform:admin token (admin service accounts never count as the last admin). */
  readonly adminToken: string;
  readonly adminAccountId: string;
  /** One request, not held. */
  send(spec: HeldRequestSpec): Promise<RawAnswer>;
  /** A request with the admin token to server A that must succeed; its JSON answer. */
  asAdmin(method: HeldRequestSpec['method'], path: string, body?: unknown): Promise<unknown>;
  /** A member written straight to the store (a fixture: no event). */
  addMember(label: string, role: Role): Promise<Member>;
  /** A platform:admin token of the member, used once (so that its first-use event is not a test's). */
  tokenOf(member: Member): Promise<string>;
  /** The org's events committed since the last call. */
  newEvents(): Promise<Envelope[]>;
  /** Another store on the database, as a second CLI command would open. */
  openStore(): Promise<PostgresStore>;
  close(): Promise<void>;
}

export async function startCluster(): Promise<Cluster> {
  const database = await createTestDatabase();
  const dirs = [mkdtempSync(join(tmpdir(), 'sectrail-race-a-')), mkdtempSync(join(tmpdir(), 'sectrail-race-b-'))];
  const servers: ServerProcess[] = [];
  const stores: PostgresStore[] = [];
  const openStore = async () => {
    const store = await PostgresStore.open({ connectionString: database.url, clock: new SystemClock(), useDatabaseClock: true });
    stores.push(store);
    return store;
  };
  const close = async () => {
    await Promise.allSettled(servers.map((server) => server.stop()));
    await Promise.allSettled(stores.map((store) => store.close()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await database.drop();
  };
  try {
    const deps: PlatformDeps = { store: await openStore(), clock: new SystemClock() };
    const { org, admin } = await createOrg(deps, OPERATOR, { slug: 'demo', name: 'Demo', adminEmail: 'admin@demo.test', adminPassword: ADMIN_PASSWORD });
    await setSecurityLogEnabled(deps, OPERATOR, 'demo', true);
    const account = await createServiceAccount(deps, OPERATOR, org.id, { name: 'automation', role: 'admin' });
    const adminToken = (await issueToken(deps, OPERATOR, org.id, { name: 'automation', owner: serviceAccountOwner(account), scopes: ['platform:admin'] })).secret;

    const key = randomBytes(32);
    for (const dir of dirs) writeFileSync(join(dir, 'secrets.key'), key, { mode: 0o600 });
    const env = {
      DATABASE_URL: database.url,
      SECTRAIL_BOOTSTRAP: '0',
      SECTRAIL_RATE_LIMIT_PER_MINUTE: '1000000',
      SECTRAIL_PUBLIC_URL: PUBLIC_URL,
      SECTRAIL_ALLOW_PRIVATE_DESTINATIONS: 'true',
    };
    servers.push(...(await Promise.all(dirs.map((dir) => startServerProcess({ ...env, SECTRAIL_DATA_DIR: dir })))));
    const ports = [servers[0]!.port, servers[1]!.port] as const;

    let cursor = (await deps.store.trail.head(org.id)).lastSeq;
    const newEvents = async (): Promise<Envelope[]> => {
      const rows = await deps.store.trail.after(org.id, cursor, 1_000_000);
      cursor = rows.at(-1)?.seq ?? cursor;
      return rows.map((row) => JSON.parse(row.json) as Envelope);
    };
    const send = async (spec: HeldRequestSpec) => (await holdRequest(spec)).release();
    const asAdmin = async (method: HeldRequestSpec['method'], path: string, body?: unknown) => {
      const answer = await send(call(ports[0], adminToken, method, path, body, `setup-${newId()}`));
      assert.ok(answer.status < 300, `${method} ${path}: ${answer.status} ${answer.body}`);
      return JSON.parse(answer.body === '' ? 'null' : answer.body) as unknown;
    };
    const addMember = async (label: string, role: Role) => {
      const member: Member = {
        orgId: org.id,
        id: newId(),
        email: `${label}@demo.test`,
        name: label,
        role,
        privileges: [],
        passwordHash: null,
        createdAt: Date.now(),
      };
      await deps.store.transact((tx) => tx.createMember(member));
      return member;
    };
    const tokenOf = async (member: Member) => {
      const { secret } = await issueToken(deps, OPERATOR, org.id, { name: member.name, owner: memberOwner(member), scopes: ['platform:admin'] });
      await send(call(ports[0], secret, 'GET', '/api/privileges', undefined, `warm-${newId()}`));
      return secret;
    };
    return {
      ports,
      database,
      deps,
      org,
      firstAdmin: admin,
      adminToken,
      adminAccountId: account.id,
      send,
      asAdmin,
      addMember,
      tokenOf,
      newEvents,
      openStore,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The headers of a request to org demo on that server, with a token (or none) and a request id. */
export function demoHeaders(port: number, token: string | null, requestId: string): Record<string, string> {
  const headers: Record<string, string> = { host: `demo.localhost:${port}`, 'x-request-id': requestId };
  if (token !== null) headers['authorization'] = `Token token=${token}`;
  return headers;
}

/** A request to org demo on that server. */
export function call(
  port: number,
  token: string | null,
  method: HeldRequestSpec['method'],
  path: string,
  body: unknown,
  requestId: string,
): HeldRequestSpec {
  return { port, method, path, headers: demoHeaders(port, token, requestId), ...(body === undefined ? {} : { body }) };
}

/** The error code of an answer, or null when it has none. */
export function errorCode(answer: RawAnswer): string | null {
  try {
    return (JSON.parse(answer.body) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    return null;
  }
}

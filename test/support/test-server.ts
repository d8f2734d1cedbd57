// An in-process sectrail for tests: a real SQLite file in a fresh temp dir (or, with
// SECTRAIL_TEST_STORE=postgres, a fresh PostgreSQL database), the real server (called with
// inject()), its log lines captured, and helpers to make orgs and tokens.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { readConfig } from '../../src/config.ts';
import { serviceAccountOwner, type Org } from '../../src/core/platform-model.ts';
import type { RequestContext } from '../../src/core/events/envelope.ts';
import type { Clock } from '../../src/core/ports/clock.ts';
import { buildServer } from '../../src/http/build-server.ts';
import { loggerOptions } from '../../src/http/logger-options.ts';
import { openRuntime, trustProxyOf, type Runtime } from '../../src/main.ts';
import { issueToken } from '../../src/platform/access-tokens.ts';
import { createOrg, setSecurityLogEnabled } from '../../src/platform/orgs.ts';
import { createServiceAccount } from '../../src/platform/service-accounts.ts';
import { Ed25519Signer } from '../../src/platform/ed25519-signer.ts';
import { publishSigningKey, sealDueDays } from '../../src/platform/sealing.ts';
import type { Digest } from '../../src/core/integrity/digest.ts';
import { storeEnv } from './test-store.ts';

export const OPERATOR: RequestContext = {
  actor: { kind: 'operator', name: 'test' },
  ipAddress: null,
  userAgent: null,
  endpoint: 'cli: sectrail test',
  requestId: null,
};

export interface TestOrg {
  readonly org: Org;
  /** A service account token with security-log:read. */
  readonly token: string;
  /** An admin service account token with platform:admin and security-log:read. */
  readonly adminToken: string;
  readonly host: string;
}

export interface TestServer {
  readonly app: FastifyInstance;
  readonly runtime: Runtime;
  readonly dataDir: string;
  /** The environment the server was configured from (data dir, DATABASE_URL on PostgreSQL, ...). */
  readonly env: Readonly<Record<string, string>>;
  /** Every line the server logged. */
  readonly logLines: string[];
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  createOrg(slug: string, options?: { securityLog?: boolean }): Promise<TestOrg>;
  /** The key the server signs sealed days with (published, as at a server's start). */
  readonly signer: Ed25519Signer;
  /** Seals every day that is due by the server's clock, as the running server does every 15 s. */
  seal(): Promise<Digest[]>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** The server's clock, for tests that move time by hand; the system clock by default. */
  readonly clock?: Clock;
  /** A request timeout short enough for a test to wait out; the product's default otherwise. */
  readonly requestTimeoutMs?: number;
  /** A certificate and key: the server then speaks HTTPS once it listens. */
  readonly https?: { readonly cert: Buffer; readonly key: Buffer };
}

export async function startTestServer(env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sectrail-test-'));
  const store = await storeEnv(dataDir);
  const fullEnv: Record<string, string> = { ...store.env, SECTRAIL_BOOTSTRAP: '0', ...env };
  const config = readConfig(fullEnv);
  const runtime = await openRuntime(config, undefined, options.clock);
  const logLines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter((line) => line.length > 0));
      done();
    },
  });
  const app = await buildServer(runtime.deps, {
    trustProxy: trustProxyOf(config),
    logger: { ...loggerOptions('info'), stream },
    version: 'test',
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    ...(options.https === undefined ? {} : { https: options.https }),
  });
  await app.ready();
  const deps = runtime.deps;
  const signer = new Ed25519Signer(generateKeyPairSync('ed25519').privateKey);
  await publishSigningKey({ store: deps.store, clock: deps.clock, signer });
  return {
    app,
    runtime,
    dataDir,
    env: fullEnv,
    logLines,
    inject: (options) => app.inject(options),
    signer,
    seal: () => sealDueDays({ store: deps.store, clock: deps.clock, signer, sealGraceSeconds: config.sealGraceSeconds }),
    async createOrg(slug, options = {}) {
      const { org } = await createOrg(deps, OPERATOR, { slug, name: slug, adminEmail: `admin@${slug}.test`, adminPassword: 'correct horse battery' });
      if (options.securityLog ?? true) await setSecurityLogEnabled(deps, OPERATOR, slug, true);
      const reader = await createServiceAccount(deps, OPERATOR, org.id, { name: 'siem' });
      const admin = await createServiceAccount(deps, OPERATOR, org.id, { name: 'automation', role: 'admin' });
      const readerOwner = serviceAccountOwner(reader);
      const adminOwner = serviceAccountOwner(admin);
      const token = (await issueToken(deps, OPERATOR, org.id, { name: 'siem', owner: readerOwner, scopes: ['security-log:read'] })).secret;
      const adminToken = (
        await issueToken(deps, OPERATOR, org.id, {
          name: 'automation',
          owner: adminOwner,
          scopes: ['platform:admin', 'security-log:read'],
        })
      ).secret;
      const fresh = (await deps.store.platform.orgById(org.id)) ?? org;
      return { org: fresh, token, adminToken, host: `${slug}.localhost` };
    },
    async close() {
      await app.close();
      await runtime.close();
      await store.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The UTC date of an instant as the trail body wants it. */
export function dayBody(ms: number = Date.now()): { year: number; month: number; day: number } {
  const date = new Date(ms);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function trailRequest(org: TestOrg, body: unknown, token = org.token): InjectOptions {
  return {
    method: 'POST',
    url: '/api/audit-log/security-trail/',
    headers: { host: org.host, authorization: `Token token=${token}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  };
}

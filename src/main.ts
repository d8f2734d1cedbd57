// The composition root: the one place that picks adapters, wires them into the platform, and
// starts the server or the CLI. Nothing imports this module but the bin script and tests.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { RequestContext } from './core/events/envelope.ts';
import type { Store } from './core/ports/store.ts';
import type { Clock } from './core/ports/clock.ts';
import { buildProgram, runProgram } from './cli/program.ts';
import { ConfigError, readConfig, type Config } from './config.ts';
import { buildServer } from './http/build-server.ts';
import { consoleAssets } from './http/console/console-assets.ts';
import type { HttpDeps } from './http/http-deps.ts';
import { loggerOptions } from './http/logger-options.ts';
import { bootstrapFileText, bootstrapIfEmpty } from './platform/bootstrap.ts';
import { AesGcmSecretSealer } from './platform/aes-gcm-secret-sealer.ts';
import { flushFailureWindows } from './platform/failure-log.ts';
import { forgetLapsedThrottles } from './platform/password-login.ts';
import { applyRetention } from './platform/retention.ts';
import { PeriodicTask } from './platform/periodic-task.ts';
import { FileSigner, rotateSigningKeyFile } from './signing-key-file.ts';
import { publishSigningKey, sealDueDays } from './platform/sealing.ts';
import { OpenidClientAdapter } from './platform/sso/openid-client-adapter.ts';
import { OutboundGateway } from './outbound/outbound-gateway.ts';
import { describeDestinationPolicy } from './core/destination-policy.ts';
import { SystemClock } from './platform/system-clock.ts';
import { PostgresStore } from './storage/postgres/postgres-store.ts';
import { SqliteStore } from './storage/sqlite/sqlite-store.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/** Sealing checks every 15 s, so a day is sealed within a minute of being due (DESIGN §9). */
const SEAL_INTERVAL_MS = 15_000;
const RETENTION_INTERVAL_MS = 3_600_000;
/** Folded sign-in failures are written within seconds of their window's end. */
const FAILURE_SWEEP_INTERVAL_MS = 5_000;

export interface Runtime {
  readonly deps: HttpDeps;
  readonly store: Store;
  close(): Promise<void>;
}

function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'operator';
  }
}

/** The operator running the server, to whom its own changes (first start, retention) are attributed. */
function operatorContext(): RequestContext {
  return { actor: { kind: 'operator', name: operatorName() }, ipAddress: null, userAgent: null, endpoint: null, requestId: null };
}

/** The key that seals stored secrets: a file beside the database, never in it, made on first use. */
function secretsKey(dataDir: string): Buffer {
  const file = join(dataDir, 'secrets.key');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = readFileSync(file);
  if (key.length !== 32) throw new ConfigError(`${file} must hold exactly 32 bytes.`);
  return key;
}

/** fastify's trustProxy from SECTRAIL_TRUSTED_PROXIES: those addresses or ranges, else nobody. */
export function trustProxyOf(config: Config): string[] | false {
  return config.trustedProxies.length > 0 ? [...config.trustedProxies] : false;
}

/** The store the configuration names: PostgreSQL for DATABASE_URL, else the embedded SQLite file. */
export async function openStore(config: Config, clock: Clock, clockInjected = false): Promise<Store> {
  if (config.databaseUrl !== null) {
    // Events take the database's time, so that servers agree, unless a test or demo set the clock.
    const useDatabaseClock = config.clockStartMs === null && !clockInjected;
    return PostgresStore.open({ connectionString: config.databaseUrl, clock, useDatabaseClock });
  }
  return SqliteStore.open({ path: config.sqlitePath, clock });
}

export async function openRuntime(
  config: Config,
  onError: (error: unknown) => void = () => {},
  // Tests that move time by hand (session expiry, login throttling) pass their own clock.
  injectedClock?: Clock,
): Promise<Runtime> {
  const clock = injectedClock ?? new SystemClock(config.clockStartMs ?? undefined);
  const store = await openStore(config, clock, injectedClock !== undefined);
  const pageTokenKey = await store.transact((tx) => tx.setting('page-token-key', () => randomBytes(32)));
  const sealer = new AesGcmSecretSealer(secretsKey(config.dataDir));
  // Every request made on an org's behalf goes out through here, the operator's Google issuer too.
  const outbound = new OutboundGateway({ policy: config.destinationPolicy });
  const deps: HttpDeps = {
    sealer,
    googleConfigured: config.google !== null,
    google: config.google,
    destinations: outbound,
    oidc: new OpenidClientAdapter(outbound.fetch),
    store,
    clock,
    pageTokenKey,
    baseDomain: config.baseDomain,
    rateLimitPerMinute: config.rateLimitPerMinute,
    publicUrl: config.publicUrl,
  };
  return {
    deps,
    store,
    close: async () => {
      // Every window still open is written now, cut short, rather than left for the next start.
      await flushFailureWindows({ store, clock }, Number.MAX_SAFE_INTEGER).catch(onError);
      await outbound.close();
      await store.close();
    },
  };
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly url: string;
  close(): Promise<void>;
}

/** Opens the store, bootstraps an empty one, and listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  let app: FastifyInstance | null = null;
  const runtime = await openRuntime(config, (error) => app?.log.error({ err: error }, 'writing a failure event failed'));
  if (config.bootstrap) {
    const context = { ...operatorContext(), endpoint: 'cli: sectrail serve (first start)' };
    const credentials = await bootstrapIfEmpty(runtime.deps, context);
    if (credentials !== null) {
      const file = join(config.dataDir, 'bootstrap.txt');
      writeFileSync(file, bootstrapFileText(credentials), { mode: 0o600 });
      // The mode above applies only to a new file; a leftover one must not stay readable.
      chmodSync(file, 0o600);
      process.stdout.write(`First start: created org "demo". These credentials are shown once and kept in ${file} (mode 0600):\n`);
      process.stdout.write(bootstrapFileText(credentials));
    }
  }
  const retentionContext = { ...operatorContext(), endpoint: 'cli: sectrail serve (retention)' };
  const retention = new PeriodicTask(
    async () => {
      for (const entry of await applyRetention(runtime.deps, retentionContext, config.retentionDays)) {
        app?.log.info({ retention: entry }, 'purged events older than the retention window');
      }
      await forgetLapsedThrottles(runtime.deps);
    },
    RETENTION_INTERVAL_MS,
    (error) => app?.log.error({ err: error }, 'applying retention failed; it is tried again within the hour'),
  );
  const failureSweep = new PeriodicTask(
    async () => {
      await flushFailureWindows(runtime.deps);
    },
    FAILURE_SWEEP_INTERVAL_MS,
    (error) => app?.log.error({ err: error }, 'writing folded sign-in failures failed; tried again in 5 s'),
  );
  const signer = new FileSigner(config.signingKeyPath);
  await publishSigningKey({ store: runtime.store, clock: runtime.deps.clock, signer });
  const sealingDeps = { store: runtime.store, clock: runtime.deps.clock, signer, sealGraceSeconds: config.sealGraceSeconds };
  const sealing = new PeriodicTask(
    async () => {
      // One server at a time seals (an advisory lock on PostgreSQL); the others skip this tick.
      for (const digest of (await runtime.store.alone('sealing', () => sealDueDays(sealingDeps))) ?? []) {
        app?.log.info({ seal: { orgId: digest.orgId, date: digest.date, treeSize: digest.treeSize } }, 'sealed a day');
      }
    },
    SEAL_INTERVAL_MS,
    (error) => app?.log.error({ err: error }, 'sealing failed; it is tried again in 15 s'),
  );
  const https = config.tls && { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) };
  app = await buildServer(runtime.deps, {
    logger: loggerOptions(config.logLevel),
    trustProxy: trustProxyOf(config),
    https,
    version: VERSION,
  });
  for (const warning of runtime.store.warnings) app.log.warn(warning);
  app.log.info({ outbound: describeDestinationPolicy(config.destinationPolicy) }, 'requests made on behalf of orgs may reach these addresses (SECTRAIL_ALLOW_PRIVATE_DESTINATIONS)');
  // The console's files are built now, so the first page is served at once and a broken build
  // shows at start; the API does not wait on it.
  const assets = await consoleAssets();
  app.log.info({ console: Object.fromEntries([...assets.files].map(([name, file]) => [name, file.body.length])) }, 'built the web console');
  const address = await app.listen({ host: config.host, port: config.port });
  // In the background: a first purge of a long-unpurged store must not hold up the start.
  // Sealing first: retention then never meets a day it could purge before its digest exists.
  void sealing.start().then(() => retention.start());
  void failureSweep.start();
  const server = app;
  return {
    app: server,
    url: address,
    close: async () => {
      await server.close();
      await failureSweep.stop();
      await retention.stop();
      await sealing.stop();
      await runtime.close();
    },
  };
}

/**
 * Serves until SIGINT or SIGTERM, then stops: new connections refused, requests under way
 * answered, sealing and retention stopped, the store closed; the log says when it begins and ends.
 * A second signal while stopping is ignored: a terminal's Ctrl-C reaches the server both
 * directly and through `npm start`, which passes it on.
 */
async function serveUntilSignalled(config: Config): Promise<void> {
  const server = await startServer(config);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      server.app.log.info(`received ${signal}: stopping`);
      const stopped = () => {
        // Stopped: a later signal may end the process the default way, whatever is left.
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      server.close().then(
        () => {
          server.app.log.info('stopped');
          stopped();
        },
        (error: unknown) => {
          server.app.log.error({ err: error }, 'shutdown failed');
          stopped();
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  const err = (line: string) => process.stderr.write(`${line}\n`);
  // Read when a command needs it, so that help and usage errors work whatever the environment.
  let config: Config | null = null;
  const configured = (): Config => (config ??= readConfig());
  const program = buildProgram(
    {
      operatorName: operatorName(),
      out: (line) => process.stdout.write(`${line}\n`),
      serve: () => serveUntilSignalled(configured()),
      openPlatform: async () => {
        const runtime = await openRuntime(configured());
        return { deps: runtime.deps, close: () => runtime.close() };
      },
      rotateSigningKey: (nowMs) => rotateSigningKeyFile(configured().signingKeyPath, nowMs),
    },
    VERSION,
  );
  try {
    return await runProgram(program, argv, err);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    err(`configuration error: ${error.message}`);
    return 2;
  }
}

// Configuration, read from the environment once and validated: a bad value stops the start with a
// message that names the variable, instead of surfacing later as a strange failure.
import { resolve } from 'node:path';
import {
  ALLOW_ALL_DESTINATIONS,
  GLOBAL_DESTINATIONS_ONLY,
  isLoopbackHost,
  parseDestinationPolicy,
  type DestinationPolicy,
} from './core/destination-policy.ts';
import { normalisedIssuer } from './core/auth-settings-rules.ts';
import { DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS } from './core/retention.ts';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly sqlitePath: string;
  readonly databaseUrl: string | null;
  readonly tls: { readonly certFile: string; readonly keyFile: string } | null;
  readonly bootstrap: boolean;
  readonly baseDomain: string;
  readonly rateLimitPerMinute: number;
  readonly clockStartMs: number | null;
  readonly sealGraceSeconds: number;
  /** Whole UTC days before today that the trail keeps; older days are purged (and the purge logged). */
  readonly retentionDays: number;
  /** The Ed25519 private key (PEM) that signs sealed days; made on the server's first start. */
  readonly signingKeyPath: string;
  readonly trustedProxies: readonly string[];
  readonly logLevel: string;
  /** The operator's Google OAuth client, enabling an org's googleOAuth setting; null when unset. */
  readonly google: { readonly clientId: string; readonly clientSecret: string; readonly issuer: string } | null;
  /** Where people reach this server (links in invitations, SSO callbacks), without a trailing slash; null: the request's origin. */
  readonly publicUrl: string | null;
  /** Which addresses the server may connect to on an org's behalf (SSO providers, later log streams). */
  readonly destinationPolicy: DestinationPolicy;
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}; got ${JSON.stringify(raw)}.`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be 1 or 0; got ${JSON.stringify(env[name])}.`);
}

function instant(env: Env, name: string): number | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const ms = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(ms)) {
    throw new ConfigError(`${name} must be an ISO 8601 instant such as 2025-05-17T23:59:00Z; got ${JSON.stringify(raw)}.`);
  }
  return ms;
}

function tls(env: Env): Config['tls'] {
  const certFile = env['TLS_CERT'];
  const keyFile = env['TLS_KEY'];
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) throw new ConfigError('TLS_CERT and TLS_KEY go together: set both or neither.');
  return { certFile, keyFile };
}

function databaseUrl(env: Env): string | null {
  const raw = env['DATABASE_URL'];
  if (raw === undefined || raw === '') return null;
  if (!/^postgres(ql)?:\/\/./.test(raw)) throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL.');
  return raw;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevel(env: Env): string {
  const level = env['LOG_LEVEL'] || 'info';
  if (!LOG_LEVELS.includes(level)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got ${JSON.stringify(level)}.`);
  return level;
}

function google(env: Env): Config['google'] {
  const clientId = env['SECTRAIL_GOOGLE_CLIENT_ID'];
  if (!clientId) return null;
  const clientSecret = env['SECTRAIL_GOOGLE_CLIENT_SECRET'];
  if (!clientSecret) throw new ConfigError('SECTRAIL_GOOGLE_CLIENT_ID needs SECTRAIL_GOOGLE_CLIENT_SECRET.');
  // The same rules as an org's own SSO issuers: printable, https (http on loopback), normalised.
  let issuer: string;
  try {
    issuer = normalisedIssuer(env['SECTRAIL_GOOGLE_ISSUER'] || 'https://accounts.google.com', 'SECTRAIL_GOOGLE_ISSUER');
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  if (CONTROL.test(clientId)) throw new ConfigError('SECTRAIL_GOOGLE_CLIENT_ID must not contain control characters.');
  return { clientId, clientSecret, issuer };
}

function publicUrl(env: Env): string | null {
  const raw = env['SECTRAIL_PUBLIC_URL'];
  if (raw === undefined || raw === '') return null;
  let url: URL | null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (url === null || !['http:', 'https:'].includes(url.protocol) || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigError(`SECTRAIL_PUBLIC_URL must be an http(s) URL without query, fragment or credentials, such as https://sectrail.example.com; got ${JSON.stringify(raw)}.`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** SECTRAIL_ALLOW_PRIVATE_DESTINATIONS; unset, private destinations are allowed only to a server listening on loopback (a developer's machine). */
function destinationPolicy(env: Env, host: string): DestinationPolicy {
  const name = 'SECTRAIL_ALLOW_PRIVATE_DESTINATIONS';
  const raw = env[name];
  if (raw === undefined || raw === '') return isLoopbackHost(host) ? ALLOW_ALL_DESTINATIONS : GLOBAL_DESTINATIONS_ONLY;
  try {
    return parseDestinationPolicy(raw);
  } catch (error) {
    const problem = error instanceof RangeError ? error.message : String(error);
    throw new ConfigError(`${name} must be true, false or a comma-separated list of CIDR ranges such as 10.0.0.0/8,fd00::/8; ${problem}.`);
  }
}

export function readConfig(env: Env = process.env): Config {
  const dataDir = resolve(env['SECTRAIL_DATA_DIR'] || 'data');
  const host = env['HOST'] || '127.0.0.1';
  return {
    host,
    port: integer(env, 'PORT', 8080, 0, 65_535),
    dataDir,
    sqlitePath: resolve(dataDir, 'sectrail.db'),
    databaseUrl: databaseUrl(env),
    tls: tls(env),
    bootstrap: flag(env, 'SECTRAIL_BOOTSTRAP', true),
    baseDomain: (env['SECTRAIL_BASE_DOMAIN'] || 'localhost').toLowerCase(),
    rateLimitPerMinute: integer(env, 'SECTRAIL_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    clockStartMs: instant(env, 'SECTRAIL_CLOCK_START'),
    sealGraceSeconds: integer(env, 'SECTRAIL_SEAL_GRACE_SECONDS', 300, 0, 86_400),
    signingKeyPath: resolve(dataDir, env['SECTRAIL_SIGNING_KEY'] || 'signing-key.pem'),
    retentionDays: integer(env, 'SECTRAIL_RETENTION_DAYS', DEFAULT_RETENTION_DAYS, 1, MAX_RETENTION_DAYS),
    trustedProxies: (env['SECTRAIL_TRUSTED_PROXIES'] ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.length > 0),
    logLevel: logLevel(env),
    google: google(env),
    publicUrl: publicUrl(env),
    destinationPolicy: destinationPolicy(env, host),
  };
}

// Name resolution under the destination policy: a host is allowed only when every address it
// resolves to is, and net.connect gets a lookup that answers nothing else, so a refused address
// is never dialled whatever the DNS says at that moment.
import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { addressVerdict, parseAddress, type DestinationPolicy } from '../core/destination-policy.ts';
import { DestinationRefusedError } from '../core/ports/destination-check.ts';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address of a name; tests inject one whose answers change (DNS rebinding). */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) =>
  (await dns.lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

const RESOLVE_TIMEOUT_MS = 5_000;
/** getaddrinfo's answers for a name that does not exist (as opposed to a resolver that failed). */
const NO_SUCH_NAME = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA']);

export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEOUT' }));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

function unresolved(host: string, error: unknown): DestinationRefusedError {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NO_SUCH_NAME.has(code)) return new DestinationRefusedError(host, null, 'does not resolve');
  return new DestinationRefusedError(host, null, `could not be resolved (${typeof code === 'string' ? code : 'lookup failed'})`);
}

/** `host` itself when it is an allowed IP literal; null for a name; throws when the literal is refused. */
export function allowedLiteral(host: string, policy: DestinationPolicy): ResolvedAddress | null {
  const bare = stripBrackets(host);
  const literal = parseAddress(bare);
  if (literal === null) return null;
  const verdict = addressVerdict(bare, policy);
  if (!verdict.allowed) throw new DestinationRefusedError(host, bare, `is ${verdict.reason}`);
  return { address: bare, family: literal.kind() === 'ipv6' ? 6 : 4 };
}

/**
 * The addresses of `host`, each allowed by the policy; throws DestinationRefusedError naming the
 * first refused one, or when the name does not resolve. An IP literal is checked without a lookup.
 */
export async function resolveAllowed(host: string, policy: DestinationPolicy, resolve: HostResolver): Promise<readonly ResolvedAddress[]> {
  const literal = allowedLiteral(host, policy);
  if (literal !== null) return [literal];
  const bare = stripBrackets(host);
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await withTimeout(resolve(bare), RESOLVE_TIMEOUT_MS);
  } catch (error) {
    throw unresolved(host, error);
  }
  if (addresses.length === 0) throw new DestinationRefusedError(host, null, 'does not resolve');
  for (const { address } of addresses) {
    const verdict = addressVerdict(address, policy);
    if (!verdict.allowed) throw new DestinationRefusedError(host, address, `resolves to ${verdict.reason}`);
  }
  return addresses;
}

/** A `lookup` for net.connect that answers only allowed addresses, and fails when any is refused. */
export function guardedLookup(policy: DestinationPolicy, resolve: HostResolver): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolveAllowed(hostname, policy, resolve).then(
      (addresses) => {
        const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
        const fitting: LookupAddress[] = addresses.filter((entry) => family === 0 || entry.family === family).map((entry) => ({ ...entry }));
        const first = fitting[0];
        if (first === undefined) {
          callback(Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' }), '', 0);
        } else if (options.all === true) {
          callback(null, fitting);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: unknown) => {
        callback(error as NodeJS.ErrnoException, '', 0);
      },
    );
  };
}

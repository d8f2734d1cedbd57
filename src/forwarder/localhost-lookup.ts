// Name resolution for the CLI's own requests: `localhost` and every `*.localhost` name are the
// loopback address (RFC 6761), answered here as curl does, because many system resolvers do not
// know `demo.localhost`; every other name goes to the system resolver.
import { lookup as systemLookup, type LookupAddress, type LookupOptions } from 'node:dns';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

const LOOPBACK: readonly LookupAddress[] = [
  { address: '127.0.0.1', family: 4 },
  { address: '::1', family: 6 },
];

/** True for `localhost` and its subdomains, in any case, with or without the root's trailing dot. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

function familyOf(options: LookupOptions): 4 | 6 | null {
  const { family } = options;
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return null;
}

/**
 * A `lookup` for net.connect and undici's connector, with dns.lookup's contract: one address, or
 * every address with `all`. IPv4 comes first, as curl tries it, so a server listening on
 * 127.0.0.1 alone (the default) answers at once.
 */
export function localhostLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  if (!isLocalhostName(hostname)) {
    systemLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error !== null || options.all === true) callback(error, addresses);
      else callback(null, addresses[0]?.address ?? '', addresses[0]?.family);
    });
    return;
  }
  const family = familyOf(options);
  const addresses = LOOPBACK.filter((entry) => family === null || entry.family === family);
  const first = addresses[0] as LookupAddress;
  if (options.all === true) callback(null, addresses.map((entry) => ({ ...entry })));
  else callback(null, first.address, first.family);
}

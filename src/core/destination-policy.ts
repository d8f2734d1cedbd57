// Which addresses the server may connect to on an org's behalf: global unicast only, unless the
// operator allows private destinations (all of them, or listed ranges). Addresses in, verdicts out.
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface DestinationPolicy {
  /** Every address is allowed (`SECTRAIL_ALLOW_PRIVATE_DESTINATIONS=true`). */
  readonly allowAll: boolean;
  /** Ranges allowed besides global unicast addresses, as the operator wrote them (`10.0.0.0/8`). */
  readonly allowedRanges: readonly string[];
}

export const ALLOW_ALL_DESTINATIONS: DestinationPolicy = { allowAll: true, allowedRanges: [] };
export const GLOBAL_DESTINATIONS_ONLY: DestinationPolicy = { allowAll: false, allowedRanges: [] };

export type Verdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

const ALLOWED: Verdict = { allowed: true };

/** NAT64's well-known prefix (RFC 6052): the last 32 bits are the IPv4 address the gateway dials. */
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
/** IANA's global unicast space; everything outside it (IPv4-compatible ::a.b.c.d included) is special. */
const IPV6_GLOBAL = ipaddr.IPv6.parseCIDR('2000::/3');

/** Why an address of ipaddr.js's named range is refused; unnamed special ranges share one wording. */
const RANGE_REASONS: Readonly<Record<string, string>> = {
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address (100.64.0.0/10)',
  private: 'a private address (RFC 1918)',
  uniqueLocal: 'a private address (fc00::/7)',
  deprecatedSiteLocal: 'a site-local address (fec0::/10)',
  reserved: 'a reserved or documentation address',
  rfc6145: 'an IPv4-translated address (::ffff:0:0:0/96)',
  rfc6052: 'a NAT64 local-use address (64:ff9b:1::/48)',
  '6to4': 'a 6to4 address (2002::/16)',
  teredo: 'a Teredo address (2001::/32)',
};

/** An IP literal (IPv6 possibly bracketed, as in a URL) parsed, or null for a name. Only dotted quads count as IPv4. */
export function parseAddress(text: string): Address | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (ipaddr.IPv6.isValid(bare)) return ipaddr.IPv6.parse(bare);
  return null;
}

/**
 * The address a connection to `address` really reaches: an IPv4-mapped IPv6 address is its IPv4
 * address (the kernel dials it), and so is one under NAT64's well-known prefix (the gateway
 * does). Other IPv4-embedding forms (6to4, Teredo, IPv4-compatible, IPv4-translated, NAT64's
 * local-use prefix) are not unwrapped: they are refused as they are.
 */
function effective(address: Address): Address {
  if (address.kind() === 'ipv4') return address;
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  if (v6.match(NAT64_WELL_KNOWN)) {
    const bytes = v6.toByteArray().slice(12);
    return new ipaddr.IPv4(bytes);
  }
  return v6;
}

/** Why an address is not global unicast, or null when it is. */
function specialReason(address: Address): string | null {
  const range = address.range();
  if (range === 'unicast') {
    if (address.kind() === 'ipv6' && !address.match(IPV6_GLOBAL)) return 'an address outside IPv6 global unicast (2000::/3)';
    return null;
  }
  return RANGE_REASONS[range] ?? `a special-purpose address (${range})`;
}

function inRange(address: Address, cidr: string): boolean {
  const [network, bits] = ipaddr.parseCIDR(cidr);
  return address.kind() === network.kind() && address.match(network, bits);
}

/** Whether the policy lets the server connect to `address` (an IP literal), and if not, why. */
export function addressVerdict(text: string, policy: DestinationPolicy): Verdict {
  if (policy.allowAll) return ALLOWED;
  const address = parseAddress(text);
  if (address === null) return { allowed: false, reason: 'not an IP address' };
  const target = effective(address);
  if (policy.allowedRanges.some((cidr) => inRange(address, cidr) || inRange(target, cidr))) return ALLOWED;
  const reason = specialReason(target);
  if (reason === null) return ALLOWED;
  return { allowed: false, reason };
}

/** `localhost` or a loopback address: where a developer's server listens. */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const address = parseAddress(host);
  return address !== null && effective(address).range() === 'loopback';
}

/** One allow-list entry, checked: a CIDR range written from its network address. */
function checkedRange(entry: string): string {
  const v4 = ipaddr.IPv4.isValidCIDRFourPartDecimal(entry);
  if (!v4 && !ipaddr.IPv6.isValidCIDR(entry)) throw new RangeError(`${JSON.stringify(entry)} is not a CIDR range`);
  const [address, bits] = ipaddr.parseCIDR(entry);
  const network = v4 ? ipaddr.IPv4.networkAddressFromCIDR(entry) : ipaddr.IPv6.networkAddressFromCIDR(entry);
  if (network.toString() !== address.toString()) {
    throw new RangeError(`${entry} has bits set beyond its /${bits} prefix (write ${network.toString()}/${bits})`);
  }
  return entry;
}

/** `true`, `false`, or a comma-separated list of CIDR ranges; a RangeError says what is wrong. */
export function parseDestinationPolicy(text: string): DestinationPolicy {
  const value = text.trim().toLowerCase();
  if (value === 'true') return ALLOW_ALL_DESTINATIONS;
  if (value === 'false') return GLOBAL_DESTINATIONS_ONLY;
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.some((entry) => entry.length === 0)) throw new RangeError('an empty entry in the list');
  return { allowAll: false, allowedRanges: entries.map(checkedRange) };
}

/** The policy in words, for the server's start-up log. */
export function describeDestinationPolicy(policy: DestinationPolicy): string {
  if (policy.allowAll) return 'any address';
  if (policy.allowedRanges.length === 0) return 'global unicast addresses only';
  return `global unicast addresses and ${policy.allowedRanges.join(', ')}`;
}

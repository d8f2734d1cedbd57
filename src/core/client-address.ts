// Which client a request counts against for rate limits and flood protection. An IPv6 client
// commonly holds a whole /64, so its addresses count as one; an IPv4-mapped address is its IPv4.
import ipaddr from 'ipaddr.js';

/** The key a client address is counted under: the IPv4 address, or the IPv6 /64 that holds it. */
export function clientAddressKey(address: string): string {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    // Not an address (a unix socket, an injected request): counted as the text it is.
    return address;
  }
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}

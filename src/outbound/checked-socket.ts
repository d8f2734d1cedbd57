// A TCP connection the destination policy has checked twice: the name is resolved through the
// guarded lookup (a refused address is never dialled), and the address actually connected is
// checked again before the caller, TLS included, may write a byte.
import { connect, type Socket } from 'node:net';
import { addressVerdict, type DestinationPolicy } from '../core/destination-policy.ts';
import { DestinationRefusedError } from '../core/ports/destination-check.ts';
import { allowedLiteral, guardedLookup, stripBrackets, type HostResolver } from './host-resolver.ts';

export interface CheckedConnectOptions {
  readonly host: string;
  readonly port: number;
  readonly policy: DestinationPolicy;
  readonly resolve: HostResolver;
  /** How long the lookup and the TCP handshake may take together. */
  readonly timeoutMs: number;
}

/**
 * Checks the address a connected socket reached; destroys the socket and answers the refusal when
 * the policy refuses it (or when the socket no longer knows its peer), else null.
 */
export function verifyConnected(socket: Socket, host: string, policy: DestinationPolicy): DestinationRefusedError | null {
  const address = socket.remoteAddress;
  const verdict = address === undefined ? { allowed: false as const, reason: 'not connected' } : addressVerdict(address, policy);
  if (verdict.allowed) return null;
  socket.destroy();
  return new DestinationRefusedError(host, address ?? null, `connected to ${verdict.reason}`);
}

/** Opens a TCP connection to host:port under the policy; rejects with DestinationRefusedError when refused. */
export async function connectChecked(options: CheckedConnectOptions): Promise<Socket> {
  const host = stripBrackets(options.host);
  // An IP literal skips net's lookup: check it here, so that not even a SYN reaches a refused one.
  allowedLiteral(host, options.policy);
  return new Promise<Socket>((resolve, reject) => {
    const socket = connect({ host, port: options.port, lookup: guardedLookup(options.policy, options.resolve) });
    const timer = setTimeout(() => {
      socket.destroy(Object.assign(new Error(`connecting to ${host}:${options.port} took over ${options.timeoutMs} ms`), { code: 'UND_ERR_CONNECT_TIMEOUT' }));
    }, options.timeoutMs);
    const failed = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    socket.once('error', failed);
    socket.once('connect', () => {
      clearTimeout(timer);
      const refused = verifyConnected(socket, host, options.policy);
      if (refused !== null) {
        reject(refused);
        return;
      }
      socket.off('error', failed);
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 60_000);
      resolve(socket);
    });
  });
}

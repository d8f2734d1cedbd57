// The one way out for requests the server makes on an org's behalf (SSO discovery, token and
// userinfo endpoints; log-stream destinations): every connection, redirects included, is checked
// against the destination policy on the address actually dialled, so DNS rebinding gains nothing.
import type { Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { parseAddress, type DestinationPolicy } from '../core/destination-policy.ts';
import type { DestinationCheck } from '../core/ports/destination-check.ts';
import { connectChecked } from './checked-socket.ts';
import { resolveAllowed, systemResolver, type HostResolver } from './host-resolver.ts';

const CONNECT_TIMEOUT_MS = 10_000;

export interface OutboundGatewayOptions {
  readonly policy: DestinationPolicy;
  /** The system's resolver by default; tests inject one whose answers change between calls. */
  readonly resolve?: HostResolver;
  /** TLS options for every TLS connection (tests give their own `ca`). */
  readonly tls?: Pick<ConnectionOptions, 'ca'>;
}

export interface RawConnectOptions {
  readonly host: string;
  readonly port: number;
  /** Speak TLS over the checked connection; `servername` defaults to the host (not for an IP). */
  readonly tls?: Pick<ConnectionOptions, 'ca' | 'servername' | 'rejectUnauthorized'>;
}

/** fetch's options, each of which may be given as undefined (openid-client's customFetch does). */
export type GuardedRequestInit = { readonly [K in keyof RequestInit]?: RequestInit[K] | undefined };

/** fetch's signature with the global Response type, which openid-client expects. */
export type GuardedFetch = (input: string | URL, init?: GuardedRequestInit) => Promise<Response>;

export class OutboundGateway implements DestinationCheck {
  private readonly policy: DestinationPolicy;
  private readonly resolve: HostResolver;
  private readonly tls: Pick<ConnectionOptions, 'ca'>;
  private readonly agent: Agent;

  constructor(options: OutboundGatewayOptions) {
    this.policy = options.policy;
    this.resolve = options.resolve ?? systemResolver;
    this.tls = options.tls ?? {};
    // undici's own connector does the TLS part (sessions, ALPN, SNI) over a socket checked first.
    const upgrade = buildConnector({ timeout: CONNECT_TIMEOUT_MS, ...this.tls });
    this.agent = new Agent({
      connect: (connectOptions, callback) => {
        const secure = connectOptions.protocol === 'https:';
        const port = Number(connectOptions.port) || (secure ? 443 : 80);
        this.tcp(connectOptions.hostname, port).then(
          (socket) => {
            if (secure) upgrade({ ...connectOptions, httpSocket: socket }, callback);
            else callback(null, socket);
          },
          (error: unknown) => {
            callback(error instanceof Error ? error : new Error(String(error)), null);
          },
        );
      },
    });
  }

  private tcp(host: string, port: number): Promise<Socket> {
    return connectChecked({ host, port, policy: this.policy, resolve: this.resolve, timeoutMs: CONNECT_TIMEOUT_MS });
  }

  async checkHost(host: string): Promise<void> {
    if (this.policy.allowAll) return;
    await resolveAllowed(host, this.policy, this.resolve);
  }

  /**
   * fetch through the checked connections. A refused destination rejects like an unreachable one
   * (a TypeError "fetch failed") whose `cause` is the DestinationRefusedError.
   */
  readonly fetch: GuardedFetch = async (input, init) => {
    const response = await undiciFetch(input, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: this.agent });
    return response as unknown as Response;
  };

  /** A raw TCP (or TLS) connection for destinations that are not HTTP, such as syslog. */
  connect(options: RawConnectOptions & { readonly tls: NonNullable<RawConnectOptions['tls']> }): Promise<TLSSocket>;
  connect(options: RawConnectOptions): Promise<Socket | TLSSocket>;
  async connect(options: RawConnectOptions): Promise<Socket | TLSSocket> {
    const socket = await this.tcp(options.host, options.port);
    if (options.tls === undefined) return socket;
    // SNI carries names only, never an IP literal.
    const servername = options.tls.servername ?? (parseAddress(options.host) === null ? options.host : undefined);
    return new Promise<TLSSocket>((resolve, reject) => {
      const secure = tlsConnect({ ...this.tls, ...options.tls, socket, ...(servername === undefined ? {} : { servername }) });
      const timer = setTimeout(() => secure.destroy(new Error(`the TLS handshake with ${options.host} took over ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      const failed = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      secure.once('error', failed);
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        secure.off('error', failed);
        resolve(secure);
      });
    });
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

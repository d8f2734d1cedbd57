// The check a use case runs before it saves a host the server will contact later on an org's
// behalf (an SSO issuer; a log stream's destination): the destination policy applied to every
// address the host resolves to. The same policy is applied again to every connection made.

/** Refused by the destination policy, or not resolvable; `reason` may be shown to the org's admin. */
export class DestinationRefusedError extends Error {
  override readonly name = 'DestinationRefusedError';

  constructor(
    readonly host: string,
    /** The address refused, for the server's log only: an admin is told the reason, not the address. */
    readonly address: string | null,
    /** Why, without the address: "resolves to a loopback address", "does not resolve". */
    readonly reason: string,
  ) {
    super(`refused to connect to ${host}${address === null || address === host ? '' : ` (${address})`}: it ${reason}`);
  }
}

export interface DestinationCheck {
  /**
   * Resolves when the server may connect to `host` (a name, or an IP literal, IPv6 bracketed or
   * not): every address it resolves to is allowed. Rejects with DestinationRefusedError when one
   * is not, or when the name does not resolve. Never connects to the host. When the policy allows
   * every address, it resolves at once, without a lookup.
   */
  checkHost(host: string): Promise<void>;
}

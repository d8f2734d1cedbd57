// Where the forwarder delivers: a sink takes a batch of formatted lines and resolves only once
// they are durably handed over (written and synced, acknowledged by the receiver).
export interface DeliveryLine {
  /** The event's UTC date, `YYYY-MM-DD`. */
  readonly date: string;
  readonly seq: number;
  readonly id: string;
  /** The event in the chosen format, one line, without the newline. */
  readonly text: string;
  /** The same line as UTF-8 bytes, when it was made as bytes: sinks that write bytes take these rather than encode the text again. */
  readonly utf8?: Uint8Array;
  /** The event as served (native), for sinks that frame or index by its fields. */
  readonly event: Readonly<Record<string, unknown>>;
}

export interface Sink {
  deliver(lines: readonly DeliveryLine[]): Promise<void>;
  /**
   * Keeps a sealed day's signed digest beside its events, where the sink can (so the digests are
   * held outside the server too, and the day can be verified from the sink's copy alone).
   */
  keepDigest?(date: string, digest: unknown): Promise<void>;
  close(): Promise<void>;
}

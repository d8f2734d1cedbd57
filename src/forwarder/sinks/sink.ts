// Where the forwarder delivers: a sink takes a batch of formatted lines and resolves only once
// they are durably handed over (written and synced, acknowledged by the receiver).
export interface DeliveryLine {
  /** The event's UTC date, `YYYY-MM-DD`. */
  readonly date: string;
  readonly seq: number;
  readonly id: string;
  /** The event in the chosen format, one line, without the newline. */
  readonly text: string;
}

export interface Sink {
  deliver(lines: readonly DeliveryLine[]): Promise<void>;
  close(): Promise<void>;
}

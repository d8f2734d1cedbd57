// How long a client may take to send a request: its headers and its whole body within 30 s, else
// 408 and the connection closed (client-error-handler.ts writes the answer). Node's own timers do
// the counting; they stop once a request has arrived, so a long answer is never cut by them.
export const REQUEST_TIMEOUT_MS = 30_000;

/** Node checks its open requests this often at most: 30 s late at Node's default. */
const MAX_CHECK_INTERVAL_MS = 1_000;
const MIN_CHECK_INTERVAL_MS = 10;

/** Options of Node's http.createServer (and https'). */
export interface RequestTimeoutOptions {
  readonly requestTimeout: number;
  readonly headersTimeout: number;
  readonly connectionsCheckingInterval: number;
}

/**
 * The server options that time out a request arriving too slowly, headers included (a client that
 * opens a connection and trickles its headers holds it no longer than one that trickles its body).
 * Requests are checked every 30th of the timeout, at most every second, so the answer comes within
 * a few percent of it rather than up to a whole check interval late.
 */
export function requestTimeoutOptions(timeoutMs: number): RequestTimeoutOptions {
  const interval = Math.min(MAX_CHECK_INTERVAL_MS, Math.max(MIN_CHECK_INTERVAL_MS, Math.floor(timeoutMs / 30)));
  return { requestTimeout: timeoutMs, headersTimeout: timeoutMs, connectionsCheckingInterval: interval };
}

/** "30 s", "1.5 s", "200 ms": the timeout as a message says it. */
export function describeTimeout(timeoutMs: number): string {
  return timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`;
}

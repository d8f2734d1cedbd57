// The forwarder's one retry rule, for reading the trail and for delivering to HTTP sinks:
// exponential backoff with jitter, or what the other side asked for with Retry-After.
export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The pause after failed attempt `attempt`: Retry-After (at most a minute), else a jittered exponential. */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfter: string | null): number {
  const asked = retryAfter === null ? Number.NaN : Number(retryAfter) * 1000;
  if (Number.isFinite(asked) && asked >= 0) return Math.min(asked, 60_000);
  const ceiling = policy.baseDelayMs * 2 ** (attempt - 1);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

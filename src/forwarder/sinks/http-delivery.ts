// One HTTP POST with the forwarder's retry rule: network failures, 429 and 5xx are tried again
// with exponential backoff and jitter (Retry-After honoured), up to `attempts` in all; any other
// answer is returned to the sink, which decides what it means.
import { backoffMs, sleep, type RetryPolicy } from '../retry.ts';

export type { RetryPolicy };

export interface HttpPost {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500 };

export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
}

export async function postWithRetry(request: HttpPost, policy: RetryPolicy = DEFAULT_RETRY): Promise<{ status: number; text: string }> {
  let problem = '';
  for (let attempt = 1; attempt <= policy.attempts; attempt += 1) {
    let retryAfter: string | null = null;
    try {
      const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(60_000) });
      const text = await response.text();
      if (response.status !== 429 && response.status < 500) return { status: response.status, text };
      problem = `${request.url} answered ${String(response.status)}: ${text.slice(0, 200)}`;
      retryAfter = response.headers.get('retry-after');
    } catch (error) {
      const cause = (error as Error).cause;
      problem = `${request.url} could not be reached (${cause instanceof Error ? cause.message : (error as Error).message})`;
    }
    if (attempt < policy.attempts) await sleep(backoffMs(policy, attempt, retryAfter));
  }
  throw new DeliveryError(`${problem}; gave up after ${String(policy.attempts)} attempts`);
}

/** The batch in slices of at most `size`. */
export function slices<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

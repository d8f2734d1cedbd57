// `webhook:<url>`: batches POSTed as JSON `{"events": [...]}`, signed with
// `X-Sectrail-Signature: sha256=<hex HMAC-SHA256 of the body>` keyed by SECTRAIL_WEBHOOK_SECRET;
// any 2xx answer is delivery. The body is escaped as the lines are (JSON.stringify writes C1,
// U+2028 and U+2029 raw) before it is signed.
import { createHmac } from 'node:crypto';
import { cleanJson } from '../../core/control-escapes.ts';
import { DEFAULT_RETRY, DeliveryError, postWithRetry, slices, type RetryPolicy } from './http-delivery.ts';
import type { DeliveryLine, Sink } from './sink.ts';

const EVENTS_PER_REQUEST = 500;

export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class WebhookSink implements Sink {
  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly format: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  async deliver(lines: readonly DeliveryLine[]): Promise<void> {
    for (const slice of slices(lines, EVENTS_PER_REQUEST)) {
      const events = slice.map((line) => (this.format === 'cef' ? line.text : (JSON.parse(line.text) as unknown)));
      const body = cleanJson(JSON.stringify({ events }));
      const headers = { 'content-type': 'application/json', 'x-sectrail-signature': webhookSignature(this.secret, body) };
      const answer = await postWithRetry({ url: this.url, headers, body }, this.retry);
      if (answer.status < 200 || answer.status > 299) throw new DeliveryError(`the webhook answered ${String(answer.status)}: ${answer.text.slice(0, 200)}`);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

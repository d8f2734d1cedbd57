// `elastic:<url>/<index>`: Elasticsearch's `_bulk` API, NDJSON of `{"create":{"_index","_id"}}`
// and the document, `_id` being the event id, so a repeat is refused as a 409 that counts as
// already delivered. Items that fail inside a 200 answer with a retriable status (429, 5xx) are
// sent again, alone; any other item failure fails the batch. ELASTIC_API_KEY, when set, is sent
// as `Authorization: ApiKey …`. Each NDJSON line is escaped as the lines are (JSON.stringify
// writes C1, U+2028 and U+2029 raw).
import { cleanJson } from '../../core/control-escapes.ts';
import { backoffMs, sleep } from '../retry.ts';
import { DEFAULT_RETRY, DeliveryError, postWithRetry, slices, type RetryPolicy } from './http-delivery.ts';
import type { DeliveryLine, Sink } from './sink.ts';

const EVENTS_PER_REQUEST = 500;

interface BulkItem {
  readonly create?: { readonly status: number; readonly error?: unknown };
}

export class ElasticSink implements Sink {
  constructor(
    private readonly url: string,
    private readonly index: string,
    private readonly format: string,
    private readonly apiKey: string | null,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  private document(line: DeliveryLine): string {
    return this.format === 'cef' ? cleanJson(JSON.stringify({ message: line.text, '@timestamp': line.event['timestamp'] })) : line.text;
  }

  private async bulk(lines: readonly DeliveryLine[]): Promise<DeliveryLine[]> {
    const body = lines.map((line) => `${cleanJson(JSON.stringify({ create: { _index: this.index, _id: line.id } }))}\n${this.document(line)}\n`).join('');
    const headers: Record<string, string> = { 'content-type': 'application/x-ndjson', ...(this.apiKey === null ? {} : { authorization: `ApiKey ${this.apiKey}` }) };
    const answer = await postWithRetry({ url: `${this.url}/_bulk`, headers, body }, this.retry);
    if (answer.status !== 200) throw new DeliveryError(`Elasticsearch _bulk answered ${String(answer.status)}: ${answer.text.slice(0, 200)}`);
    const items = (JSON.parse(answer.text) as { items?: BulkItem[] }).items ?? [];
    if (items.length !== lines.length) throw new DeliveryError(`Elasticsearch _bulk answered ${String(items.length)} items for ${String(lines.length)} documents`);
    const again: DeliveryLine[] = [];
    items.forEach((item, index) => {
      const status = item.create?.status ?? 0;
      const line = lines[index] as DeliveryLine;
      // 201 created; 409: a document with this id (this event) is there already.
      if (status === 201 || status === 200 || status === 409) return;
      if (status === 429 || status >= 500) again.push(line);
      else throw new DeliveryError(`Elasticsearch refused event ${line.id} (seq ${String(line.seq)}) with ${String(status)}: ${JSON.stringify(item.create?.error ?? null).slice(0, 300)}`);
    });
    return again;
  }

  async deliver(lines: readonly DeliveryLine[]): Promise<void> {
    for (const slice of slices(lines, EVENTS_PER_REQUEST)) {
      let pending: DeliveryLine[] = slice;
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > this.retry.attempts) throw new DeliveryError(`Elasticsearch kept refusing ${String(pending.length)} events with 429 or 5xx items; gave up after ${String(this.retry.attempts)} attempts`);
        if (attempt > 1) await sleep(backoffMs(this.retry, attempt - 1, null));
        pending = await this.bulk(pending);
      }
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

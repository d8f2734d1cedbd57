// `splunk-hec:<url>`: Splunk's HTTP Event Collector, `POST <url>/services/collector/event` with
// `Authorization: Splunk <token>` (SPLUNK_HEC_TOKEN), events batched as concatenated JSON
// objects `{time, host, source, sourcetype, event}`; a batch is delivered when HEC answers 200.
// Each object is escaped as the lines are (JSON.stringify writes C1, U+2028 and U+2029 raw).
import { hostname } from 'node:os';
import { cleanJson } from '../../core/control-escapes.ts';
import { DEFAULT_RETRY, DeliveryError, postWithRetry, slices, type RetryPolicy } from './http-delivery.ts';
import type { DeliveryLine, Sink } from './sink.ts';

const EVENTS_PER_REQUEST = 500;
const COLLECTOR_PATH = '/services/collector/event';

export function hecUrl(base: string): string {
  const trimmed = base.replace(/\/+$/, '');
  return trimmed.endsWith(COLLECTOR_PATH) ? trimmed : `${trimmed}${COLLECTOR_PATH}`;
}

export class SplunkHecSink implements Sink {
  private readonly url: string;
  private readonly host = hostname();

  constructor(
    base: string,
    private readonly token: string,
    /** `native` and `ocsf` lines are JSON and go as objects; CEF lines go as strings. */
    private readonly format: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.url = hecUrl(base);
  }

  async deliver(lines: readonly DeliveryLine[]): Promise<void> {
    for (const slice of slices(lines, EVENTS_PER_REQUEST)) {
      const body = slice
        .map((line) =>
          cleanJson(JSON.stringify({
            time: Date.parse(String(line.event['timestamp'])) / 1000,
            host: this.host,
            source: 'sectrail',
            sourcetype: `sectrail:${this.format}`,
            event: this.format === 'cef' ? line.text : (JSON.parse(line.text) as unknown),
          })),
        )
        .join('\n');
      const answer = await postWithRetry({ url: this.url, headers: { authorization: `Splunk ${this.token}`, 'content-type': 'application/json' }, body }, this.retry);
      if (answer.status !== 200) throw new DeliveryError(`Splunk HEC answered ${String(answer.status)}: ${answer.text.slice(0, 200)}`);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

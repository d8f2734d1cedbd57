// A minimal client of the security-trail endpoint over node:http on 127.0.0.1, with a keep-alive
// connection, that either counts, hashes or keeps the answer's bytes.
import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';

const PATH = '/api/audit-log/security-trail/';

export interface DayBody {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly pageSize?: number;
  readonly pageToken?: string;
  readonly eventTypes?: readonly string[];
}

export interface Answer {
  readonly status: number;
  readonly bytes: number;
  /** The body's text, only when asked for (or when the status is not 200). */
  readonly text: string | null;
  /** The body's SHA-256, only when asked for. */
  readonly sha256: string | null;
}

export type Keep = 'count' | 'hash' | 'text';

export class TrailClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    private readonly port: number,
    private readonly orgSlug: string,
    private readonly token: string,
  ) {}

  post(body: DayBody, keep: Keep): Promise<Answer> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: this.port,
          path: PATH,
          method: 'POST',
          agent: this.agent,
          headers: {
            host: `${this.orgSlug}.localhost`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            authorization: `Token token=${this.token}`,
          },
        },
        (response) => {
          const status = response.statusCode ?? 0;
          const collect = keep === 'text' || status !== 200;
          const chunks: Buffer[] = [];
          const hash = keep === 'hash' ? createHash('sha256') : null;
          let bytes = 0;
          response.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (collect) chunks.push(chunk);
            hash?.update(chunk);
          });
          response.on('error', reject);
          response.on('end', () => {
            resolve({
              status,
              bytes,
              text: collect ? Buffer.concat(chunks).toString('utf8') : null,
              sha256: hash === null ? null : hash.digest('hex'),
            });
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }

  /**
   * Waits until the server has sealed the day (its answer says complete), so that every measured
   * answer ends alike: a server seals the days it finds due when it starts, in the background.
   */
  async waitUntilSealed(body: DayBody, timeoutMs = 600_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const answer = await this.post({ year: body.year, month: body.month, day: body.day, pageSize: 1 }, 'text');
      if (answer.status === 200 && (JSON.parse(answer.text ?? '{}') as { complete?: boolean }).complete === true) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the day was not sealed in time');
  }

  /** Posts and fails unless the answer is 200. */
  async ok(body: DayBody, keep: Keep): Promise<Answer> {
    const answer = await this.post(body, keep);
    if (answer.status !== 200) throw new Error(`the trail answered ${answer.status}: ${(answer.text ?? '').slice(0, 500)}`);
    return answer;
  }

  close(): void {
    this.agent.destroy();
  }
}

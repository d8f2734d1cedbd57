// HTTP to one life of the server: each request carries its own X-Request-Id (the key that ties
// it to its event) and ends either answered (a status, with the body when it arrived whole) or
// dropped (no status: the connection failed, as it does when the server is killed mid-request).
// A life has its own connection pool, so no request is sent on a socket of a dead server.
import { Agent, request } from 'node:http';

export type Answer =
  | { readonly kind: 'answered'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'dropped'; readonly error: string; readonly atMs: number };

export interface CallOptions {
  readonly token?: string;
  readonly requestId?: string;
  readonly body?: unknown;
}

const REQUEST_TIMEOUT_MS = 30_000;

function parsed(text: string): unknown {
  try {
    return text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

export class LifeConnection {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 16 });

  constructor(readonly port: number) {}

  call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
    if (options.requestId !== undefined) headers['x-request-id'] = options.requestId;
    if (payload !== undefined) headers['content-type'] = 'application/json';
    return new Promise((resolve) => {
      let status: number | null = null;
      const dropped = (error: Error) => {
        // A status already received means the server answered: the change committed before it.
        resolve(status === null ? { kind: 'dropped', error: error.message, atMs: Date.now() } : { kind: 'answered', status, body: null });
      };
      const outgoing = request({ host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent, timeout: REQUEST_TIMEOUT_MS }, (response) => {
        status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', dropped);
        response.once('aborted', () => {
          dropped(new Error('response aborted'));
        });
        response.once('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ kind: 'answered', status: status ?? 0, body: parsed(text) });
        });
      });
      outgoing.once('timeout', () => outgoing.destroy(new Error('timed out')));
      outgoing.once('error', dropped);
      outgoing.end(payload);
    });
  }

  /** A call the harness itself needs (checks, setup): anything but the expected status throws. */
  async json<T>(method: string, path: string, options: CallOptions = {}, expected = 200): Promise<T> {
    const answer = await this.call(method, path, options);
    if (answer.kind === 'dropped') throw new Error(`${method} ${path}: no answer (${answer.error})`);
    if (answer.status !== expected) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

// Requests held back by their last byte and then released together: each is sent over its own
// connection in full but for one byte, so the server has parsed all it can (a body's request has
// even been authenticated); releasing them in one tick makes them arrive at the same moment.
import { connect, type Socket } from 'node:net';

export interface HeldRequestSpec {
  readonly port: number;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Sent as JSON; none for a request without a body. */
  readonly body?: unknown;
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
  /** From the release to the answer's end. */
  readonly elapsedMs: number;
}

export interface HeldRequest {
  /** Sends the last byte; the answer once the server has closed the connection. */
  release(): Promise<RawAnswer>;
}

function requestBytes(spec: HeldRequestSpec): Buffer {
  const body = spec.body === undefined ? null : Buffer.from(JSON.stringify(spec.body), 'utf8');
  const lines = [`${spec.method} ${spec.path} HTTP/1.1`, `connection: close`];
  for (const [name, value] of Object.entries(spec.headers)) lines.push(`${name}: ${value}`);
  if (body !== null) lines.push('content-type: application/json', `content-length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body === null ? head : Buffer.concat([head, body]);
}

function dechunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function parseAnswer(raw: Buffer, elapsedMs: number): RawAnswer {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`not an HTTP answer: ${raw.toString('latin1').slice(0, 200)}`);
  const [statusLine = '', ...headerLines] = raw.subarray(0, split).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers = new Map<string, string>();
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name) ?? ''}\n${value}` : value);
  }
  const rest = raw.subarray(split + 4);
  const body = headers.get('transfer-encoding') === 'chunked' ? dechunked(rest) : rest;
  return { status, headers, body: body.toString('utf8'), elapsedMs };
}

/** Opens the connection and sends all of the request but its last byte. */
export async function holdRequest(spec: HeldRequestSpec): Promise<HeldRequest> {
  const bytes = requestBytes(spec);
  const socket: Socket = connect({ host: '127.0.0.1', port: spec.port });
  const chunks: Buffer[] = [];
  let releasedAt = 0;
  const answered = new Promise<RawAnswer>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      try {
        resolve(parseAnswer(Buffer.concat(chunks), performance.now() - releasedAt));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
  // Until released, a failure would go unheard: keep it for release() to report.
  answered.catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  await new Promise<void>((resolve, reject) => {
    socket.write(bytes.subarray(0, bytes.length - 1), (error) => {
      if (error === undefined || error === null) resolve();
      else reject(error);
    });
  });
  return {
    release: () => {
      releasedAt = performance.now();
      socket.write(bytes.subarray(bytes.length - 1));
      return answered;
    },
  };
}

/**
 * Holds every request, waits for the servers to take in what they can, then releases them all in
 * one tick (or each after its own delay in ms, when given) and answers in the given order.
 */
export async function releaseTogether(specs: readonly HeldRequestSpec[], delays: readonly number[] = []): Promise<RawAnswer[]> {
  const held = await Promise.all(specs.map(holdRequest));
  await new Promise((resolve) => setTimeout(resolve, 40));
  return Promise.all(
    held.map((request, index) => {
      const delay = delays[index] ?? 0;
      if (delay <= 0) return request.release();
      return new Promise<RawAnswer>((resolve, reject) => {
        setTimeout(() => {
          request.release().then(resolve, reject);
        }, delay);
      });
    }),
  );
}

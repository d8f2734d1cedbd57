// A reverse proxy on loopback that forwards every request to a server unchanged (its Host
// included, so the server sees the address the client used) and records both sides, so a test can
// learn every secret a client sent or was given without the client's help.
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedExchange {
  readonly method: string;
  readonly path: string;
  readonly requestHeaders: IncomingHttpHeaders;
  readonly requestBody: string;
  readonly status: number;
  readonly responseHeaders: IncomingHttpHeaders;
  readonly responseBody: string;
}

export interface RecordingProxy {
  readonly port: number;
  readonly exchanges: RecordedExchange[];
  close(): Promise<void>;
}

function bodyOf(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    message.on('error', reject);
  });
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'content-length'];

export async function startRecordingProxy(targetPort: number): Promise<RecordingProxy> {
  const exchanges: RecordedExchange[] = [];
  const server = createServer((incoming, outgoing) => {
    void (async () => {
      const requestBody = await bodyOf(incoming);
      const answer = await new Promise<IncomingMessage>((resolve, reject) => {
        const forwarded = request(
          { host: '127.0.0.1', port: targetPort, method: incoming.method, path: incoming.url, headers: incoming.headers },
          resolve,
        );
        forwarded.on('error', reject);
        forwarded.end(requestBody);
      });
      const responseBody = await bodyOf(answer);
      exchanges.push({
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        requestHeaders: incoming.headers,
        requestBody: requestBody.toString('utf8'),
        status: answer.statusCode ?? 0,
        responseHeaders: answer.headers,
        responseBody: responseBody.toString('utf8'),
      });
      const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.includes(name)));
      outgoing.writeHead(answer.statusCode ?? 502, { ...headers, 'content-length': String(responseBody.length) });
      outgoing.end(responseBody);
    })().catch((error: unknown) => {
      outgoing.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

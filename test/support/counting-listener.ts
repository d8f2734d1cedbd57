// Listeners on a loopback address that count what reaches them, so that a test of the destination
// policy can say "nothing arrived": TCP connections (before any TLS handshake) and, for the raw
// listener, the bytes received.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CountingListener {
  readonly host: string;
  readonly port: number;
  /** scheme://host:port, without a trailing slash. */
  readonly origin: string;
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Bytes received so far (raw listeners only; HTTP servers count connections). */
  readonly bytes: number;
  close(): Promise<void>;
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

export interface TestCertificate {
  readonly cert: string;
  readonly key: string;
}

/** A self-signed certificate for localhost, 127.0.0.1 and the given extra names. */
export function testCertificate(names: readonly string[] = []): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'sectrail-cert-'));
  try {
    const san = ['DNS:localhost', 'IP:127.0.0.1', ...names.map((name) => `DNS:${name}`)].join(',');
    // prettier-ignore
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', `subjectAltName=${san}`,
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function listen(server: Server, host: string, scheme: string, counts: { connections: number; bytes: number }): Promise<CountingListener> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return {
    host,
    port,
    origin: `${scheme}://${host}:${port}`,
    get connections() {
      return counts.connections;
    },
    get bytes() {
      return counts.bytes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** An HTTP server (HTTPS with `tls`) that answers with `handler` and counts connections. */
export function countingHttpServer(handler: Handler, options: { host?: string; tls?: TestCertificate } = {}): Promise<CountingListener> {
  const counts = { connections: 0, bytes: 0 };
  const server = options.tls === undefined ? createHttpServer(handler) : createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler);
  server.on('connection', () => {
    counts.connections += 1;
  });
  return listen(server, options.host ?? '127.0.0.1', options.tls === undefined ? 'http' : 'https', counts);
}

/** A raw TCP listener that keeps what it receives. */
export async function countingTcpServer(options: { host?: string } = {}): Promise<CountingListener & { readonly received: () => string }> {
  const counts = { connections: 0, bytes: 0 };
  const chunks: Buffer[] = [];
  const server = createTcpServer((socket) => {
    counts.connections += 1;
    socket.on('data', (chunk: Buffer) => {
      counts.bytes += chunk.length;
      chunks.push(chunk);
    });
    socket.on('error', () => {});
  });
  const listener = await listen(server, options.host ?? '127.0.0.1', 'tcp', counts);
  return Object.assign(listener, { received: () => Buffer.concat(chunks).toString('utf8') });
}

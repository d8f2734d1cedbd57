// One HTTP exchange for the demo, over node:http(s) rather than fetch: fetch cannot send the Host
// header, and `demo.localhost`-style names do not resolve through the system resolver everywhere,
// so this resolves `localhost` and every `*.localhost` name to loopback itself, as curl does
// (RFC 6761), and addresses the server by the URL's own host.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { localhostLookup } from '../../forwarder/localhost-lookup.ts';

export interface HttpExchange {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

const TIMEOUT_MS = 30_000;

/** Sends one request and reads the whole answer; rejects only when no answer came (refused, timed out). */
export function sendHttp(exchange: HttpExchange): Promise<HttpAnswer> {
  const { url } = exchange;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers: Record<string, string> = { ...exchange.headers, host: url.host };
  if (exchange.body !== null) headers['content-length'] = String(Buffer.byteLength(exchange.body));
  return new Promise((resolve, reject) => {
    const request = send(
      {
        method: exchange.method,
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        headers,
        lookup: localhostLookup,
        timeout: TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
    request.end(exchange.body ?? undefined);
  });
}

// Answers to what never became a request fastify routes: one whose headers or body did not arrive
// in time (408 REQUEST_TIMEOUT) and bytes that are not HTTP (400 INVALID_REQUEST), in the JSON
// error shape of every other answer, written to the socket before it is closed.
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyInstance } from 'fastify';
import type { ErrorCode } from '../core/errors.ts';
import { ERROR_STATUS } from './error-status.ts';
import { describeTimeout } from './request-timeout.ts';

export interface ClientErrorOptions {
  readonly requestTimeoutMs: number;
  /** The Strict-Transport-Security value, for a server that speaks TLS; null otherwise. */
  readonly strictTransportSecurity: string | null;
}

function answerOf(error: ConnectionError, options: ClientErrorOptions): { code: ErrorCode; message: string } {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return {
      code: 'REQUEST_TIMEOUT',
      message: `The request did not arrive in full within ${describeTimeout(options.requestTimeoutMs)}: send its headers and its whole body at once.`,
    };
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') return { code: 'INVALID_REQUEST', message: 'The request headers are larger than 16 KiB.' };
  return { code: 'INVALID_REQUEST', message: 'The request is not valid HTTP/1.1.' };
}

/** Whether an answer to an earlier request on this connection has begun: then nothing may be written. */
function answerUnderWay(socket: Socket): boolean {
  const current = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  return current?.headersSent === true;
}

export function clientErrorHandler(options: ClientErrorOptions): (this: FastifyInstance, error: ConnectionError, socket: Socket) => void {
  return function handleClientError(this: FastifyInstance, error, socket) {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { code, message } = answerOf(error, options);
    // The code alone: the error also carries the raw bytes received, credentials included.
    this.log.info(
      { clientError: error.code, remoteAddress: socket.remoteAddress },
      code === 'REQUEST_TIMEOUT' ? 'closed the connection of a request that did not arrive in time' : 'closed a connection that sent what is not HTTP',
    );
    if (socket.writable && !answerUnderWay(socket)) {
      const status = ERROR_STATUS[code];
      const body = JSON.stringify({ error: { code, message } });
      const headers = [
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        ...(options.strictTransportSecurity === null ? [] : [`Strict-Transport-Security: ${options.strictTransportSecurity}`]),
      ];
      // Written at once, as Node itself does: a small answer leaves before the socket closes.
      socket.write(`${headers.join('\r\n')}\r\n\r\n${body}`);
    }
    socket.destroy();
  };
}

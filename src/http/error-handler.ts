// Turns every failure into `{"error": {"code", "message"}}` with the status of its code. Client
// input can only ever produce a 4xx; a 500 means a fault of ours, logged with its stack.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { isSectrailError, SectrailError, type ErrorCode } from '../core/errors.ts';
import { guardPage } from './console/console-routes.ts';
import { errorPage, wantsErrorPage } from './console/error-page.ts';
import { ERROR_STATUS } from './error-status.ts';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_REQUEST',
};

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

interface ValidationIssue {
  instancePath?: string;
  message?: string;
}

function validationMessage(error: FastifyError): string {
  const issues = (error.validation ?? []) as ValidationIssue[];
  const first = issues[0];
  const where = first?.instancePath ? `${first.instancePath.slice(1).replaceAll('/', '.')}: ` : '';
  return `Invalid request: ${where}${first?.message ?? 'the body does not match the schema'}.`;
}

/** Maps any thrown value to a SectrailError; unknown faults become INTERNAL. */
export function toSectrailError(error: unknown): { error: SectrailError; isFault: boolean } {
  if (isSectrailError(error)) return { error, isFault: false };
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation !== undefined) {
    return { error: new SectrailError('INVALID_REQUEST', validationMessage(fastifyError as FastifyError)), isFault: false };
  }
  const code =
    (fastifyError.code !== undefined ? FASTIFY_CODES[fastifyError.code] : undefined) ??
    (fastifyError.statusCode !== undefined && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500
      ? (STATUS_CODES[fastifyError.statusCode] ?? 'INVALID_REQUEST')
      : undefined);
  if (code !== undefined) {
    const message = code === 'INVALID_REQUEST' ? 'The request is malformed.' : (fastifyError.message ?? code);
    return { error: new SectrailError(code, message), isFault: false };
  }
  return { error: new SectrailError('INTERNAL', 'Internal error.', { cause: error }), isFault: true };
}

/** The status and headers of an error, whatever the body. */
function errorReply(reply: FastifyReply, error: SectrailError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
  if (error.code === 'UNAUTHENTICATED') reply.header('WWW-Authenticate', 'Bearer realm="sectrail"');
  return reply.code(ERROR_STATUS[error.code]);
}

export function sendError(reply: FastifyReply, error: SectrailError): FastifyReply {
  return errorReply(reply, error)
    .type('application/json; charset=utf-8')
    .send({ error: { code: error.code, message: error.message } });
}

/** The same error as a page, for a browser sent to a sign-in route (see console/error-page.ts). */
function sendErrorPage(reply: FastifyReply, error: SectrailError): FastifyReply {
  return guardPage(errorReply(reply, error))
    .header('Cache-Control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(errorPage(error));
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((raw, request, reply) => {
    const { error, isFault } = toSectrailError(raw);
    if (isFault) request.log.error({ err: raw }, 'request failed');
    if (request.routeOptions.config.browserPage === true) reply.header('Vary', 'Sec-Fetch-Mode');
    return wantsErrorPage(request) ? sendErrorPage(reply, error) : sendError(reply, error);
  });
}

// Turns every failure into `{"error": {"code", "message"}}` with the status of its code. Client
// input can only ever produce a 4xx; a 500 means a fault of ours, logged with its stack.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isSectrailError, SectrailError, type ErrorCode } from '../core/errors.ts';
import { guardPage } from './console/console-routes.ts';
import { errorPage, wantsErrorPage } from './console/error-page.ts';
import { ERROR_STATUS } from './error-status.ts';
import { BODY_LIMIT_BYTES } from './json-body.ts';
import { validationMessage, type SchemaPart } from './validation-message.ts';

type Refusal = { readonly code: ErrorCode; readonly message: string };

/** "64 KiB", "1 MiB": a body limit as a message says it. */
function sizeOf(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/** fastify's refusals of a request, each with what the client should have sent instead. */
function refusalOf(error: Partial<FastifyError>, request: FastifyRequest | undefined): Refusal | undefined {
  const tooLarge = (): Refusal => ({ code: 'PAYLOAD_TOO_LARGE', message: `The body is larger than the ${sizeOf(request?.routeOptions.bodyLimit ?? BODY_LIMIT_BYTES)} this endpoint takes.` });
  const notJson: Refusal = { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as JSON, with Content-Type: application/json.' };
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return tooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return notJson;
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'INVALID_REQUEST', message: 'The body is not as long as its Content-Length header says.' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'INVALID_REQUEST', message: 'The body is empty: this endpoint needs a JSON body.' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'INVALID_REQUEST', message: 'The body is not valid JSON.' };
    default:
  }
  const status = error.statusCode;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  if (status === 404) return { code: 'NOT_FOUND', message: 'No such endpoint.' };
  if (status === 413) return tooLarge();
  if (status === 415) return notJson;
  return { code: 'INVALID_REQUEST', message: 'The request is malformed: it was refused before it reached its endpoint.' };
}

const SCHEMA_PARTS = new Set<string>(['body', 'params', 'querystring', 'headers']);

/** The schema-refusal message, naming the field: the route's schema and the request's value of that part. */
function validationMessageOf(error: FastifyError, request: FastifyRequest | undefined): string {
  const part = (SCHEMA_PARTS.has(error.validationContext ?? '') ? error.validationContext : 'body') as SchemaPart;
  const schemas = (request?.routeOptions.schema ?? {}) as Partial<Record<SchemaPart, unknown>>;
  const values: Record<SchemaPart, unknown> = { body: request?.body, params: request?.params, querystring: request?.query, headers: request?.headers };
  return validationMessage(error.validation ?? [], part, schemas[part], values[part]);
}

/** Maps any thrown value to a SectrailError; unknown faults become INTERNAL. */
export function toSectrailError(error: unknown, request?: FastifyRequest): { error: SectrailError; isFault: boolean } {
  if (isSectrailError(error)) return { error, isFault: false };
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation !== undefined) {
    return { error: new SectrailError('INVALID_REQUEST', validationMessageOf(fastifyError as FastifyError, request)), isFault: false };
  }
  const known = refusalOf(fastifyError, request);
  if (known !== undefined) return { error: new SectrailError(known.code, known.message), isFault: false };
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
    const { error, isFault } = toSectrailError(raw, request);
    if (isFault) request.log.error({ err: raw }, 'request failed');
    if (request.routeOptions.config.browserPage === true) reply.header('Vary', 'Sec-Fetch-Mode');
    return wantsErrorPage(request) ? sendErrorPage(reply, error) : sendError(reply, error);
  });
}

// The error model: one base class with a stable, machine-readable code. The HTTP status for each
// code lives in http/error-status.ts; clients and tests rely on the code, never the message.

export const ERROR_CODES = [
  'INVALID_REQUEST',
  'INVALID_DATE',
  'DATE_IN_FUTURE',
  'INVALID_PAGE_TOKEN',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'FEATURE_NOT_ENABLED',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'REQUEST_TIMEOUT',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'SSO_PROVIDER_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class SectrailError extends Error {
  override readonly name = 'SectrailError';
  readonly code: ErrorCode;
  /** Seconds a client should wait before retrying; set for RATE_LIMITED. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isSectrailError(value: unknown): value is SectrailError {
  return value instanceof SectrailError;
}

export const invalidRequest = (message: string): SectrailError => new SectrailError('INVALID_REQUEST', message);
export const invalidDate = (message: string): SectrailError => new SectrailError('INVALID_DATE', message);
export const dateInFuture = (message: string): SectrailError => new SectrailError('DATE_IN_FUTURE', message);
export const invalidPageToken = (message = 'The page token is not valid for this request.'): SectrailError =>
  new SectrailError('INVALID_PAGE_TOKEN', message);
/** One message for every authentication failure, so that no answer tells the failures apart. */
export const unauthenticated = (): SectrailError =>
  new SectrailError('UNAUTHENTICATED', 'Authentication is required: send a valid access token.');
export const forbidden = (message: string): SectrailError => new SectrailError('FORBIDDEN', message);
export const featureNotEnabled = (): SectrailError =>
  new SectrailError(
    'FEATURE_NOT_ENABLED',
    'The security event log is not enabled for this organization; ask your operator to enable it.',
  );
export const notFound = (what: string): SectrailError => new SectrailError('NOT_FOUND', `${what} was not found.`);
export const conflict = (message: string): SectrailError => new SectrailError('CONFLICT', message);
export const rateLimited = (retryAfterSeconds: number): SectrailError =>
  new SectrailError('RATE_LIMITED', 'Too many requests; retry later.', { retryAfterSeconds });

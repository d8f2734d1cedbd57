// The one table from error code to HTTP status. docs/errors.md is checked against it by a test.
import type { ErrorCode } from '../core/errors.ts';

export const ERROR_STATUS = {
  INVALID_REQUEST: 400,
  INVALID_DATE: 400,
  DATE_IN_FUTURE: 400,
  INVALID_PAGE_TOKEN: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  FEATURE_NOT_ENABLED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  SSO_PROVIDER_UNAVAILABLE: 502,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, number>;

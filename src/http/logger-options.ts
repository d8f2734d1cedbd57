// The server's log: pino, with credentials redacted and requests named by their route pattern, so
// no token, cookie or secret path segment ever reaches a log line.
import type { FastifyRequest } from 'fastify';

/** Access tokens (sct_) and invitation secrets (sci_, a path segment of the accept URL). */
const SECRET_LIKE = /sc[ti]_[A-Za-z0-9_-]+/g;

export function loggerOptions(level: string) {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'req.headers["x-csrf-token"]', '*.password', '*.token', '*.csrfToken'],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: FastifyRequest) => ({
        id: request.id,
        method: request.method,
        route: request.routeOptions.url ?? null,
        path: (request.url.split('?')[0] ?? '').replace(SECRET_LIKE, (secret) => `${secret.slice(0, 4)}[redacted]`).slice(0, 200),
        remoteAddress: request.ip,
      }),
    },
  };
}

// The server's log: pino, with credentials redacted and requests named by their route pattern, so
// no token, cookie, secret path segment or query string ever reaches a log line, in any encoding.
import type { FastifyRequest } from 'fastify';

/** Access tokens (sct_) and invitation secrets (sci_, a path segment of the accept URL). */
const SECRET_LIKE = /sc[ti]_[A-Za-z0-9_-]+/g;
/** A route parameter whose value is a credential: the invitation secret of `/api/invitations/:token/accept`. */
const SECRET_PARAMETER = /\/:token(?:\/|$)/;
/** A percent-escape of an ASCII character: every character of a secret is one. */
const ASCII_ESCAPE = /%([0-7][0-9A-Fa-f])/g;
const MAX_PATH = 200;
/** Enough rounds to undo an escape of an escape of an escape; a longer chain stays escaped, and redacted if it spells a secret. */
const DECODE_ROUNDS = 4;

/** Whether a text holds something shaped like one of our secrets. */
export function looksSecret(text: string): boolean {
  return new RegExp(SECRET_LIKE.source).test(text);
}

/** The path as the router reads it (ASCII escapes undone, even nested ones), secrets cut to their prefix. */
export function redactedPath(url: string): string {
  let path = url.split('?')[0] ?? '';
  for (let round = 0; round < DECODE_ROUNDS; round += 1) {
    const decoded = path.replace(ASCII_ESCAPE, (_escape, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    if (decoded === path) break;
    path = decoded;
  }
  return path.replace(SECRET_LIKE, (secret) => `${secret.slice(0, 4)}[redacted]`).slice(0, MAX_PATH);
}

/**
 * What a log line says of a request: its route pattern, and its path only where the path holds no
 * credential by design (never on a route with a secret parameter) and never its query string
 * (the SSO callback's `code` and `state`). Paths no route matched are logged decoded and redacted.
 */
function requestFields(request: FastifyRequest) {
  const route = request.routeOptions.url ?? null;
  const path = route !== null && SECRET_PARAMETER.test(route) ? null : redactedPath(request.url);
  return { id: request.id, method: request.method, route, ...(path === null ? {} : { path }), remoteAddress: request.ip };
}

export function loggerOptions(level: string) {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'req.headers["x-csrf-token"]', '*.password', '*.token', '*.csrfToken'],
      censor: '[redacted]',
    },
    serializers: { req: requestFields },
  };
}
